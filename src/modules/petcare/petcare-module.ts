import type { Db } from '../../platform/db/client'
import type { ChatProvider } from '../ai/types'
import type { AuthService } from '../auth/auth-service'
import type { UserRepo } from '../auth/user-repo'
import { createChatRepo } from './chat-repo'
import { createChatService } from './chat-service'
import { createChatTurnService } from './chat-turn-service'
import { createKeywordKnowledgeSearch, ensureKnowledgeBase } from './knowledge-base'
import type { KnowledgeSearch } from './knowledge-flows'
import { createPetcareAccess } from './petcare-access'
import { createPetcareUserService } from './petcare-user-service'
import { createPetRepo } from './pet-repo'
import { createRecipeRepo } from './recipe-repo'
import { createRecipeService } from './recipe-service'

/**
 * Builds the petcare services once: repositories, access checks, the knowledge base (stored
 * at first start, see knowledge-base.ts) and the services the routes call. `knowledge`
 * replaces the built-in keyword search (e.g. with hybrid retrieval).
 */
export async function createPetcare(deps: { db: Db; users: UserRepo; auth: AuthService; chat: ChatProvider; knowledge?: KnowledgeSearch }) {
  const { db, users } = deps
  const pets = createPetRepo({ db })
  const chats = createChatRepo({ db })
  const recipes = createRecipeRepo({ db })
  const access = createPetcareAccess({ users, pets })
  const knowledge = deps.knowledge ?? createKeywordKnowledgeSearch({ db, ownerId: await ensureKnowledgeBase(db, users) })
  return {
    users: createPetcareUserService({ auth: deps.auth, users, pets }),
    chats: createChatService({ chats, access }),
    turns: createChatTurnService({ chats, pets, recipes, access, chat: deps.chat, knowledge }),
    recipes: createRecipeService({ recipes, access }),
  }
}

export type Petcare = Awaited<ReturnType<typeof createPetcare>>

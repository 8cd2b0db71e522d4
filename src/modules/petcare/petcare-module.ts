import type { Db } from '../../platform/db/client'
import type { Logger } from '../../platform/logger'
import type { ChatProvider, Embedder } from '../ai/types'
import type { AuthService } from '../auth/auth-service'
import type { UserRepo } from '../auth/user-repo'
import type { DocumentProcessor } from '../rag/document-processor'
import { createDocumentRepo } from '../rag/document-repo'
import { createIngestService } from '../rag/ingest-service'
import { createRetriever } from '../rag/retrieval'
import { createChatRepo } from './chat-repo'
import { createChatService } from './chat-service'
import { createChatTurnService } from './chat-turn-service'
import { createKnowledgeSearch, ensureKnowledgeBase } from './knowledge-base'
import { createPetcareAccess } from './petcare-access'
import { createPetcareUserService } from './petcare-user-service'
import { createPetRepo } from './pet-repo'
import { createRecipeRepo } from './recipe-repo'
import { createRecipeService } from './recipe-service'

/** Largest knowledge file the ingest accepts. */
const KNOWLEDGE_MAX_BYTES = 1024 * 1024

/**
 * Builds the petcare services once: repositories, access checks, the knowledge base (stored
 * at first start through the docs ingest path, see knowledge-base.ts) and the services the
 * routes call.
 */
export async function createPetcare(deps: {
  db: Db
  users: UserRepo
  auth: AuthService
  chat: ChatProvider
  embedder: Embedder
  documentProcessor: DocumentProcessor
  hasVector: () => boolean
  logger: Logger
}) {
  const { db, users, embedder, hasVector, logger } = deps
  const pets = createPetRepo({ db })
  const chats = createChatRepo({ db })
  const recipes = createRecipeRepo({ db })
  const access = createPetcareAccess({ users, pets })
  const ingest = createIngestService({ documents: createDocumentRepo({ db }), embedder, processor: deps.documentProcessor, hasVector, maxBytes: KNOWLEDGE_MAX_BYTES, logger })
  const ownerId = await ensureKnowledgeBase({ db, users, ingest, hasVector, logger })
  const knowledge = createKnowledgeSearch({ retriever: createRetriever({ db, embedder }), ownerId, hasVector })
  return {
    users: createPetcareUserService({ db, auth: deps.auth }),
    chats: createChatService({ chats, access }),
    turns: createChatTurnService({ chats, pets, recipes, access, chat: deps.chat, knowledge, logger }),
    recipes: createRecipeService({ recipes, access }),
  }
}

/** The petcare services the routes call. */
export type Petcare = Awaited<ReturnType<typeof createPetcare>>

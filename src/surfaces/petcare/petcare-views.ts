/**
 * The petcare seed's shapes: prefixed uuid ids, ISO 8601 UTC times, chat list items and
 * details, messages with their JSON content and token counts, recipes, shared chats.
 */
import type { User } from '../../modules/auth/user-repo'
import type { ChatMessageRow, ChatWithPet } from '../../modules/petcare/chat-repo'
import type { ChatDetail } from '../../modules/petcare/chat-service'
import type { Page } from '../../modules/petcare/page-cursor'
import { formatId } from '../../modules/petcare/petcare-ids'
import type { Pet } from '../../modules/petcare/pet-repo'
import type { Recipe } from '../../modules/petcare/recipe-repo'
import { errorShape } from '../../platform/http/error-shapes'

/** `{"error": …}` with 400 for validation, on every petcare path (`/api/users/search` belongs to accounts and has a longer prefix). */
export const petcareErrorShape = {
  prefixes: ['/api/users', '/api/chats', '/api/messages', '/api/shared', '/api/recipes'],
  shape: errorShape,
}

/** `{id: "pet-…", petnm}`. */
export const petView = (p: Pet) => ({ id: formatId('pet', p.publicId), petnm: p.name })

/** One stored message: its content JSON as stored (a plain text message reads as `{message}`). */
export const messageView = (m: ChatMessageRow) => ({
  id: formatId('msg', m.publicId),
  role: m.role,
  content: m.payload ?? { message: m.content },
  created_at: m.createdAt.toISOString(),
  token_count: m.tokenCount ?? null,
})

/** A chat as the list shows it. */
export const chatItem = (c: ChatWithPet) => ({
  id: formatId('chat', c.chat.publicId),
  title: c.chat.name ?? '',
  created_at: c.chat.createdAt.toISOString(),
  is_shared: c.chat.isShared,
  pet_id: c.petPublicId ? formatId('pet', c.petPublicId) : null,
  petnm: c.petName,
})

/** A chat with all its messages. */
export const chatDetail = (c: ChatDetail) => ({ ...chatItem(c), messages: c.messages.map(messageView) })

/** The public view of a shared chat (seed 2.5). */
export const sharedChatView = (c: ChatDetail) => ({
  chat_id: formatId('chat', c.chat.publicId),
  title: c.chat.name ?? '',
  created_at: c.chat.createdAt.toISOString(),
  is_shared: c.chat.isShared,
  messages: c.messages.map(messageView),
})

/** A recipe as the list shows it. */
export const recipeItem = (r: Recipe) => ({
  id: formatId('recipe', r.publicId),
  title: r.title,
  created_at: r.createdAt.toISOString(),
  selected_ingredients: r.selectedIngredients,
  calculation_result: r.calculationResult,
})

/** A recipe in full, with its owner's uid. */
export const recipeDetail = (r: Recipe, owner: User) => ({
  ...recipeItem(r),
  user_id: owner.uid,
  validation_ingredients: r.validationIngredients,
})

/** `{results, next_cursor, has_next}` of a page. */
export const pageView = <T, V>(page: Page<T>, view: (item: T) => V) => ({
  results: page.items.map(view),
  next_cursor: page.nextCursor,
  has_next: page.hasNext,
})

import { AppError, notFound } from '../../platform/errors'
import type { User } from '../auth/user-repo'
import { estimateTokens } from '../ai/text-features'
import type { ChatMessageRow, ChatRepo, ChatWithPet } from './chat-repo'
import { parseCursor, parseLimit, toPage, type Page } from './page-cursor'
import { textOf, type PetcareAccess } from './petcare-access'

/** Longest user message a chat accepts, in characters. */
export const MAX_MESSAGE_CHARS = 4000
const TITLE_CHARS = 50

/** Who asks: the signed-in user (if any) and the `userId`/`petnm` the request named. */
export interface PetcareAsk {
  signedIn?: User
  userId?: unknown
  petnm?: unknown
}

/** A chat with all its messages in order. */
export interface ChatDetail extends ChatWithPet {
  messages: ChatMessageRow[]
}

/** The 404 for a chat that is missing, not shared where it must be, or someone else's. */
export const chatNotFound = () => notFound('채팅을 찾을 수 없습니다.')

/** A chat title from its first message: the first line, at most 50 characters. */
export function titleFrom(message: string): string {
  const line = message.trim().split('\n')[0]!.trim()
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line
}

/** The message text of a request: `content.message`, else `message`, 1..4000 characters. */
export function messageTextOf(body: { content?: unknown; message?: unknown }): string {
  let content = body.content
  // Form posts carry `content` as JSON text.
  if (typeof content === 'string' && content.trimStart().startsWith('{')) {
    try {
      content = JSON.parse(content)
    } catch {
      // Not JSON after all: the text itself is the message.
    }
  }
  const fromContent = typeof content === 'object' && content !== null ? (content as Record<string, unknown>).message : content
  const text = textOf(fromContent) ?? textOf(body.message)
  if (!text) throw new AppError('VALIDATION', '메시지 내용이 비어 있습니다. (content.message)')
  if (text.length > MAX_MESSAGE_CHARS) throw new AppError('VALIDATION', `메시지는 ${MAX_MESSAGE_CHARS}자 이하여야 합니다.`)
  return text
}

/**
 * Petcare chats (seed 2): paging, detail, share, delete, the public shared view and forking a
 * shared chat. Every method resolves the caller first and answers 404 for a chat that is not
 * theirs, so another user's chat is indistinguishable from one that does not exist.
 */
export function createChatService(deps: { chats: ChatRepo; access: PetcareAccess }) {
  const { chats, access } = deps

  /** The caller's chat with that public uuid, or 404. */
  async function ownChat(ask: PetcareAsk, chatUuid: string | undefined): Promise<{ caller: User; found: ChatWithPet }> {
    const caller = await access.caller(ask.signedIn, ask.userId)
    await access.optionalPet(caller, ask.petnm)
    const found = chatUuid ? await chats.findByPublicId(chatUuid) : undefined
    if (!found || found.chat.createdBy !== caller.id) throw chatNotFound()
    return { caller, found }
  }

  return {
    /** The caller's chats (of the named pet, when given), newest first, `limit` per page. */
    async list(ask: PetcareAsk, query: { cursor?: unknown; limit?: unknown }): Promise<Page<ChatWithPet>> {
      const caller = await access.caller(ask.signedIn, ask.userId)
      const pet = await access.optionalPet(caller, ask.petnm)
      const cursor = parseCursor(query.cursor)
      const limit = parseLimit(query.limit)
      const rows = await chats.page(caller.id, pet?.id, cursor, limit + 1)
      return toPage(rows, limit, (r) => ({ at: r.chat.createdAt, id: r.chat.publicId }))
    },

    async detail(ask: PetcareAsk, chatUuid: string | undefined): Promise<ChatDetail> {
      const { found } = await ownChat(ask, chatUuid)
      return { ...found, messages: await chats.messages(found.chat.id) }
    },

    /** Marks the caller's chat shared (idempotent) and returns it. */
    async share(ask: PetcareAsk, chatUuid: string | undefined): Promise<ChatWithPet> {
      const { found } = await ownChat(ask, chatUuid)
      const chat = (await chats.markShared(found.chat.id)) ?? found.chat
      return { ...found, chat }
    },

    async remove(ask: PetcareAsk, chatUuid: string | undefined): Promise<void> {
      const { found } = await ownChat(ask, chatUuid)
      await chats.remove(found.chat.id)
    },

    /** Anyone's view of a shared chat; a chat that is not shared is 404, exactly like a missing one. */
    async shared(chatUuid: string | undefined): Promise<ChatDetail> {
      const found = chatUuid ? await chats.findByPublicId(chatUuid) : undefined
      if (!found || !found.chat.isShared) throw chatNotFound()
      return { ...found, messages: await chats.messages(found.chat.id) }
    },

    /**
     * Starts the caller's own chat for one of their pets from a shared chat: the shared
     * conversation is copied (so the new chat reads as its continuation) and the caller's
     * message is stored after it. The source must still be shared.
     */
    async fork(ask: PetcareAsk, chatUuid: string | undefined, body: { content?: unknown; message?: unknown }) {
      const caller = await access.caller(ask.signedIn, ask.userId)
      const found = chatUuid ? await chats.findByPublicId(chatUuid) : undefined
      if (!found || !found.chat.isShared) throw chatNotFound()
      const pet = await access.pet(caller, ask.petnm, 'bad_request')
      const text = messageTextOf(body)
      const source = await chats.messages(found.chat.id)
      const chat = await chats.create({ ownerId: caller.id, petId: pet.id, title: titleFrom(text), forkedFromId: found.chat.id })
      await chats.addMessages([
        ...source.map((m) => ({
          roomId: chat.id,
          senderId: m.role === 'user' ? caller.id : null,
          role: m.role,
          content: m.content,
          payload: m.payload,
          tokenCount: m.tokenCount,
        })),
        {
          roomId: chat.id,
          senderId: caller.id,
          role: 'user',
          content: text,
          payload: { message: text },
          tokenCount: { prompt_tokens: estimateTokens(text), completion_tokens: 0, total_tokens: estimateTokens(text) },
        },
      ])
      return { caller, pet, chat }
    },
  }
}

/** The chat service as built by createChatService. */
export type ChatService = ReturnType<typeof createChatService>

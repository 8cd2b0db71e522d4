import { badRequest, notFound } from '../../platform/errors'
import type { DocumentRepo } from '../rag/document-repo'
import type { ConversationMessageRow, ConversationRepo, ConversationRow } from './conversation-repo'
import { exportFilename, renderConversationMarkdown } from './conversation-export'

/** The title of a conversation created without one. */
export const DEFAULT_TITLE = '새 대화'
const MAX_TITLE_CHARS = 200
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DAY_MS = 86_400_000
const KST_OFFSET_MS = 9 * 3_600_000

/** True for a well-formed uuid (anything else can name no conversation). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value)

/** The KST calendar date (YYYY-MM-DD) of an instant. */
export const kstDate = (at: Date): string => new Date(at.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10)

/** The caller's usage counts and seven days of message activity (KST days, oldest first, empty days included). */
export interface DocsStats {
  totalConversations: number
  totalMessages: number
  totalDocuments: number
  totalChunks: number
  recentActivity: { date: string; count: number }[]
}

export interface ConversationServiceDeps {
  conversations: ConversationRepo
  documents: DocumentRepo
  clock?: () => Date
}

/**
 * Docs conversations, their messages, stats and markdown export. Every operation first
 * resolves the conversation among the caller's own: someone else's is a 404, like a missing one.
 */
export function createConversationService(deps: ConversationServiceDeps) {
  const { conversations } = deps
  const now = deps.clock ?? (() => new Date())

  async function own(ownerId: number, id: unknown): Promise<ConversationRow> {
    const found = isUuid(id) ? await conversations.find(ownerId, id) : undefined
    if (!found) throw notFound('대화를 찾을 수 없습니다.')
    return found
  }

  return {
    own,
    list: (ownerId: number) => conversations.list(ownerId),
    async create(ownerId: number, title: unknown): Promise<ConversationRow> {
      if (title !== undefined && title !== null && typeof title !== 'string') throw badRequest('title은 문자열이어야 합니다.')
      const clean = (typeof title === 'string' ? title.trim() : '').slice(0, MAX_TITLE_CHARS)
      return conversations.create(ownerId, clean || DEFAULT_TITLE)
    },
    async delete(ownerId: number, id: unknown): Promise<void> {
      if (!isUuid(id)) throw badRequest('유효한 대화 ID가 없습니다.')
      const conversation = await own(ownerId, id)
      await conversations.delete(conversation.id)
    },
    async messages(ownerId: number, id: unknown): Promise<ConversationMessageRow[]> {
      const conversation = await own(ownerId, id)
      return conversations.messages(conversation.id)
    },
    async addMessage(ownerId: number, id: unknown, role: unknown, content: unknown): Promise<ConversationMessageRow> {
      const conversation = await own(ownerId, id)
      if (role !== 'user' && role !== 'assistant') throw badRequest('role은 "user" 또는 "assistant"여야 합니다.')
      if (typeof content !== 'string' || content.trim() === '') throw badRequest('content가 비어 있습니다.')
      return conversations.addMessage(conversation.id, ownerId, role, content)
    },
    async stats(ownerId: number): Promise<DocsStats> {
      const today = now()
      const dates = Array.from({ length: 7 }, (_, i) => kstDate(new Date(today.getTime() - (6 - i) * DAY_MS)))
      const [activity, totals] = await Promise.all([conversations.activity(ownerId, dates[0]!), deps.documents.totals(ownerId)])
      return {
        totalConversations: activity.conversations,
        totalMessages: activity.messages,
        totalDocuments: totals.documents,
        totalChunks: totals.chunks,
        recentActivity: dates.map((date) => ({ date, count: activity.days.get(date) ?? 0 })),
      }
    },
    /** The conversation as a markdown document and the file name to offer it under. */
    async export(ownerId: number, id: unknown): Promise<{ markdown: string; filename: string }> {
      const conversation = await own(ownerId, id)
      const items = await conversations.messages(conversation.id)
      return { markdown: renderConversationMarkdown(conversation.title, items, now()), filename: exportFilename(conversation.title) }
    },
  }
}

export type ConversationService = ReturnType<typeof createConversationService>

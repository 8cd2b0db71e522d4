import type { User } from '../auth/user-repo'
import type { ChatProvider } from '../ai/types'
import { rankCards, type RankedCard } from '../cards/card-ranking'
import type { Card } from '../cards/catalog'
import type { Message, MessageRepo } from '../messaging/message-repo'
import type { Room, RoomRepo } from '../messaging/room-repo'
import { asAdvisorAiError, requireText, roomNotFound } from './advisor-errors'
import type { CardCatalogRepo } from './card-catalog-repo'
import type { SpendingService } from './spending-service'

/** The room kind of a card-recommendation session; finance chats use another, so the two never mix. */
export const CARD_SESSION_KIND = 'advisor'

/** Cards one answer recommends. */
const CARDS_PER_ANSWER = 3

const SYSTEM_PROMPT = [
  '당신은 신용카드 추천 도우미입니다.',
  '아래 정보에 있는 카드와 혜택, 연회비만 사용해 추천 이유를 한국어로 2~4문장 안에 짧게 설명하세요.',
  '정보에 없는 카드나 혜택, 수치를 지어내지 마세요.',
].join(' ')

/** One answered question: the recommended cards and the stored answer message. */
export interface CardAnswer {
  cards: Card[]
  ranked: RankedCard[]
  /** The model's short comment on the recommendation. */
  comment: string
  message: Message
}

/** What the card sessions use: rooms and messages, the catalog, the caller's spending, the model. */
export interface CardSessionDeps {
  rooms: RoomRepo
  messages: MessageRepo
  catalog: CardCatalogRepo
  spending: SpendingService
  chat: ChatProvider
}

/**
 * Card-recommendation sessions (seed: make_room, send_message): a session is a room of kind
 * `advisor` with its owner as the only member; every question and answer is stored in it.
 */
export function createCardSessionService(deps: CardSessionDeps) {
  const { rooms, messages } = deps
  return {
    /** Opens a new session owned by the caller. */
    async open(caller: User): Promise<Room> {
      const room = await rooms.create({
        kind: CARD_SESSION_KIND,
        name: null,
        description: null,
        createdBy: caller.id,
        maxParticipants: 1,
        memberIds: [caller.id],
      })
      // Only a direct_key conflict makes create() return nothing, and sessions have none.
      if (!room) throw new Error('card session room was not created')
      return room
    },

    /**
     * Answers a question in one of the caller's sessions with cards ranked from the catalog.
     * Guarantees: a session that is not the caller's (or not a card session) is 404
     * ROOM_NOT_FOUND before anything is read; the question is stored before the model is
     * asked, so it stays even when the model times out (504 AI_RESPONSE_TIMEOUT); the answer
     * is stored with the recommended cards in its payload.
     */
    async ask(caller: User, roomId: number, rawQuestion: unknown, signal?: AbortSignal): Promise<CardAnswer> {
      const access = await rooms.membership(roomId, caller.id, [CARD_SESSION_KIND])
      if (!access) throw roomNotFound()
      const question = requireText(rawQuestion, 'question')

      await messages.insertMany([{ roomId, senderId: caller.id, role: 'user', content: question }])
      const [catalog, spending] = await Promise.all([deps.catalog.load(), deps.spending.context(caller)])
      const ranking = rankCards(question, catalog, { limit: CARDS_PER_ANSWER, monthlySpend: monthlySpendFor(spending.summary) })
      const facts = ranking.cards.map((r, i) => `${i + 1}. ${r.card.card_name}(${r.card.company}): ${r.explanation}`)
      if (ranking.cards.length === 0) facts.push('카드 카탈로그가 비어 있어 추천할 카드가 없습니다.')
      if (catalog.sample) facts.push('참고: 현재 카드 정보는 설명용 샘플 데이터이며 실제 카드 상품이 아닙니다.')

      let comment: string
      try {
        const answer = await deps.chat.complete({
          system: SYSTEM_PROMPT,
          messages: [{ role: 'user', content: question }],
          grounding: { facts },
          signal,
          maxTokens: 400,
        })
        comment = answer.text.trim()
      } catch (error) {
        throw asAdvisorAiError(error)
      }

      const cards = ranking.cards.map((r) => r.card)
      const [stored] = await messages.insertMany([
        {
          roomId,
          senderId: null,
          role: 'assistant',
          messageType: 'card_info',
          content: comment,
          payload: { type: 'CARD_INFO', cards, categories: ranking.categories, scores: ranking.cards.map((r) => ({ card_id: r.card.card_id, score: r.score })) },
        },
      ])
      return { cards, ranked: ranking.cards, comment, message: stored!.message }
    },
  }
}

/** The card-session service. */
export type CardSessionService = ReturnType<typeof createCardSessionService>

/**
 * The monthly spend a fee waiver (전월실적) is judged on: last month's total, which is what
 * card issuers count; this month's when last month has no records yet (a new user); none when
 * neither has any, so the ranking assumes a typical spend instead of zero.
 */
function monthlySpendFor(summary: { total: number; previous_month_total: number }): number | undefined {
  if (summary.previous_month_total > 0) return summary.previous_month_total
  if (summary.total > 0) return summary.total
  return undefined
}

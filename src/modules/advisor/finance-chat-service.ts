import type { Logger } from '../../platform/logger'
import type { User } from '../auth/user-repo'
import type { ChatProvider, ChatRequest, ChatUsage } from '../ai/types'
import type { Message, MessageRepo, NewMessage } from '../messaging/message-repo'
import type { RoomRepo } from '../messaging/room-repo'
import { asAdvisorAiError, requireText } from './advisor-errors'
import { createWindowedBatcher } from './event-loop-window'
import { financeRoomKey, type FinanceTurnLoader } from './finance-turn-loader'

/** The room kind of a user's finance chat; card sessions use another, so the two never mix. */
export const FINANCE_CHAT_KIND = 'finance'

/** Most messages the history returns (the newest ones, oldest first). */
export const HISTORY_LIMIT = 1000
/** Earlier messages the model sees with a new question, for follow-ups ("그럼 식비는?"). */
export const CONTEXT_MESSAGES = 10
/**
 * Messages one INSERT stores at most. Every row feeds the content trigram index, so on the
 * embedded database a 200-row insert holds the thread for tens of milliseconds; 16-row
 * slices keep each stall to a few, with the loop running in between.
 */
const MESSAGES_PER_INSERT = 16

const SYSTEM_PROMPT = [
  '당신은 사용자의 실제 지출 기록을 바탕으로 조언하는 친절한 금융 상담사입니다.',
  '금액과 비율은 아래 정보에 있는 수치만 그대로 인용하고, 새로 계산하거나 지어내지 마세요.',
  '지출 패턴을 짚고 실천할 수 있는 절약 방법을 한국어로 간결하게 제안하세요.',
  '특정 금융·투자 상품의 가입을 권유하지 마세요.',
].join(' ')

/** How a stored answer ended: whole, cut by an upstream failure, or cut because the client left. */
export type AnswerStatus = 'complete' | 'partial' | 'aborted'

/** A question that is stored and ready to be answered. */
export interface FinanceTurn {
  caller: User
  roomId: number
  /** The question, being stored: its INSERT runs while the model call starts (see stream). */
  userMessage: Promise<Message>
  request: ChatRequest
}

/** What a streamed answer emits: the stored question, the text as it arrives, both stored messages. */
export type FinanceStreamEvent =
  | { type: 'start'; userMessage: Message }
  | { type: 'delta'; text: string }
  | { type: 'end'; userMessage: Message; aiMessage: Message }

/** What the finance chat uses: rooms and messages, the batched turn reads, the model, a logger. */
export interface FinanceChatDeps {
  rooms: RoomRepo
  messages: MessageRepo
  turns: FinanceTurnLoader
  chat: ChatProvider
  logger: Logger
}

/**
 * The direct finance-advice chat (seed: GET/POST /api/v1/chat/): one room of kind `finance`
 * per user, created on the first question; every answer is grounded in the user's own
 * spending this month against last month.
 */
export function createFinanceChatService(deps: FinanceChatDeps) {
  const { rooms, messages, chat, logger } = deps
  // Group commit: questions and answers of concurrent streams share one INSERT (batcher.ts,
  // event-loop-window.ts).
  const writes = createWindowedBatcher<NewMessage, Message>({
    flush: async (rows) => (await messages.insertMany(rows)).map((r) => r.message),
    maxBatch: MESSAGES_PER_INSERT,
  })

  /** The caller's finance room id, when they have one. */
  async function findRoom(caller: User): Promise<number | undefined> {
    const room = await rooms.findByDirectKey(financeRoomKey(caller.id))
    return room && room.kind === FINANCE_CHAT_KIND && room.createdBy === caller.id ? room.id : undefined
  }

  /**
   * Creates the caller's finance room. Its unique `direct_key` (`finance:{userId}`) makes two
   * first questions sent at once share one room: the loser of the insert reads the winner's.
   */
  async function createRoom(caller: User): Promise<number> {
    const key = financeRoomKey(caller.id)
    const created = await rooms.create({
      kind: FINANCE_CHAT_KIND,
      name: null,
      description: null,
      createdBy: caller.id,
      maxParticipants: 1,
      memberIds: [caller.id],
      directKey: key,
    })
    const room = created ?? (await rooms.findByDirectKey(key))
    if (!room) throw new Error('finance room was neither created nor found')
    return room.id
  }

  async function saveAnswer(turn: FinanceTurn, text: string, usage: ChatUsage | undefined, status: AnswerStatus): Promise<Message> {
    return writes.submit({
      roomId: turn.roomId,
      senderId: null,
      role: 'assistant',
      content: text,
      payload: { status, provider: chat.name, model: chat.model },
      tokenCount: usage ? { prompt: usage.promptTokens, completion: usage.completionTokens } : null,
    })
  }

  /** Stores what a cut stream produced; a failure here is logged, the stream's own error wins. */
  async function savePartial(turn: FinanceTurn, text: string, usage: ChatUsage | undefined, status: AnswerStatus): Promise<void> {
    if (text === '') return
    try {
      await saveAnswer(turn, text, usage, status)
    } catch (error) {
      logger.error('finance chat: storing a partial answer failed', { roomId: turn.roomId, error })
    }
  }

  return {
    /** The caller's finance chat, oldest first (at most HISTORY_LIMIT newest messages); empty before the first question. */
    async history(caller: User): Promise<Message[]> {
      const roomId = await findRoom(caller)
      if (roomId === undefined) return []
      const { items } = await messages.page(roomId, 1, HISTORY_LIMIT)
      return items.map((v) => v.message)
    },

    /**
     * Checks and stores the caller's question and builds the model request: the system
     * prompt, the recent conversation, the question, and the spending facts as grounding.
     * Throws 400 EMPTY_MESSAGE / MESSAGE_TOO_LONG before anything is stored.
     */
    async begin(caller: User, rawMessage: unknown): Promise<FinanceTurn> {
      const text = requireText(rawMessage, 'message')
      const data = await deps.turns.load(caller.id)
      const roomId = data.roomId ?? (await createRoom(caller))
      const userMessage = writes.submit({ roomId, senderId: caller.id, role: 'user', content: text })
      // Awaited by reply/stream; this only keeps a turn that is never answered from an unhandled rejection.
      userMessage.catch(() => {})
      return {
        caller,
        roomId,
        userMessage,
        request: { system: SYSTEM_PROMPT, messages: [...data.recent, { role: 'user', content: text }], grounding: { facts: data.spending.facts } },
      }
    },

    /**
     * Answers a stored question in one piece and stores the answer. When the model times out
     * (504 AI_RESPONSE_TIMEOUT) or fails (502), the question stays stored and no answer is.
     */
    async reply(turn: FinanceTurn, signal?: AbortSignal): Promise<{ userMessage: Message; aiMessage: Message }> {
      const answering = chat.complete({ ...turn.request, signal })
      answering.catch(() => {})
      const userMessage = await turn.userMessage
      let answer: { text: string; usage: ChatUsage }
      try {
        answer = await answering
      } catch (error) {
        throw asAdvisorAiError(error)
      }
      return { userMessage, aiMessage: await saveAnswer(turn, answer.text, answer.usage, 'complete') }
    },

    /**
     * Streams the answer to a stored question. Guarantees: `start` first, then the text in
     * order, then `end` with both stored messages. When the model fails or times out, what
     * was streamed is stored (status `partial`) and the error is thrown with the advisor's
     * code; when the consumer stops early (the client left) the upstream call is aborted and
     * what was streamed is stored as `aborted`.
     */
    async *stream(turn: FinanceTurn, signal?: AbortSignal): AsyncGenerator<FinanceStreamEvent> {
      // The model call starts before the question's INSERT is awaited, so the first chunk
      // does not wait behind the store (it only waits for the `start` event that carries it).
      const upstream = chat.stream({ ...turn.request, signal })[Symbol.asyncIterator]()
      let next = upstream.next()
      next.catch(() => {})
      let userMessage: Message
      try {
        userMessage = await turn.userMessage
      } catch (error) {
        void upstream.return?.(undefined)
        throw error
      }
      let text = ''
      let usage: ChatUsage | undefined
      let streaming = true
      try {
        yield { type: 'start', userMessage }
        for (let step = await next; !step.done; step = await (next = upstream.next())) {
          const chunk = step.value
          if (chunk.type === 'usage') usage = { promptTokens: chunk.promptTokens, completionTokens: chunk.completionTokens }
          else if (chunk.text !== '') {
            text += chunk.text
            yield { type: 'delta', text: chunk.text }
          }
        }
        streaming = false
      } catch (error) {
        streaming = false
        await savePartial(turn, text, usage, signal?.aborted ? 'aborted' : 'partial')
        throw asAdvisorAiError(error)
      } finally {
        // Still streaming here means the consumer returned at a yield: the client went away.
        if (streaming) {
          void upstream.return?.(undefined)
          await savePartial(turn, text, usage, 'aborted')
        }
      }
      const aiMessage = await saveAnswer(turn, text, usage, 'complete')
      yield { type: 'end', userMessage, aiMessage }
    },

    /** Resolves once every question and answer accepted so far is stored (graceful shutdown). */
    drain: () => writes.drain(),
  }
}

/** The finance chat service. */
export type FinanceChatService = ReturnType<typeof createFinanceChatService>

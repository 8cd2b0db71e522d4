import { AppError, badRequest, isAppError } from '../../platform/errors'
import type { Metrics } from '../../platform/metrics'
import type { Hub, HubSocket } from '../realtime/hub'
import { MESSAGE_NOT_STORED, topics, type CouplesServerEvent } from '../realtime/protocol'
import { addressedQuestion, COUPLE_TEXTS, type CoupleAi } from './couple-ai'
import type { CoupleRepo, CoupleSession } from './couple-repo'
import type { CoupleRoomService, Seat } from './couple-room-service'
import { clientId, messageEvent, sessionEvent, type SubjectOf } from './couple-views'

/** What the session service needs; `aiEveryNTurns` is `COUPLES_AI_EVERY_N_TURNS`. */
export interface CoupleSessionServiceDeps {
  roomService: CoupleRoomService
  couples: CoupleRepo
  hub: Hub
  ai: CoupleAi
  aiEveryNTurns: number
  metrics: Metrics
}

/** What sending did; `duplicate` carries the first message's event for the sender alone. */
export type SendOutcome = { duplicate: false } | { duplicate: true; event: CouplesServerEvent }

const CONTEXT_MESSAGES = 30
const SUMMARY_MESSAGES = 60
const ANSWERS = new Set(['네', '아니오'])

/**
 * The live side of couple rooms: sessions, messages and the AI participant. Every action
 * takes a `Seat` (the caller was seated by the room service: its access check), writes,
 * and publishes to the room's topic only after the write committed, the sender included.
 *
 * Sessions: one is active per room; connecting or sending when the last one closed starts
 * a new one, announced to the room with a `session` event. Every `aiEveryNTurns` partner
 * messages (messages that address the AI do not count), the AI asks whether to go on and
 * the question stays pending until a partner answers it: `네` goes on with a new topic,
 * `아니오` closes the session with a summary stored as its last message.
 */
export function createCoupleSessionService(deps: CoupleSessionServiceDeps) {
  const { couples, hub, ai } = deps
  const stored = deps.metrics.counter('huddle_messages_total', 'Messages stored, by surface')
  const topicOf = (seat: Seat) => topics.couplesRoom(seat.room.id)

  // A partner's message is always the seated caller's own (resends included: the
  // client_msg_id is unique per sender), so its sender id needs no lookup.
  const senderOf = (seat: Seat): SubjectOf => () => clientId(seat.user.subject)

  /** The AI answers `question` in the session, stored, then relayed to the room. */
  async function answer(seat: Seat, session: CoupleSession, question: string) {
    const conversation = await couples.recentMessages(session.id, CONTEXT_MESSAGES)
    const text = await ai.answer(question, conversation, session)
    const message = await couples.appendAi(seat.room.id, session.id, text)
    stored.inc({ surface: 'couples' })
    await hub.publish(topicOf(seat), messageEvent(message, () => null))
  }

  return {
    /**
     * Joins the room's current session (starting one when none is active): returns the events
     * for the joining socket alone (the session, and the AI's question if one is pending). A
     * session this join started is announced to the room's other sockets (not `from`).
     */
    async connect(seat: Seat, from?: HubSocket): Promise<CouplesServerEvent[]> {
      const { session, started } = await couples.openSession(seat.room.id)
      const subjectOf = await deps.roomService.subjectsOf(seat.room.id)
      const events: CouplesServerEvent[] = [sessionEvent(session, COUPLE_TEXTS.connected, subjectOf)]
      if (session.pendingQuestion) events.push({ type: 'system', content: session.pendingQuestion, session_id: session.id })
      if (started) await hub.publish(topicOf(seat), sessionEvent(session, COUPLE_TEXTS.newSession, subjectOf), { except: from })
      return events
    },

    /**
     * Stores a partner's message in the active session and relays it to both partners; then
     * the AI answers it when addressed, or asks its question when this turn is an N-th one.
     * A resent `clientMsgId` stores and relays nothing: the sender alone gets the first message.
     * When the message cannot be stored (e.g. the database is down), UNAVAILABLE says so.
     */
    async send(seat: Seat, input: { content: string; clientMsgId?: string | null }): Promise<SendOutcome> {
      const question = addressedQuestion(input.content)
      const result = await couples
        .append({
          roomId: seat.room.id,
          senderId: seat.user.id,
          speaker: seat.speaker,
          content: input.content,
          clientMsgId: input.clientMsgId ?? null,
          countsAsTurn: question === null,
        })
        .catch((error: unknown) => {
          // The append is one transaction: when it fails, nothing of the message was stored.
          throw isAppError(error) ? error : new AppError('UNAVAILABLE', MESSAGE_NOT_STORED, { cause: error })
        })
      if (result.duplicate) return { duplicate: true, event: messageEvent(result.message, senderOf(seat)) }
      stored.inc({ surface: 'couples' })
      if (result.startedSession) {
        // Both partners, the sender too, still hold the closed session's id.
        const subjectOf = await deps.roomService.subjectsOf(seat.room.id)
        await hub.publish(topicOf(seat), sessionEvent(result.session, COUPLE_TEXTS.newSession, subjectOf))
      }
      await hub.publish(topicOf(seat), messageEvent(result.message, senderOf(seat)))
      if (question !== null) {
        await answer(seat, result.session, question)
      } else if (result.session.turnCount > 0 && result.session.turnCount % deps.aiEveryNTurns === 0) {
        const asking = ai.question(result.session)
        if (await couples.ask(result.session.id, asking)) {
          await hub.publish(topicOf(seat), { type: 'system', content: asking, session_id: result.session.id })
        }
      }
      return { duplicate: false }
    },

    /**
     * A partner's answer to the AI's pending question. Refused (BAD_REQUEST, session intact)
     * when the answer is not `네` / `아니오`, `sessionId` is not the active session, or no
     * question is pending; of two partners answering at once, exactly one answer counts.
     */
    async respond(seat: Seat, input: { content: string; sessionId?: number }): Promise<void> {
      const reply = input.content.trim()
      if (!ANSWERS.has(reply)) throw badRequest('content must be 네 or 아니오')
      const active = await couples.activeSession(seat.room.id)
      if (!active) throw badRequest('there is no active session; send a message to start one')
      if (input.sessionId !== undefined && input.sessionId !== active.id) throw badRequest('session_id is not the active session')
      const session = await couples.claimPending(active.id)
      if (!session) throw badRequest('there is no question to answer')
      if (reply === '네') {
        const topic = ai.suggestTopic(session)
        await couples.setTopic(session.id, topic)
        await hub.publish(topicOf(seat), { type: 'system', content: ai.continueNotice(topic), session_id: session.id })
        return
      }
      const conversation = await couples.recentMessages(session.id, SUMMARY_MESSAGES)
      const summary = await ai.summarise(conversation, session)
      const closed = await couples.close(session.id, summary)
      if (!closed) return
      stored.inc({ surface: 'couples' })
      await hub.publish(topicOf(seat), { type: 'system', content: summary, session_id: session.id })
    },
  }
}

/** The session service as the socket receives it. */
export type CoupleSessionService = ReturnType<typeof createCoupleSessionService>

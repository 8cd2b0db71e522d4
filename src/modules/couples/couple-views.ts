/**
 * Couples' shapes as seed 001's clients read them. Partners appear by the id their clients
 * know, the token subject the Spring side issued (an integer when it is one), never by
 * huddle's own user id; session and message ids are integers; times are ISO 8601 in UTC.
 */
import type { CouplesMessageEvent, CouplesSessionEvent, CouplesSpeakerType } from '../realtime/protocol'
import type { Message } from '../messaging/message-repo'
import type { Room } from '../messaging/room-repo'
import type { CoupleSession } from './couple-repo'

/** A token subject as couples clients know it: a number when it is a safe integer, else the string. */
export function clientId(subject: string | null | undefined): string | number | null {
  if (subject === null || subject === undefined) return null
  if (/^-?\d+$/.test(subject)) {
    const n = Number(subject)
    if (Number.isSafeInteger(n)) return n
  }
  return subject
}

/** A time as couples clients get it. */
export const coupleTime = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null)

/** Maps huddle user ids to the subjects the clients know. */
export type SubjectOf = (userId: number | null | undefined) => string | number | null

/** A couple room in the shape of the seed's RoomResponse. */
export interface CoupleRoomItem {
  room_id: number
  room_name: string
  couple_id: number | null
  created_at: string
}

/** A stored couples message as history lists it (the relayed event's fields, without `type`). */
export interface CoupleMessageItem {
  message_id: number
  session_id: number | null
  sender_id: string | number | null
  speaker_type: CouplesSpeakerType
  content: string
  timestamp: string
}

/** A session as reconnecting clients list it. */
export interface CoupleSessionItem {
  session_id: number
  topic: string | null
  status: string
  started_at: string
  ended_at: string | null
  summary: string | null
  user_a_id: string | number | null
  user_b_id: string | number | null
  turn_count: number
  /** The AI's question still waiting for `네` / `아니오`, so a client can offer the answer again. */
  pending_question: string | null
}

/** A room in the RoomResponse shape; a room without a name shows an empty one. */
export function roomItem(room: Room): CoupleRoomItem {
  return { room_id: room.id, room_name: room.name ?? '', couple_id: room.coupleId ?? null, created_at: coupleTime(room.createdAt)! }
}

const speakerOf = (m: Message): CouplesSpeakerType => (m.speaker === 'A' || m.speaker === 'B' ? m.speaker : 'AI')

/** The relayed `message` event of a stored message. */
export function messageEvent(m: Message, subjectOf: SubjectOf): CouplesMessageEvent {
  const event: CouplesMessageEvent = {
    type: 'message',
    message_id: m.id,
    content: m.content,
    sender_id: m.senderId === null ? null : subjectOf(m.senderId),
    speaker_type: speakerOf(m),
    timestamp: coupleTime(m.createdAt)!,
    session_id: m.sessionId ?? 0,
  }
  if (m.clientMsgId) event.client_msg_id = m.clientMsgId
  return event
}

/** A stored message as history lists it; the AI's messages have a null sender. */
export function messageItem(m: Message, subjectOf: SubjectOf): CoupleMessageItem {
  return {
    message_id: m.id,
    session_id: m.sessionId ?? null,
    sender_id: m.senderId === null ? null : subjectOf(m.senderId),
    speaker_type: speakerOf(m),
    content: m.content,
    timestamp: coupleTime(m.createdAt)!,
  }
}

/** The `session` event for a session, with `content` the notice to show. */
export function sessionEvent(s: CoupleSession, content: string, subjectOf: SubjectOf): CouplesSessionEvent {
  return { type: 'session', session_id: s.id, content, user_a_id: subjectOf(s.userAId), user_b_id: subjectOf(s.userBId), topic: s.topic ?? null }
}

/** A session as the sessions list shows it, its partners by subject. */
export function sessionItem(s: CoupleSession, subjectOf: SubjectOf): CoupleSessionItem {
  return {
    session_id: s.id,
    topic: s.topic ?? null,
    status: s.status,
    started_at: coupleTime(s.startedAt)!,
    ended_at: coupleTime(s.endedAt),
    summary: s.summary ?? null,
    user_a_id: subjectOf(s.userAId),
    user_b_id: subjectOf(s.userBId),
    turn_count: s.turnCount,
    pending_question: s.pendingQuestion ?? null,
  }
}

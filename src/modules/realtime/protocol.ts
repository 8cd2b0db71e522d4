/**
 * The wire protocol of every huddle socket: what the server sends (one discriminated union
 * per surface), what clients send, the topics events travel on, and the close codes. Field
 * names and shapes follow the client contracts (seeds 003 and 001) to the letter, because
 * shipped clients parse them; anything the seeds leave open follows SPEC.md's pinned details.
 */

/** Message kinds the messenger clients know. `voice` and `location` are reserved by seed 003. */
export type MessengerMessageType = 'text' | 'image' | 'file' | 'voice' | 'location'

/** A stored messenger message in the REST list-item shape (seed 003 "메시지 목록 조회"). */
export interface MessengerMessageItem {
  message_id: number
  room_id: number
  sender_id: number
  sender_name: string
  message_content: string
  message_type: MessengerMessageType
  file_url: string | null
  file_name: string | null
  file_size: number | null
  reply_to_message_id: number | null
  is_edited: boolean
  is_deleted: boolean
  edited_at: string | null
  created_at: string
  updated_at: string
}

/** A new message, sent to every socket in the room, the sender's own included. */
export interface MessengerMessageEvent {
  type: 'message'
  message_id: number
  room_id: number
  sender_id: number
  sender_name: string
  content: string
  message_type: MessengerMessageType
  timestamp: string
  reply_to_message_id: number | null
  /** Echoed back only to let the sender match its optimistic copy; absent when not given. */
  client_msg_id?: string
  file_url?: string | null
  file_name?: string | null
  file_size?: number | null
}

/** Someone started or stopped typing; never stored. */
export interface MessengerTypingEvent {
  type: 'typing'
  user_id: number
  user_name: string
  is_typing: boolean
}

/** A user's first socket in the room opened, or their last one closed (across tabs and processes). */
export interface MessengerUserStatusEvent {
  type: 'user_status'
  user_id: number
  user_name: string
  status: 'online' | 'offline'
}

/** A member's read position moved, after a REST read or a `message_read` frame. */
export interface MessengerMessageReadEvent {
  type: 'message_read'
  room_id: number
  user_id: number
  last_read_at: string
}

/** A message was edited; carries the whole message in its list-item shape. */
export type MessengerMessageUpdatedEvent = { type: 'message_updated' } & MessengerMessageItem

/** A message was deleted; clients keep it listed as deleted. */
export interface MessengerMessageDeletedEvent {
  type: 'message_deleted'
  message_id: number
}

/** A frame was refused; sent to that socket only, which stays open unless a close code follows. */
export interface SocketErrorEvent {
  type: 'error'
  detail: string
}

/** Everything the messenger socket `/chat/ws/{room_id}` sends. */
export type MessengerServerEvent =
  | MessengerMessageEvent
  | MessengerTypingEvent
  | MessengerUserStatusEvent
  | MessengerMessageReadEvent
  | MessengerMessageUpdatedEvent
  | MessengerMessageDeletedEvent
  | SocketErrorEvent

/** Who speaks in a couples session: the room's creator, the partner, or the AI participant. */
export type CouplesSpeakerType = 'A' | 'B' | 'AI'

/**
 * The room's current session: sent to a socket once it has joined, and to the room when a
 * new session starts after the last one closed. Partners appear by their token subjects;
 * `user_b_id` is null until the partner has joined.
 */
export interface CouplesSessionEvent {
  type: 'session'
  session_id: number
  content: string
  user_a_id: string | number | null
  user_b_id: string | number | null
  topic: string | null
}

/** A question from the AI that expects a `response` frame (`네` / `아니오`), or a notice. */
export interface CouplesSystemEvent {
  type: 'system'
  content: string
  session_id?: number
}

/** A partner's or the AI's message, stored, then relayed to both partners (the sender included). */
export interface CouplesMessageEvent {
  type: 'message'
  message_id: number
  content: string
  /**
   * The speaker's id as the Spring side knows it (the token subject, an integer when it is
   * one; seed 001: "string_or_integer"); null for the AI participant.
   */
  sender_id: string | number | null
  speaker_type: CouplesSpeakerType
  timestamp: string
  session_id: number
  /** Echoed back only to let the sender match its optimistic copy; absent when not given. */
  client_msg_id?: string
}

/** Everything the couples socket `/api/sessions/ws/{room_id}` sends. */
export type CouplesServerEvent = CouplesSessionEvent | CouplesSystemEvent | CouplesMessageEvent | SocketErrorEvent

/**
 * Anything the hub may carry. The two surfaces both use `type: 'message'`, so narrow on the
 * surface's own union, never on this one.
 */
export type ServerEvent = MessengerServerEvent | CouplesServerEvent

/** Messenger client frames (seed 003 "메시지 전송", "타이핑 상태 전송", SPEC `message_read`). */
export type MessengerClientFrame =
  | {
      type: 'message'
      content: string
      message_type: MessengerMessageType
      reply_to_message_id: number | null
      client_msg_id?: string
    }
  | { type: 'typing'; is_typing: boolean }
  | { type: 'message_read' }

/** Couples client frames: a message (seed 001 sends bare `{content}`) or an answer to a system question. */
export type CouplesClientFrame =
  | { type: 'message'; content: string; client_msg_id?: string }
  | { type: 'response'; content: string; session_id?: number }

/**
 * Close codes, one table for every huddle socket. 4xxx codes mirror the HTTP status a REST
 * call would get, so clients can reuse their error handling; 1xxx codes are the standard ones.
 * A socket that may not open (4000, 4001, 4003, 4004) is never refused with an HTTP status,
 * which a browser would only report as 1006: its upgrade is accepted and it is closed at
 * once with the code and a short reason, and nothing else is sent on it (`socket-gate.ts`).
 *
 * | code | name           | when                                                               | client should |
 * |------|----------------|--------------------------------------------------------------------|---------------|
 * | 1000 | NORMAL         | the socket was closed on purpose by the client or the server       | not reconnect |
 * | 1001 | GOING_AWAY     | the server is shutting down                                        | reconnect with `?since=` |
 * | 1009 | MESSAGE_TOO_BIG| a frame exceeded the frame limit (64 KB by default)                | not resend it |
 * | 1011 | INTERNAL       | an unexpected server error                                         | reconnect with backoff |
 * | 1012 | SERVICE_RESTART| the realtime bus (Redis) was lost and is back: events from other processes may have been missed | reconnect with `?since=` |
 * | 4000 | BAD_REQUEST    | the upgrade request was malformed (bad room id, bad `since`)       | not reconnect |
 * | 4001 | UNAUTHORIZED   | no token, or an invalid or expired one                             | refresh the token |
 * | 4003 | FORBIDDEN      | not a member of the room (couples: no seat, and neither the couple claim nor a valid invitation) | not reconnect |
 * | 4004 | NOT_FOUND      | the room does not exist                                            | not reconnect |
 * | 4008 | POLICY         | too many frames per second, repeatedly (rate limit)                | reconnect later |
 * | 4009 | SLOW_CONSUMER  | the client read too slowly and its outbound buffer passed its bound | reconnect with `?since=` |
 */
export const CLOSE_CODES = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL: 1011,
  SERVICE_RESTART: 1012,
  BAD_REQUEST: 4000,
  UNAUTHORIZED: 4001,
  FORBIDDEN: 4003,
  NOT_FOUND: 4004,
  POLICY: 4008,
  SLOW_CONSUMER: 4009,
} as const

/** Any code from `CLOSE_CODES`. */
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES]

/** The reason string sent with each close code; short, stable, and never carrying details. */
export const CLOSE_REASONS: Record<CloseCode, string> = {
  1000: 'normal closure',
  1001: 'server shutting down',
  1009: 'frame too large',
  1011: 'internal error',
  1012: 'realtime bus reconnected: resync with since',
  4000: 'bad request',
  4001: 'unauthorized',
  4003: 'forbidden',
  4004: 'not found',
  4008: 'rate limit exceeded',
  4009: 'slow consumer',
}

/** The `detail` of the error event a sender gets when its message could not be stored (e.g. the database is down). */
export const MESSAGE_NOT_STORED = 'message not stored: the server could not save it, send it again'

/** Topic names, one per room and surface, so two surfaces' room ids never share a topic. */
export const topics = {
  /** Every socket of one messenger room. */
  messengerRoom: (roomId: number | string) => `messenger:room:${roomId}`,
  /** Every socket of one couples room. */
  couplesRoom: (roomId: number | string) => `couples:room:${roomId}`,
} as const

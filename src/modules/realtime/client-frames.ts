/**
 * Parsing of what clients send over a socket. Every refusal is an `AppError('BAD_REQUEST')`
 * whose message is safe to send back as `{"type":"error","detail":…}`: it names the field,
 * never echoes the frame.
 */
import { badRequest } from '../../platform/errors'
import type { CouplesClientFrame, MessengerClientFrame, MessengerMessageType } from './protocol'

const MESSAGE_TYPES: ReadonlySet<string> = new Set<MessengerMessageType>(['text', 'image', 'file', 'voice', 'location'])

/** Longest message text accepted over a socket, in characters; the frame limit caps bytes. */
export const MAX_FRAME_CONTENT_CHARS = 10_000

const MAX_CLIENT_MSG_ID_CHARS = 100

function decodeObject(raw: string | Uint8Array): Record<string, unknown> {
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw badRequest('frame is not valid JSON')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('frame must be a JSON object')
  return value as Record<string, unknown>
}

function requireContent(frame: Record<string, unknown>): string {
  const content = frame.content
  if (typeof content !== 'string') throw badRequest('content must be a string')
  if (content.trim().length === 0) throw badRequest('content must not be empty')
  if (content.length > MAX_FRAME_CONTENT_CHARS) throw badRequest(`content must be at most ${MAX_FRAME_CONTENT_CHARS} characters`)
  return content
}

function optionalPositiveInt(frame: Record<string, unknown>, field: string): number | null {
  const value = frame[field]
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw badRequest(`${field} must be a positive integer`)
  }
  return value
}

/** Parses a messenger frame; `message_type` defaults to `text`, as seed 003's clients assume. */
export function parseMessengerFrame(raw: string | Uint8Array): MessengerClientFrame {
  const frame = decodeObject(raw)
  switch (frame.type) {
    case 'message': {
      const content = requireContent(frame)
      const messageType = frame.message_type ?? 'text'
      if (typeof messageType !== 'string' || !MESSAGE_TYPES.has(messageType)) {
        throw badRequest('message_type must be one of text, image, file, voice, location')
      }
      const parsed: MessengerClientFrame = {
        type: 'message',
        content,
        message_type: messageType as MessengerMessageType,
        reply_to_message_id: optionalPositiveInt(frame, 'reply_to_message_id'),
      }
      const clientMsgId = frame.client_msg_id
      if (clientMsgId !== undefined && clientMsgId !== null) {
        if (typeof clientMsgId !== 'string' || clientMsgId.length === 0 || clientMsgId.length > MAX_CLIENT_MSG_ID_CHARS) {
          throw badRequest(`client_msg_id must be a string of 1 to ${MAX_CLIENT_MSG_ID_CHARS} characters`)
        }
        parsed.client_msg_id = clientMsgId
      }
      return parsed
    }
    case 'typing': {
      if (typeof frame.is_typing !== 'boolean') throw badRequest('is_typing must be a boolean')
      return { type: 'typing', is_typing: frame.is_typing }
    }
    case 'message_read':
      return { type: 'message_read' }
    case undefined:
      throw badRequest('type is required')
    default:
      throw badRequest('unknown frame type')
  }
}

/**
 * Parses a couples frame. Seed 001's clients send a bare `{content}` for a message, so a
 * frame without `type` (or with `type: "message"`) is a message.
 */
export function parseCouplesFrame(raw: string | Uint8Array): CouplesClientFrame {
  const frame = decodeObject(raw)
  switch (frame.type) {
    case undefined:
    case null:
    case 'message':
      return { type: 'message', content: requireContent(frame) }
    case 'response': {
      const content = requireContent(frame)
      const sessionId = optionalSessionId(frame.session_id)
      return sessionId === undefined ? { type: 'response', content } : { type: 'response', content, session_id: sessionId }
    }
    default:
      throw badRequest('unknown frame type')
  }
}

/** Seed 001 types `session_id` as "integer" but in quotes, so digits in a string are accepted. */
function optionalSessionId(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw badRequest('session_id must be a positive integer')
  return n
}

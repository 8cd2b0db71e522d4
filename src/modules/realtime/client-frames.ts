/**
 * Parsing of what clients send over a socket. Every refusal is an `AppError('BAD_REQUEST')`
 * whose message is safe to send back as `{"type":"error","detail":…}`: it names the field,
 * never echoes the frame.
 */
import { badRequest } from '../../platform/errors'
import { unsafeTextReason } from '../../platform/text-guard'
import type { CouplesClientFrame, MessengerClientFrame, MessengerMessageType } from './protocol'

const MESSAGE_TYPES: ReadonlySet<string> = new Set<MessengerMessageType>(['text', 'image', 'file', 'voice', 'location'])

/** Longest message text accepted over a socket, in characters; the frame limit caps bytes. */
export const MAX_FRAME_CONTENT_CHARS = 10_000

const MAX_CLIENT_MSG_ID_CHARS = 100

/**
 * What a socket's message handler may receive: raw text or bytes, or (from Elysia, which
 * runs `JSON.parse` on text that looks like JSON) the parsed value, which is used as is.
 */
export type InboundFrame = string | Uint8Array | ArrayBuffer | object | number | boolean | null

function decodeObject(raw: InboundFrame): Record<string, unknown> {
  let value: unknown = raw
  if (typeof raw === 'string' || raw instanceof Uint8Array || raw instanceof ArrayBuffer) {
    const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw)
    try {
      value = JSON.parse(text)
    } catch {
      throw badRequest('frame is not valid JSON')
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('frame must be a JSON object')
  return value as Record<string, unknown>
}

/**
 * Whether a frame is larger than `limit` bytes. Text and bytes are measured exactly. A frame
 * Elysia already parsed is measured without serialising it again: the UTF-8 bytes of every
 * key and string plus the digits of every number, a lower bound of its JSON length that
 * misses only punctuation, walked iteratively (deep nesting cannot overflow the stack) and
 * abandoned as soon as the limit is passed. Bun's `maxPayloadLength` bounds the walk.
 */
export function frameExceeds(frame: InboundFrame, limit: number): boolean {
  if (typeof frame === 'string') return frame.length > limit || (frame.length * 3 > limit && Buffer.byteLength(frame) > limit)
  if (frame instanceof Uint8Array || frame instanceof ArrayBuffer) return frame.byteLength > limit
  let total = 0
  const stack: unknown[] = [frame]
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value === 'string') total += Buffer.byteLength(value)
    else if (typeof value === 'number' || typeof value === 'boolean') total += String(value).length
    else if (Array.isArray(value)) for (const item of value) stack.push(item)
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        total += Buffer.byteLength(key)
        stack.push(item)
      }
    }
    if (total > limit) return true
  }
  return false
}

function requireContent(frame: Record<string, unknown>): string {
  const content = frame.content
  if (typeof content !== 'string') throw badRequest('content must be a string')
  if (content.trim().length === 0) throw badRequest('content must not be empty')
  if (content.length > MAX_FRAME_CONTENT_CHARS) throw badRequest(`content must be at most ${MAX_FRAME_CONTENT_CHARS} characters`)
  return storable('content', content)
}

/** The shared text guard: text the database cannot store is refused here, not by the database. */
function storable(field: string, text: string): string {
  const reason = unsafeTextReason(text)
  if (reason) throw badRequest(`${field} ${reason}`)
  return text
}

function optionalPositiveInt(frame: Record<string, unknown>, field: string): number | null {
  const value = frame[field]
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw badRequest(`${field} must be a positive integer`)
  }
  return value
}

/** An optional `client_msg_id`: absent, or a string of 1 to 100 characters. */
function optionalClientMsgId(frame: Record<string, unknown>): string | undefined {
  const clientMsgId = frame.client_msg_id
  if (clientMsgId === undefined || clientMsgId === null) return undefined
  if (typeof clientMsgId !== 'string' || clientMsgId.length === 0 || clientMsgId.length > MAX_CLIENT_MSG_ID_CHARS) {
    throw badRequest(`client_msg_id must be a string of 1 to ${MAX_CLIENT_MSG_ID_CHARS} characters`)
  }
  return storable('client_msg_id', clientMsgId)
}

/** Parses a messenger frame; `message_type` defaults to `text`, as seed 003's clients assume. */
export function parseMessengerFrame(raw: InboundFrame): MessengerClientFrame {
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
      const clientMsgId = optionalClientMsgId(frame)
      if (clientMsgId !== undefined) parsed.client_msg_id = clientMsgId
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
 * frame without `type` (or with `type: "message"`) is a message; `client_msg_id` is optional.
 */
export function parseCouplesFrame(raw: InboundFrame): CouplesClientFrame {
  const frame = decodeObject(raw)
  switch (frame.type) {
    case undefined:
    case null:
    case 'message': {
      const content = requireContent(frame)
      const clientMsgId = optionalClientMsgId(frame)
      return clientMsgId === undefined ? { type: 'message', content } : { type: 'message', content, client_msg_id: clientMsgId }
    }
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
  const n = typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw badRequest('session_id must be a positive integer')
  return n
}

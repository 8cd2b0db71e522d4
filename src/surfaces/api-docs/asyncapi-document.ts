/**
 * The AsyncAPI 3 description of everything huddle streams: the messenger and couples
 * WebSockets (every client frame, every server event, the close codes) and the streamed HTTP
 * answers (petcare SSE, advisor SSE, the docs AI SDK data stream). Served at /asyncapi.json.
 *
 * The event tables below are typed `satisfies Record<Union['type'], …>` against the unions the
 * code sends (realtime/protocol.ts, the stream encoders), so an event added to the code without
 * a description here fails the type check. Close codes are read from CLOSE_CODES itself.
 */
import type { FinanceStreamEvent } from '../../modules/advisor/finance-chat-service'
import type { DataStreamPart } from '../../modules/ai/data-stream-encoder'
import type { StepType } from '../../modules/petcare/flow-types'
import { CLOSE_CODES, CLOSE_REASONS, type CouplesClientFrame, type CouplesServerEvent, type MessengerClientFrame, type MessengerServerEvent } from '../../modules/realtime/protocol'
import { ChatItemSchema } from '../advisor/advisor-views'

type Schema = Record<string, unknown>
const str = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) })
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) })
const bool: Schema = { type: 'boolean' }
const nullable = (s: Schema): Schema => ({ oneOf: [s, { type: 'null' }] })
const obj = (type: string, properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties: { type: { const: type }, ...properties },
  required: ['type', ...Object.keys(properties).filter((k) => !optional.includes(k))],
})
const messageType: Schema = { type: 'string', enum: ['text', 'image', 'file', 'voice', 'location'] }
const messageItem: Record<string, Schema> = {
  message_id: int(), room_id: int(), sender_id: int(), sender_name: str(), message_content: str(), message_type: messageType,
  file_url: nullable(str()), file_name: nullable(str()), file_size: nullable(int()), reply_to_message_id: nullable(int()),
  is_edited: bool, is_deleted: bool, edited_at: nullable(str()), created_at: str('UTC, YYYY-MM-DDTHH:MM:SS'), updated_at: str(),
}
const errorEvent = obj('error', { detail: str('why the frame was refused; the socket stays open unless a close follows') })
const partnerId: Schema = { oneOf: [{ type: 'string' }, { type: 'integer' }], description: "the partner's token subject (the Spring user id)" }

/** Every event the messenger socket sends. */
const MESSENGER_EVENTS = {
  message: obj('message', {
    message_id: int(), room_id: int(), sender_id: int(), sender_name: str(), content: str(), message_type: messageType,
    timestamp: str(), reply_to_message_id: nullable(int()), client_msg_id: str('echoed to the sender only when it sent one'),
    file_url: nullable(str()), file_name: nullable(str()), file_size: nullable(int()),
  }, ['client_msg_id', 'file_url', 'file_name', 'file_size']),
  typing: obj('typing', { user_id: int(), user_name: str(), is_typing: bool }),
  user_status: obj('user_status', { user_id: int(), user_name: str(), status: { type: 'string', enum: ['online', 'offline'] } }),
  message_read: obj('message_read', { room_id: int(), user_id: int(), last_read_at: str() }),
  message_updated: obj('message_updated', messageItem),
  message_deleted: obj('message_deleted', { message_id: int() }),
  error: errorEvent,
} satisfies Record<MessengerServerEvent['type'], Schema>

/** Every frame a messenger client may send. */
const MESSENGER_FRAMES = {
  message: obj('message', { content: str('1–10000 characters'), message_type: messageType, reply_to_message_id: nullable(int()), client_msg_id: str('makes a resend harmless') }, ['message_type', 'reply_to_message_id', 'client_msg_id']),
  typing: obj('typing', { is_typing: bool }),
  message_read: obj('message_read', {}),
} satisfies Record<MessengerClientFrame['type'], Schema>

/** Every event the couples socket sends. */
const COUPLES_EVENTS = {
  session: obj('session', { session_id: int(), content: str(), user_a_id: nullable(partnerId), user_b_id: nullable(partnerId), topic: nullable(str()) }),
  system: obj('system', { content: str('a question that expects a `response` frame (네 / 아니오), or a notice'), session_id: int() }, ['session_id']),
  message: obj('message', {
    message_id: int(), content: str(), sender_id: nullable(partnerId), speaker_type: { type: 'string', enum: ['A', 'B', 'AI'] },
    timestamp: str(), session_id: int(), client_msg_id: str(),
  }, ['client_msg_id']),
  error: errorEvent,
} satisfies Record<CouplesServerEvent['type'], Schema>

/** Every frame a couples client may send (`type` may be left out of a message: seed 001 sends bare `{content}`). */
const COUPLES_FRAMES = {
  message: { ...obj('message', { content: str(), client_msg_id: str() }, ['client_msg_id']), required: ['content'] },
  response: obj('response', { content: { type: 'string', enum: ['네', '아니오'] }, session_id: int() }, ['session_id']),
} satisfies Record<CouplesClientFrame['type'], Schema>

/** Petcare SSE events of `POST /api/messages` and `POST /api/chats/{chat_id}/messages` (`data: {json}`). */
const stepEvent = (step: string): Schema => ({
  type: 'object',
  properties: { type: { const: step }, content: { description: 'progress text, then the step\'s structured content ({role, content} for the answer)' } },
  required: ['type', 'content'],
})
const PETCARE_STEPS = {
  tool_selection: stepEvent('tool_selection'),
  recipe_flow: stepEvent('recipe_flow'),
  rag_flow: stepEvent('rag_flow'),
  basic_flow: stepEvent('basic_flow'),
} satisfies Record<StepType, Schema>
const PETCARE_EVENTS: Record<string, Schema> = {
  start: obj('start', { chat_id: str('chat-{uuid}: a new chat learns its id here') }),
  ...PETCARE_STEPS,
  new_recipe_message: obj('new_recipe_message', { recipe_id: str('recipe-{uuid}'), title: str(), calculation_result: { type: 'object', description: 'profile, energy, grams, supplements, AAFCO checks, meals' } }),
  end: obj('end', { chat_id: str(), result: { type: 'object', properties: { messages: { type: 'array' }, next_step: str(), usage: { type: 'object' } } } }),
  error: obj('error', { error: str(), detail: str() }),
}

/** Advisor SSE events of `POST /api/v1/chat/stream`. */
const ADVISOR_EVENTS = {
  start: obj('start', { user_message: ChatItemSchema as Schema }),
  delta: obj('delta', { content: str('the next piece of the answer') }),
  end: obj('end', { user_message: ChatItemSchema as Schema, ai_message: ChatItemSchema as Schema }),
} satisfies Record<FinanceStreamEvent['type'], Schema>
const ADVISOR_STREAM_EVENTS: Record<string, Schema> = { ...ADVISOR_EVENTS, error: obj('error', { error_code: str(), message: str() }) }

/** The AI SDK data stream (v1) parts of `POST /api/chat`: one `{code}:{json}` line each. */
const DATA_STREAM_PARTS = {
  start: { code: 'f', payload: { type: 'object', properties: { messageId: str() } } },
  text: { code: '0', payload: str('a piece of the answer') },
  data: { code: '2', payload: { type: 'array' } },
  error: { code: '3', payload: str('a public error message') },
  annotations: {
    code: '8',
    payload: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sources: { type: 'array', items: { type: 'object', properties: { index: int(), source: str(), content: str('≤ 200 characters'), similarity: { type: 'number', minimum: 0, maximum: 1 } } } } },
      },
    },
  },
  'finish-step': { code: 'e', payload: { type: 'object', properties: { finishReason: str(), usage: { type: 'object' }, isContinued: bool } } },
  finish: { code: 'd', payload: { type: 'object', properties: { finishReason: str(), usage: { type: 'object' } } } },
} satisfies Record<DataStreamPart['type'], { code: string; payload: Schema }>

/** The data-stream line prefixes huddle sends, by part type (tests compare them with real streams). */
export const DATA_STREAM_CODES: Record<string, string> = Object.fromEntries(Object.entries(DATA_STREAM_PARTS).map(([k, v]) => [k, v.code]))

const closeCodeTable = Object.entries(CLOSE_CODES).map(([name, code]) => ({ code, name, reason: CLOSE_REASONS[code] }))

const messagesOf = (prefix: string, table: Record<string, Schema>, summary: string) =>
  Object.fromEntries(Object.entries(table).map(([type, payload]) => [`${prefix}_${type}`, { name: type, title: `${summary}: ${type}`, contentType: 'application/json', payload }]))

const refs = (channel: string, names: string[]) => names.map((n) => ({ $ref: `#/channels/${channel}/messages/${n}` }))

/** Builds the AsyncAPI 3.0 document (a plain object, ready for JSON). */
export function asyncApiDocument(version: string): Record<string, unknown> {
  const channels: Record<string, Record<string, unknown>> = {}
  const operations: Record<string, unknown> = {}
  const channel = (
    id: string,
    def: { address: string; title: string; description: string; bindings?: Record<string, unknown>; parameters?: Record<string, unknown> },
    sent: Record<string, Schema>,
    received: Record<string, Schema> = {},
  ) => {
    const sentMessages = messagesOf('server', sent, `${def.title} event`)
    const receivedMessages = messagesOf('client', received, `${def.title} frame`)
    channels[id] = { ...def, messages: { ...sentMessages, ...receivedMessages } }
    operations[`${id}Send`] = { action: 'send', channel: { $ref: `#/channels/${id}` }, summary: `huddle sends ${def.title} events`, messages: refs(id, Object.keys(sentMessages)) }
    if (Object.keys(receivedMessages).length > 0) {
      operations[`${id}Receive`] = { action: 'receive', channel: { $ref: `#/channels/${id}` }, summary: `huddle receives ${def.title} frames`, messages: refs(id, Object.keys(receivedMessages)) }
    }
  }
  const roomId = { room_id: { description: 'the room id (integer)' } }
  const closeCodes = `Close codes (the same on every huddle socket; a socket that may not open is accepted and closed at once with 4001/4003/4004 and a reason, nothing else sent):\n\n| code | name | reason |\n|---|---|---|\n${closeCodeTable.map((c) => `| ${c.code} | ${c.name} | ${c.reason} |`).join('\n')}`

  channel('messengerRoom', {
    address: '/chat/ws/{room_id}',
    title: 'messenger',
    parameters: roomId,
    description: `Seed 003's room socket. Authenticate with \`?token=\` (or the session cookie); \`?since={message_id}\` replays what a reconnecting client missed. A message is stored before it is broadcast; the sender gets its own message back.\n\n${closeCodes}`,
    bindings: { ws: { query: { type: 'object', properties: { token: str('JWT'), since: int('last message id seen') } } } },
  }, MESSENGER_EVENTS, MESSENGER_FRAMES)
  channel('couplesSession', {
    address: '/api/sessions/ws/{room_id}',
    title: 'couples',
    parameters: roomId,
    description: `Seed 001's session socket: two partners and an AI participant. \`?token=\` (Spring-issued or huddle's own); \`?invite=\` seats a partner with an invitation from seat A.\n\n${closeCodes}`,
    bindings: { ws: { query: { type: 'object', properties: { token: str('JWT'), invite: str('invitation code from POST /api/rooms/{room_id}/invite') } } } },
  }, COUPLES_EVENTS, COUPLES_FRAMES)
  channel('petcareMessageStream', {
    address: '/api/messages',
    title: 'petcare',
    description: 'Server-Sent Events (`data: {json}` blocks, `: ping` comments) answering `POST /api/messages` and `POST /api/chats/{chat_id}/messages`: start → tool_selection ×2 → the flow → (new_recipe_message) → end.',
    bindings: { http: { method: 'POST' } },
  }, PETCARE_EVENTS)
  channel('advisorFinanceStream', {
    address: '/api/v1/chat/stream',
    title: 'advisor',
    description: 'Server-Sent Events answering `POST /api/v1/chat/stream`: start → delta… → end, or error.',
    bindings: { http: { method: 'POST' } },
  }, ADVISOR_STREAM_EVENTS)
  channel('docsChatStream', {
    address: '/api/chat',
    title: 'docs',
    description: 'The Vercel AI SDK data stream protocol v1 (header `x-vercel-ai-data-stream: v1`) answering `POST /api/chat`: one line per part, `{code}:{json}\\n`. Message names carry the code.',
    bindings: { http: { method: 'POST' } },
  }, Object.fromEntries(Object.entries(DATA_STREAM_PARTS).map(([type, p]) => [`${p.code}_${type}`, { ...p.payload, description: `line prefix "${p.code}:"` }])))

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'huddle realtime and streaming protocols',
      version,
      description: 'The WebSockets and streamed HTTP answers of huddle. HTTP routes are described in OpenAPI at /swagger/json.',
    },
    defaultContentType: 'application/json',
    servers: {
      ws: { host: 'localhost:8000', protocol: 'ws', description: 'WebSockets (wss behind TLS)' },
      http: { host: 'localhost:8000', protocol: 'http', description: 'Streamed HTTP answers' },
    },
    channels,
    operations,
    components: { 'x-close-codes': closeCodeTable },
  }
}

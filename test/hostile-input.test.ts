import { afterAll, beforeAll, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../src/platform/db/client'
import { AppError } from '../src/platform/errors'
import { createErrorShapeTable } from '../src/platform/http/error-shapes'
import { accountErrorShape } from '../src/surfaces/account/account-routes'
import { advisorErrorShape } from '../src/surfaces/advisor/advisor-error-shape'
import { couplesErrorShape } from '../src/surfaces/couples/couples-routes'
import { docsErrorShape } from '../src/surfaces/docs/docs-routes'
import { messengerErrorShape } from '../src/surfaces/messenger/messenger-routes'
import { petcareErrorShape } from '../src/surfaces/petcare/petcare-views'
import { createTestApp, type TestApp } from './support/app'
import { openSocket, type TestSocket } from './support/ws-client'

// The meta-test of hostile input: every route the OpenAPI document lists and every socket
// frame type gets, field by field, values an attacker would try. Whatever huddle answers, it
// is never a 5xx; a refusal is in the surface's own error shape and leaves no new row in any
// table. Accepted values (an RTL override or `../` is legitimate text) may be stored.

const TEXT = ['\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', 'x'.repeat(100_000), '\u202Eexe.txt', '../../etc/passwd']
const NUMERIC_TEXT = ['1.5', '2147483648', '9223372036854775808', '0x10', '16e0', ' 16 ', '1e20', '-1', '']
const NON_STRINGS: unknown[] = [1.5, 1e20, 2 ** 63, -1, true, null, [], {}, { a: '\u0000' }, ['\uD800']]
const AS_STRINGS = [...TEXT, ...NUMERIC_TEXT]
/** What no integer field may read as a number: fractions, hex, exponents, padding, signs, beyond 2^53. */
const NOT_CANONICAL = new Set<unknown>(['1.5', '9223372036854775808', '0x10', '16e0', ' 16 ', '1e20', '-1', 1.5, 1e20, 2 ** 63, -1])
/** Whether the document types a parameter or field as an integer. */
const isInteger = (s: any): boolean => !!s && (s.type === 'integer' || /^\^\(0\|\[1-9\]/.test(s.pattern ?? '') || (s.oneOf ?? s.anyOf ?? []).some(isInteger))
// Numbers written as text go to the fields the document types as integers; every field gets the rest.
const AS_JSON = [...AS_STRINGS, ...NON_STRINGS]

const shapes = createErrorShapeTable([accountErrorShape, messengerErrorShape, advisorErrorShape, petcareErrorShape, docsErrorShape, couplesErrorShape])
const shapeKeys = (path: string) => Object.keys(shapes.shapeFor(path).body(new AppError('BAD_REQUEST', 'x'), 400) as object).sort()

const DOG = { species: 'dog', age: 3, weight_kg: 10, neutered: true, activity: 'normal', allergies: [] }

let t: TestApp
let base: string
let token: string
let petToken: string
const fx = {} as { me: number; other: number; room: number; message: number; coupleRoom: number; session: string; petUser: string; chat: string; conversation: string; document: number }

/** Valid bodies, so a hostile value in one field is not hidden behind another field's absence. */
const bodies = (): Record<string, Record<string, unknown>> => ({
  'POST /api/auth/register': { email: 'hostile@example.com', password: 'correct horse battery', name: 'Hostile' },
  'POST /api/auth/login': { email: 'hostile@example.com', password: 'correct horse battery' },
  'POST /chat/rooms': { room_name: 'r', room_type: 'group', participant_ids: [fx.other] },
  'POST /chat/rooms/{room_id}/messages': { message_content: 'hello', message_type: 'text' },
  'PUT /chat/rooms/{room_id}/messages/{message_id}': { message_content: 'edited' },
  'PUT /chat/rooms/{room_id}/settings': { notification_enabled: true },
  'POST /api/v1/chat/send_message': { session_id: fx.session, question: '식비 카드 추천' },
  'POST /api/v1/chat': { message: '이번 달 지출은?' },
  'POST /api/v1/chat/stream': { message: '이번 달 지출은?' },
  'POST /api/v1/transactions': { amount: 15000, category: '식비', merchant: 'm', occurred_at: '2026-01-02' },
  'POST /api/users': { cafe24_token: 'hostile-cafe24', pets: [{ petnm: 'Bori', pet_info: DOG }] },
  'POST /api/chats/{chat_id}/share': { userId: fx.petUser },
  'POST /api/shared/{chat_id}': { userId: fx.petUser, petnm: 'Bori', content: { message: 'hi' } },
  'POST /api/messages': { userId: fx.petUser, petnm: 'Bori', content: { message: 'hi' } },
  'POST /api/chats/{chat_id}/messages': { userId: fx.petUser, petnm: 'Bori', content: { message: 'hi' } },
  'POST /api/ingest': { text: 'hello world', source: 'a.txt' },
  'POST /api/chat': { messages: [{ role: 'user', content: 'hello' }], conversationId: fx.conversation },
  'POST /api/conversations': { title: 't' },
  'DELETE /api/conversations': { id: fx.conversation },
  'POST /api/conversations/{id}/messages': { role: 'user', content: 'hi' },
  'POST /api/rooms': { room_name: 'couple', couple_id: 77 },
})

/** A valid value for each path parameter, by route prefix and name. */
function pathValue(path: string, name: string): string {
  if (name === 'room_id') return String(path.startsWith('/chat') ? fx.room : fx.coupleRoom)
  if (name === 'message_id') return String(fx.message)
  if (name === 'chat_id') return fx.chat
  if (name === 'recipe_id') return `recipe-${crypto.randomUUID()}`
  if (name === 'file_id') return crypto.randomUUID()
  if (name === 'id') return fx.conversation
  throw new Error(`no fixture for path parameter ${name} of ${path}`)
}

/**
 * Every row inserted into any table is logged by a trigger this file adds (and drops again),
 * so each attempt costs one read of a usually empty log instead of a count of every table.
 * Returns the tables written since the last call and empties the log.
 */
async function takeWrites(): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(t.database.db, sql`select distinct table_name from hostile_writes`)
  if (rows.length) await queryRows(t.database.db, sql`delete from hostile_writes`)
  return rows.map((r) => r.table_name).sort()
}

beforeAll(async () => {
  t = await createTestApp({
    RATE_LIMIT_DOCS_CHAT_PER_MINUTE: '100000',
    RATE_LIMIT_DOCS_INGEST_PER_MINUTE: '100000',
    RATE_LIMIT_DOCS_DELETE_PER_MINUTE: '100000',
    COUPLES_AI_EVERY_N_TURNS: '1000',
    WS_MESSAGES_PER_SECOND: '1000',
    // Limits would answer most attempts with 429 before the fields are read.
    RATE_LIMIT_AUTH_PER_IP: '1000000',
    RATE_LIMIT_AUTH_PER_EMAIL: '1000000',
    RATE_LIMIT_USER_SEARCH_PER_MINUTE: '100000',
  })
  base = await t.listen()
  token = await t.token('hostile-me', { coupleId: 77 })
  fx.me = (await (await t.request('GET', '/api/auth/me', { token })).json()).id
  fx.other = (await t.user('hostile-other')).id
  fx.room = (await (await t.request('POST', '/chat/rooms', { token, json: bodies()['POST /chat/rooms'] })).json()).room_id
  fx.message = (await (await t.request('POST', `/chat/rooms/${fx.room}/messages`, { token, json: { message_content: 'first' } })).json()).message_id
  fx.coupleRoom = (await (await t.request('POST', '/api/rooms', { token, json: { room_name: 'c', couple_id: 77 } })).json()).room_id
  fx.session = (await (await t.request('POST', '/api/v1/chat/make_room', { token })).json()).session_id
  const pet = await (await t.request('POST', '/api/users', { json: bodies()['POST /api/users'] })).json()
  fx.petUser = pet.id
  petToken = pet.access_token
  const started = await t.request('POST', '/api/messages', { token: petToken, json: { userId: fx.petUser, petnm: 'Bori', content: { message: 'hi' } } })
  fx.chat = JSON.parse((await started.text()).split('\n\n')[0]!.slice(6)).chat_id
  fx.conversation = (await (await t.request('POST', '/api/conversations', { token, json: { title: 'c' } })).json()).id
  const tables = await queryRows<{ table_name: string }>(
    t.database.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  )
  await queryRows(t.database.db, sql`create table hostile_writes (table_name text not null)`)
  await queryRows(
    t.database.db,
    sql.raw(`create function hostile_log_write() returns trigger language plpgsql as $$ begin insert into hostile_writes values (TG_TABLE_NAME); return null; end $$`),
  )
  for (const { table_name } of tables) {
    await queryRows(t.database.db, sql.raw(`create trigger hostile_log_write after insert on "${table_name}" for each row execute function hostile_log_write()`))
  }
  for (const [key, value] of Object.entries(fx)) expect(value, key).toBeDefined()
}, 30_000)
afterAll(async () => {
  // The test database goes back to the next file in its template's shape.
  await queryRows(t.database.db, sql`drop function hostile_log_write() cascade`)
  await queryRows(t.database.db, sql`drop table hostile_writes`)
  await t.close()
})

interface Attempt {
  method: string
  path: string
  query?: Record<string, string>
  json?: unknown
  form?: FormData
}

const failures: string[] = []
let sent = 0
let strictAttempts = 0

/** Sends one attempt; records a 5xx, a refusal in another shape, or a refusal that left rows. */
async function attempt(a: Attempt, label: string, mustRefuse = false) {
  if (mustRefuse) strictAttempts++
  const qs = a.query ? `?${Object.entries(a.query).map(([k, v]) => `${k}=${encode(v)}`).join('&')}` : ''
  const auth = a.path.startsWith('/api/users') || a.path.startsWith('/api/chats') || a.path.startsWith('/api/messages') || a.path.startsWith('/api/shared') || a.path.startsWith('/api/recipes') ? petToken : token
  const res = await t.request(a.method, a.path + qs, a.form ? { token: auth, body: a.form } : { token: auth, json: a.json })
  const text = await res.text()
  // Without pgvector, document search answers its documented 503 (in the surface shape, checked below).
  const noVector = res.status === 503 && !t.database.hasVector && /^\/api\/(ingest|chat)$/.test(a.path)
  const written = await takeWrites()
  if (res.status >= 500 && !noVector) return void failures.push(`${label}: ${res.status} ${text.slice(0, 200)}`)
  if (res.status < 400) {
    if (mustRefuse) failures.push(`${label}: a non-canonical integer was accepted (${res.status})`)
    return
  }
  let keys: string[] = []
  try {
    keys = Object.keys(JSON.parse(text)).sort()
  } catch {}
  const expected = shapeKeys(a.path)
  if (keys.join() !== expected.join()) failures.push(`${label}: ${res.status} body ${text.slice(0, 200)} is not ${expected.join(',')}`)
  if (written.length) failures.push(`${label}: refused with ${res.status} but added rows to ${written.join(', ')}`)
}

/** URL-encodes text, lone surrogates included (as the UTF-8 bytes a careless client would send). */
const encode = (v: string) =>
  Array.from(v, (c) => (/[\uD800-\uDFFF]/.test(c) ? `%ED%${(0xa0 | ((c.charCodeAt(0) >> 6) & 0x1f)).toString(16)}%${(0x80 | (c.charCodeAt(0) & 0x3f)).toString(16)}` : encodeURIComponent(c))).join('')

const show = (v: unknown) => (typeof v === 'string' && v.length > 40 ? `"${v.slice(0, 8)}…"(${v.length})` : JSON.stringify(v))

test('every route in the OpenAPI document: hostile params, queries and body fields are refused in the surface shape, never a 5xx, never a half-write', async () => {
  const doc = await (await t.request('GET', '/swagger/json')).json()
  const valid = bodies()
  const operations: { method: string; path: string; op: any }[] = []
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    if (/^\/(healthz|readyz|metrics)$/.test(path)) continue
    for (const [method, op] of Object.entries<any>(ops)) if (method !== 'ws') operations.push({ method: method.toUpperCase(), path, op })
  }
  // Destructive routes last, so the fixtures they remove serve every other route first.
  operations.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'))
  expect(operations.length).toBeGreaterThan(40)
  let bodiesSeen = 0

  for (const { method, path, op } of operations) {
    const key = `${method} ${path}`
    const params: { name: string; in: string; schema?: unknown }[] = op.parameters ?? []
    const fill = (overrides: Record<string, string> = {}) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => encode(overrides[name] ?? pathValue(path, name)))
    const schema = op.requestBody?.content?.['application/json']?.schema
    const fields = Object.keys(schema?.properties ?? {})
    if (fields.length > 0) bodiesSeen++
    const body = valid[key] ?? {}

    const startedAt = performance.now()
    for (const p of params) {
      for (const v of isInteger(p.schema) ? AS_STRINGS : TEXT) {
        const strict = isInteger(p.schema) && NOT_CANONICAL.has(v)
        if (p.in === 'path') await attempt({ method, path: fill({ [p.name]: v }), json: op.requestBody ? body : undefined }, `${key} path ${p.name}=${show(v)}`, strict)
        else if (p.in === 'query') await attempt({ method, path: fill(), query: { [p.name]: v }, json: op.requestBody ? body : undefined }, `${key} query ${p.name}=${show(v)}`, strict)
      }
    }
    for (const field of fields) {
      const integer = isInteger(schema.properties[field])
      for (const v of integer ? AS_JSON : [...TEXT, ...NON_STRINGS]) await attempt({ method, path: fill(), json: { ...body, [field]: v } }, `${key} body ${field}=${show(v)}`, integer && NOT_CANONICAL.has(v))
    }
    if (op.requestBody) await attempt({ method, path: fill(), json: { ...body, 'k\u0000': 1 } }, `${key} body key with NUL`)
    if (fields.includes('file')) {
      for (const field of fields.filter((f) => f !== 'file')) {
        for (const v of isInteger(schema.properties[field]) ? AS_STRINGS : TEXT) {
          const form = new FormData()
          for (const [k, value] of Object.entries(body)) if (typeof value === 'string') form.set(k, value)
          form.set(field, v)
          form.set('file', new File(['hello'], 'a.txt', { type: 'text/plain' }))
          await attempt({ method, path: fill(), form }, `${key} multipart ${field}=${show(v)}`, isInteger(schema.properties[field]) && NOT_CANONICAL.has(v))
        }
      }
    }
    if (process.env.HOSTILE_TIMING) console.log(key, Math.round(performance.now() - startedAt))
  }
  expect(bodiesSeen).toBeGreaterThan(15)
  expect(strictAttempts).toBeGreaterThan(200)
  expect(failures).toEqual([])
}, 120_000)

/** Sends frames one at a time and waits for each one's answer: an error, or the sender's own message. */
async function frameAttempts(socket: TestSocket, surface: string, frames: Record<string, Record<string, unknown>>, isOwnMessage: (e: any) => boolean) {
  // The socket's first event means it has joined (couples: its session exists); writes logged from here.
  await socket.next()
  await takeWrites()
  for (const [type, frame] of Object.entries(frames)) {
    for (const field of Object.keys(frame)) {
      for (const v of AS_JSON) {
        if (field === 'is_typing' && typeof v === 'boolean') continue
        const label = `${surface} ${type} ${field}=${show(v)}`
        socket.send({ ...frame, ...('client_msg_id' in frame ? { client_msg_id: `c${++sent}` } : {}), [field]: v })
        const reply = await socket.next((e) => e.type === 'error' || isOwnMessage(e), 5000).catch((e: Error) => ({ type: 'timeout', detail: `${label}: ${e.message.slice(0, 60)}` }))
        const written = await takeWrites()
        if (reply.type === 'timeout') {
          failures.push(reply.detail)
          continue
        }
        if (reply.type !== 'error') continue
        if (Object.keys(reply).sort().join() !== 'detail,type' || typeof reply.detail !== 'string') failures.push(`${label}: error frame ${JSON.stringify(reply)}`)
        if (/internal/i.test(reply.detail)) failures.push(`${label}: ${reply.detail}`)
        if (written.length) failures.push(`${label}: refused but added rows to ${written.join(', ')}`)
      }
    }
  }
}

test('every socket frame type: hostile fields get an error frame, never "internal error", never a half-write', async () => {
  failures.length = 0
  const ws = base.replace('http', 'ws')
  // A room of its own: the REST test already used some client_msg_ids in the fixture room, and a resend is answered by nothing.
  const room = (await (await t.request('POST', '/chat/rooms', { token, json: { room_type: 'group', room_name: 'frames', participant_ids: [fx.other] } })).json()).room_id
  const messenger = await openSocket(`${ws}/chat/ws/${room}?token=${token}`)
  await frameAttempts(
    messenger,
    'messenger',
    {
      message: { type: 'message', content: 'hi', message_type: 'text', reply_to_message_id: null, client_msg_id: 'c1' },
      typing: { type: 'typing', is_typing: true },
      message_read: { type: 'message_read' },
    },
    (e) => e.type === 'message' && e.sender_id === fx.me,
  )
  await messenger.close()
  const couples = await openSocket(`${ws}/api/sessions/ws/${fx.coupleRoom}?token=${token}`)
  await frameAttempts(
    couples,
    'couples',
    { message: { type: 'message', content: 'hi', client_msg_id: 'c1' }, response: { type: 'response', content: '네', session_id: 1 } },
    (e) => e.type === 'message' && e.speaker_type !== 'AI',
  )
  await couples.close()
  expect(failures).toEqual([])
}, 60_000)

/**
 * /asyncapi.json: a valid AsyncAPI 3 document (checked by @asyncapi/parser) that describes
 * every close code, and every event the streams really send (collected from live streams of
 * each surface). Socket event unions are tied to the document at compile time (see
 * asyncapi-document.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Parser } from '@asyncapi/parser'
import { CLOSE_CODES } from '../../src/modules/realtime/protocol'
import { DATA_STREAM_CODES } from '../../src/surfaces/api-docs/asyncapi-document'
import { createTestApp, type TestApp } from '../support/app'

let t: TestApp
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any
beforeAll(async () => {
  t = await createTestApp()
  const res = await t.request('GET', '/asyncapi.json')
  expect(res.status).toBe(200)
  doc = await res.json()
})
afterAll(() => t.close())

const messageNames = (channel: string): string[] => Object.values(doc.channels[channel].messages).map((m) => (m as { name: string }).name)
const sseTypes = (body: string) => body.split('\n\n').filter((b) => b.startsWith('data: ')).map((b) => JSON.parse(b.slice(6)).type as string)

describe('AsyncAPI document', () => {
  test('parses as AsyncAPI 3 with no errors', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc))
    const errors = diagnostics.filter((d) => d.severity === 0)
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([])
    expect(document).toBeDefined()
    expect(document!.version()).toBe('3.0.0')
    expect(document!.channels().length).toBe(5)
  }, 30_000) // the parser loads its rule sets on first use: seconds on a busy machine

  test('documents every close code with its name', () => {
    const documented = doc.components['x-close-codes'].map((c: { code: number }) => c.code)
    expect(documented.sort()).toEqual(Object.values(CLOSE_CODES).sort())
    for (const code of Object.values(CLOSE_CODES)) expect(doc.channels.messengerRoom.description).toContain(`| ${code} |`)
  })

  test('the socket channels list every server event and client frame', () => {
    expect(messageNames('messengerRoom')).toEqual(expect.arrayContaining(['message', 'typing', 'user_status', 'message_read', 'message_updated', 'message_deleted', 'error']))
    expect(messageNames('couplesSession')).toEqual(expect.arrayContaining(['session', 'system', 'message', 'response', 'error']))
  })

  test('every petcare SSE event a real stream sends is described', async () => {
    const user = await (await t.request('POST', '/api/users', { json: { cafe24_token: 'asyncapi', pets: [{ petnm: '콩', pet_info: { species: 'dog', weight_kg: 6 } }] } })).json()
    const seen = new Set<string>()
    for (const message of ['안녕!', '소고기랑 고구마로 레시피 만들어줘', '포도 먹어도 돼?']) {
      const res = await t.request('POST', '/api/messages/', { json: { userId: user.id, petnm: '콩', content: { message } } })
      for (const type of sseTypes(await res.text())) seen.add(type)
    }
    expect(seen.size).toBeGreaterThanOrEqual(7)
    for (const type of seen) expect(messageNames('petcareMessageStream')).toContain(type)
  })

  test('every advisor SSE event a real stream sends is described', async () => {
    const { token } = await t.user('asyncapi-advisor')
    const res = await t.request('POST', '/api/v1/chat/stream/', { token, json: { message: '이번 달 지출 알려줘' } })
    const types = new Set(sseTypes(await res.text()))
    expect([...types]).toEqual(expect.arrayContaining(['start', 'delta', 'end']))
    for (const type of types) expect(messageNames('advisorFinanceStream')).toContain(type)
  })

  test('every data-stream part /api/chat sends is described by its line prefix', async () => {
    const { token } = await t.user('asyncapi-docs')
    if (t.database.hasVector) {
      const form = new FormData()
      form.set('text', 'The Harbor Lane night shift starts at 22:00.')
      form.set('source', 'harbor.txt')
      expect((await t.request('POST', '/api/ingest', { token, body: form })).status).toBe(200)
    }
    const res = await t.request('POST', '/api/chat', { token, json: { messages: [{ role: 'user', content: 'When does the night shift start?' }] } })
    if (!t.database.hasVector) {
      expect(res.status).toBe(503)
      return
    }
    const prefixes = new Set((await res.text()).split('\n').filter(Boolean).map((line) => line.slice(0, line.indexOf(':'))))
    expect([...prefixes]).toEqual(expect.arrayContaining(['f', '0', '8', 'e', 'd']))
    const documented = new Set(Object.values(DATA_STREAM_CODES))
    for (const p of prefixes) expect(documented.has(p)).toBe(true)
    for (const p of prefixes) expect(messageNames('docsChatStream').some((n) => n.startsWith(`${p}_`))).toBe(true)
  })
})

import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from './support/app'

// A stored upload name is shown to other people: bidi overrides and other invisible controls
// would let `invoice\u202Efdp.exe` pass for `invoiceexe.pdf`, so they are stripped on the way in.
const BIDI_AND_CONTROLS = ['\u202E', '\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\uFEFF', '\u0007', '\u0085']
const HOSTILE_NAME = `inv${BIDI_AND_CONTROLS.join('')}oice\u202Efdp.txt`
const invisible = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/

let t: TestApp
let token: string
beforeAll(async () => {
  t = await createTestApp()
  token = await t.token('file-names')
}, 30_000)
afterAll(() => t.close())

test('messenger: an uploaded file keeps its name without bidi or control characters, in the message and the download', async () => {
  const other = await t.user('file-names-other')
  const room = await (await t.request('POST', '/chat/rooms', { token, json: { room_type: 'group', room_name: 'files', participant_ids: [other.id] } })).json()
  const form = new FormData()
  form.set('file', new File(['hello'], HOSTILE_NAME, { type: 'text/plain' }))
  const sent = await t.request('POST', `/chat/rooms/${room.room_id}/messages`, { token, body: form })
  expect(sent.status).toBe(201)
  const message = await sent.json()
  expect(message.file_name).toBe('invoicefdp.txt')
  const download = await t.request('GET', new URL(message.file_url, 'http://localhost').pathname, { token })
  expect(download.status).toBe(200)
  const disposition = decodeURIComponent(download.headers.get('content-disposition') ?? '')
  expect(disposition).toContain('invoicefdp.txt')
  expect(disposition).not.toMatch(invisible)
})

test('docs: an ingested file or text source is listed without bidi or control characters', async () => {
  const form = new FormData()
  form.set('file', new File(['a plain text document about invoices'], HOSTILE_NAME, { type: 'text/plain' }))
  const ingested = await t.request('POST', '/api/ingest', { token, body: form })
  if (!t.database.hasVector) {
    expect(ingested.status).toBe(503)
    return
  }
  expect(ingested.status).toBe(200)
  expect((await ingested.json()).source).toBe('invoicefdp.txt')
  const pasted = await t.request('POST', '/api/ingest', { token, json: { text: 'pasted text', source: `notes\u202Etxt.exe` } })
  expect((await pasted.json()).source).toBe('notestxt.exe')
  const names = (await (await t.request('GET', '/api/documents', { token })).json()).map((d: { name: string }) => d.name)
  expect(names.sort()).toEqual(['invoicefdp.txt', 'notestxt.exe'])
})

import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from './support/app'

// The database goes away under a running app: every surface answers 503 with Retry-After in
// its own error shape (a client can tell "come back later" from "you sent something wrong"),
// never a 500.
let t: TestApp
let token: string
let petToken: string
let petUser: string
beforeAll(async () => {
  t = await createTestApp()
  token = await t.token('outage-user')
  await t.request('GET', '/api/auth/me', { token })
  const pet = await (await t.request('POST', '/api/users', { json: { cafe24_token: 'outage-pet' } })).json()
  petToken = pet.access_token
  petUser = pet.id
  await t.database.close()
}, 30_000)
afterAll(async () => {
  // The database is already closed; closing it again may complain, which is not this test's subject.
  t.database.close = async () => {}
  await t.close()
})

const detail = (b: any) => typeof b.detail === 'string'
const error = (b: any) => typeof b.error === 'string' && Object.keys(b).length === 1

const cases: { name: string; method: string; path: string; json?: unknown; pet?: boolean; fresh?: boolean; shape: (b: any) => boolean }[] = [
  { name: 'messenger rooms', method: 'GET', path: '/chat/rooms', shape: detail },
  { name: 'messenger send', method: 'POST', path: '/chat/rooms/1/messages', json: { message_content: 'hi' }, shape: detail },
  { name: 'couples rooms', method: 'GET', path: '/api/rooms', shape: detail },
  { name: 'account search', method: 'GET', path: '/api/users/search?q=a', shape: detail },
  { name: 'account login', method: 'POST', path: '/api/auth/login', json: { email: 'a@example.com', password: 'password123' }, shape: detail },
  { name: 'a new token (its user cannot be looked up)', method: 'GET', path: '/chat/rooms', fresh: true, shape: detail },
  { name: 'advisor finance chat', method: 'GET', path: '/api/v1/chat', shape: (b) => b.error_code === 'SERVICE_UNAVAILABLE' && typeof b.message === 'string' },
  { name: 'advisor stream', method: 'POST', path: '/api/v1/chat/stream', json: { message: '지출?' }, shape: (b) => b.error_code === 'SERVICE_UNAVAILABLE' },
  { name: 'petcare sign-in', method: 'POST', path: '/api/users', json: { cafe24_token: 'outage-other' }, shape: error },
  { name: 'petcare chats', method: 'GET', path: '/api/chats', pet: true, shape: error },
  { name: 'petcare message stream', method: 'POST', path: '/api/messages', pet: true, json: { content: { message: 'hi' } }, shape: error },
  { name: 'docs conversations', method: 'GET', path: '/api/conversations', shape: error },
  { name: 'docs stats', method: 'GET', path: '/api/stats', shape: error },
]

for (const c of cases) {
  test(`${c.name}: 503 with Retry-After in the surface shape`, async () => {
    const auth = c.fresh ? await t.token('outage-new-user') : c.pet ? petToken : token
    const json = c.pet && c.json ? { ...(c.json as object), userId: petUser, petnm: 'x' } : c.json
    const res = await t.request(c.method, c.path, { token: auth, json })
    expect(res.status).toBe(503)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = await res.json()
    expect(c.shape(body)).toBe(true)
    expect(JSON.stringify(body)).not.toMatch(/PGlite|CONNECTION_|postgres|select /i)
  })
}

test('/readyz says the database is gone, /healthz that the process is up', async () => {
  expect((await t.request('GET', '/readyz')).status).toBe(503)
  expect((await t.request('GET', '/healthz')).status).toBe(200)
})

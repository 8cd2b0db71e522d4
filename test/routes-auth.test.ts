import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from './support/app'
import { refusal } from './support/ws-client'

// Routes that are public on purpose: operations, API docs, account creation and sign-in,
// and the petcare routes the seed marks AllowAny (they check ownership by userId instead).
const PUBLIC = [
  /^GET \/healthz$/, /^GET \/readyz$/, /^GET \/metrics$/, /^GET \/swagger/, /^POST \/api\/auth\/(register|login)$/,
  /^POST \/api\/users$/, /^POST \/api\/messages$/, /^POST \/api\/chats\/:chat_id\/messages$/, /^GET \/api\/shared\/:chat_id$/,
]

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

test('every other route refuses a request without credentials with 401', async () => {
  const routes = t.app.routes.filter((r) => r.method !== 'OPTIONS' && !PUBLIC.some((p) => p.test(`${r.method === 'WS' ? 'GET' : r.method} ${r.path}`)))
  expect(routes.length).toBeGreaterThan(15)
  // Sockets are accepted and then closed with 4001 (a browser sees nothing of an HTTP 401).
  expect(routes.filter((r) => r.method === 'WS').map((r) => r.path).sort()).toEqual(['/api/sessions/ws/:room_id', '/chat/ws/:room_id'])
  const ws = (await t.listen()).replace('http', 'ws')
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, (_, name: string) => (/file|uuid|chat|recipe/.test(name) ? '00000000-0000-4000-8000-000000000000' : '1'))
    if (r.method === 'WS') {
      const refused = await refusal(ws + path)
      expect(`${r.method} ${r.path} → ${refused.code} ${refused.frames.length} frames`).toBe(`${r.method} ${r.path} → 4001 0 frames`)
      continue
    }
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(r.method)
    const res = await t.request(r.method, path, hasBody ? { json: {} } : {})
    expect(`${r.method} ${r.path} → ${res.status}`).toBe(`${r.method} ${r.path} → 401`)
  }
})

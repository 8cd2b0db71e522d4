import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from './support/app'

// Routes that are public on purpose: operations, API docs, the console's page and files (it
// signs in through the API), account creation and sign-in, and the petcare routes the seed
// marks AllowAny (they check ownership by userId instead).
const PUBLIC = [
  /^GET \/healthz$/, /^GET \/readyz$/, /^GET \/metrics$/, /^GET \/swagger/, /^GET \/asyncapi\.json$/, /^GET \/$/, /^GET \/console/,
  /^POST \/api\/auth\/(register|login)$/,
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
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, (_, name: string) => (/file|uuid|chat|recipe/.test(name) ? '00000000-0000-4000-8000-000000000000' : '1'))
    const method = r.method === 'WS' ? 'GET' : r.method
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(method)
    const upgrade = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' }
    const res = await t.request(method, path, r.method === 'WS' ? { headers: upgrade } : hasBody ? { json: {} } : {})
    expect(`${r.method} ${r.path} → ${res.status}`).toBe(`${r.method} ${r.path} → 401`)
  }
})

import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from './support/app'
import { refusal } from './support/ws-client'

// Routes that are public on purpose: operations, API docs, the console's page and files (it
// signs in through the API), account creation and sign-in, and the petcare routes the seed
// marks AllowAny (they check ownership by userId instead).
const PUBLIC = [
  /^GET \/healthz$/, /^GET \/readyz$/, /^GET \/metrics$/, /^GET \/swagger/, /^GET \/asyncapi\.json$/, /^GET \/$/, /^GET \/console/,
  /^POST \/api\/auth\/(register|login)$/,
  /^POST \/api\/users$/, /^POST \/api\/messages$/, /^POST \/api\/chats\/:chat_id\/messages$/, /^GET \/api\/shared\/:chat_id$/,
]

let t: TestApp
let wsBase: string
beforeAll(async () => {
  t = await createTestApp()
  wsBase = (await t.listen()).replace('http', 'ws')
})
afterAll(() => t.close())

/**
 * The routes that need a credential, each with a request builder filling its path parameters.
 * A socket is opened for real: a browser sees nothing of an HTTP 401 on an upgrade, so an
 * unauthenticated socket is accepted and closed with 4001 and no frames, which counts as 401.
 */
function guardedRoutes() {
  const routes = t.app.routes.filter((r) => r.method !== 'OPTIONS' && !PUBLIC.some((p) => p.test(`${r.method === 'WS' ? 'GET' : r.method} ${r.path}`)))
  return routes.map((r) => {
    const path = r.path.replace(/:(\w+)/g, (_, name: string) => (/file|uuid|chat|recipe/.test(name) ? '00000000-0000-4000-8000-000000000000' : '1'))
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(r.method)
    const send = async (query = ''): Promise<{ status: number }> => {
      if (r.method !== 'WS') return t.request(r.method, path + query, hasBody ? { json: {} } : {})
      const closed = await refusal(wsBase + path + query)
      expect(closed.frames).toEqual([])
      return { status: closed.code === 4001 ? 401 : closed.code }
    }
    return { name: `${r.method} ${r.path}`, ws: r.method === 'WS', path: r.path, send }
  })
}

test('every other route refuses a request without credentials with 401', async () => {
  const routes = guardedRoutes()
  expect(routes.length).toBeGreaterThan(15)
  for (const r of routes) {
    const res = await r.send()
    expect(`${r.name} → ${res.status}`).toBe(`${r.name} → 401`)
  }
})

// A token in a URL leaks into proxy logs, history and Referer headers: only where a client
// cannot send a header (WebSocket upgrades, file downloads such as an <img src>) is it read.
test('?token= is ignored everywhere but WebSocket upgrades and file downloads', async () => {
  const token = await t.token('query-token-user')
  const routes = guardedRoutes()
  const takesQueryToken = (r: { ws: boolean; path: string }) => r.ws || r.path.startsWith('/chat/files/')
  expect(routes.filter(takesQueryToken).length).toBe(3)
  for (const r of routes) {
    const res = await r.send(`?token=${token}`)
    const expected = takesQueryToken(r) ? 'accepted' : 401
    expect(`${r.name} → ${res.status === 401 ? 401 : 'accepted'}`).toBe(`${r.name} → ${expected}`)
  }
})

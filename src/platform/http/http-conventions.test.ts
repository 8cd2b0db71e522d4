import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../../../test/support/app'
import { createLogger } from '../logger'

let t: TestApp
const logLines: string[] = []
beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: 'http://localhost:3000', BODY_MAX_BYTES: '2048' }, {
    logger: createLogger({ level: 'info', write: (l) => logLines.push(l) }),
  })
})
afterAll(() => t.close())

describe('HTTP conventions', () => {
  test('every route answers with and without a trailing slash', async () => {
    const token = await t.token('slash')
    expect((await t.request('GET', '/api/auth/me', { token })).status).toBe(200)
    expect((await t.request('GET', '/api/auth/me/', { token })).status).toBe(200)
    expect((await t.request('GET', '/healthz/')).status).toBe(200)
  })

  test('unknown routes answer 404 in the surface shape', async () => {
    const res = await t.request('GET', '/api/auth/nothing-here')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ detail: 'Not found' })
  })

  test('oversize JSON bodies get 413, malformed ones 400, never a 500', async () => {
    const big = await t.request('POST', '/api/auth/login', { json: { email: 'x'.repeat(5000), password: 'y' } })
    expect(big.status).toBe(413)
    expect((await big.json()).detail).toContain('2048')
    const malformed = await t.request('POST', '/api/auth/login', { body: '{"email":', headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)
    expect(await malformed.text()).not.toContain('at ')
  })

  test('CORS allows configured origins with credentials and refuses others', async () => {
    const pre = await t.request('OPTIONS', '/api/auth/me', {
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    })
    expect(pre.status).toBeLessThan(300)
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true')
    const other = await t.request('GET', '/healthz', { headers: { origin: 'http://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('the OpenAPI document lists every HTTP route with its schemas', async () => {
    const res = await t.request('GET', '/swagger/json')
    expect(res.status).toBe(200)
    const doc = await res.json()
    expect(doc.openapi).toMatch(/^3\./)
    const documented = new Set<string>()
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)
    // The console and /asyncapi.json are pages and documents, not API routes.
    const notApi = (path: string) => path === '/' || path.startsWith('/console') || path.startsWith('/swagger') || path === '/asyncapi.json'
    const routes = t.app.routes.filter((r) => !notApi(r.path) && r.method !== 'WS' && r.method !== 'OPTIONS')
    expect(routes.length).toBeGreaterThan(5)
    for (const r of routes) expect(documented).toContain(`${r.method} ${r.path}`)
    expect(doc.paths['/api/auth/login'].post.requestBody).toBeDefined()
  })

  test('Swagger UI renders with locally served assets', async () => {
    const html = await (await t.request('GET', '/swagger')).text()
    expect(html).toContain('/swagger/assets/swagger-ui-bundle.js')
    expect(html).not.toContain('unpkg.com')
    const js = await t.request('GET', '/swagger/assets/swagger-ui-bundle.js')
    expect(js.status).toBe(200)
    expect((await js.text()).length).toBeGreaterThan(100_000)
    expect((await t.request('GET', '/swagger/assets/..%2Fpackage.json')).status).toBe(404)
  })

  test('metrics are Prometheus text and count requests', async () => {
    await t.request('GET', '/healthz')
    // The request is counted after its response is sent, on a later tick: read until it shows.
    let text = ''
    for (let i = 0; i < 100 && !text.includes('route="/healthz"'); i++) {
      await Bun.sleep(i)
      text = await (await t.request('GET', '/metrics')).text()
    }
    expect(text).toContain('# TYPE http_requests_total counter')
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/)
  })

  test('requests are logged as JSON lines without secrets', async () => {
    await t.request('GET', '/api/auth/me', { token: await t.token('logger') })
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.path === '/api/auth/me' && l.status === 200)
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', route: '/api/auth/me' })
    expect(typeof line.requestId).toBe('string')
    expect(logLines.join('\n')).not.toContain('eyJ')
  })
})

describe('readiness', () => {
  test('/readyz fails once the database is gone', async () => {
    const local = await createTestApp()
    expect((await local.request('GET', '/readyz')).status).toBe(200)
    await local.database.close()
    const res = await local.request('GET', '/readyz')
    expect(res.status).toBe(503)
    expect((await local.request('GET', '/healthz')).status).toBe(200)
    local.database.close = async () => {}
    await local.close()
  })
})

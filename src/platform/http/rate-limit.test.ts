import { describe, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { createMemoryRateLimitStore } from '../../modules/ratelimit/memory-store'
import { createMetrics } from '../metrics'
import { silentLogger } from '../logger'
import { createErrorShapeTable, errorShape } from './error-shapes'
import { httpPipeline } from './http-pipeline'
import { createRequestLimiter } from './rate-limit'

/** 30 s into a minute, pinned: a burst on the real clock could straddle a fixed window's edge. */
const NOW = 1_700_000_070_000

function app(mode: 'fixed' | 'sliding') {
  const limiter = createRequestLimiter({ store: createMemoryRateLimitStore({ now: () => NOW }), trustProxy: true })
  const shapes = createErrorShapeTable([{ prefixes: ['/api'], shape: errorShape }])
  return new Elysia()
    .use(httpPipeline({ logger: silentLogger, metrics: createMetrics(), shapes, bodyMaxBytes: 1024, uploadMaxBytes: 1024 }))
    .get('/api/thing', async ({ request, query }) => {
      await limiter.limit('thing', { limit: 2, windowMs: 60_000, mode }, request, { userId: query.user ? Number(query.user) : undefined })
      return { ok: true }
    })
}

const get = (a: ReturnType<typeof app>, q: string, ip = '10.0.0.1') =>
  a.handle(new Request(`http://localhost/api/thing${q}`, { headers: { 'x-forwarded-for': ip } }))

describe('per-route rate limits over HTTP', () => {
  for (const mode of ['fixed', 'sliding'] as const) {
    test(`${mode}: the third call in a minute gets 429 with Retry-After, per user`, async () => {
      const a = app(mode)
      expect((await get(a, '?user=1')).status).toBe(200)
      expect((await get(a, '?user=1')).status).toBe(200)
      const refused = await get(a, '?user=1')
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBe(mode === 'fixed' ? '30' : '60')
      expect(await refused.json()).toEqual({ error: 'Too many requests' })
      expect((await get(a, '?user=2')).status).toBe(200)
    })
  }

  test('without a user the client address is the key', async () => {
    const a = app('fixed')
    expect((await get(a, '', '1.1.1.1')).status).toBe(200)
    expect((await get(a, '', '1.1.1.1')).status).toBe(200)
    expect((await get(a, '', '1.1.1.1')).status).toBe(429)
    expect((await get(a, '', '2.2.2.2')).status).toBe(200)
  })
})

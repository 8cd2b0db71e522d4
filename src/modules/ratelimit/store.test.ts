import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type Redis from 'ioredis'
import { AppError } from '../../platform/errors'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../realtime/test-kit'
import { enforceRateLimit, type RateLimitStore, type Rule } from './limiter'
import { createMemoryRateLimitStore } from './memory-store'
import { createRedisRateLimitStore } from './redis-store'

const MINUTE = 60_000
/** A minute boundary, so fixed windows start exactly here. */
const T = 1_700_000_040_000
const sliding: Rule = { limit: 2, windowMs: MINUTE, mode: 'sliding' }
const fixed: Rule = { limit: 2, windowMs: MINUTE, mode: 'fixed' }

let redis: Redis
const prefixes: string[] = []
beforeAll(async () => {
  redis = await connectTestRedis()
})
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p)
  redis.disconnect()
})

function redisStore(keyPrefix = uniquePrefix('rate')) {
  prefixes.push(keyPrefix)
  return createRedisRateLimitStore({ redis, keyPrefix })
}

const implementations: Array<{ name: string; make: () => RateLimitStore }> = [
  { name: 'memory store', make: () => createMemoryRateLimitStore() },
  { name: 'redis store', make: () => redisStore() },
]

/** Hits `key` at each time and returns [allowed, retryAfterSeconds] per hit. */
async function timeline(store: RateLimitStore, key: string, rule: Rule, times: number[]) {
  const out: Array<[boolean, number]> = []
  for (const t of times) {
    const r = await store.hit(key, rule, t)
    out.push([r.allowed, r.retryAfterSeconds])
  }
  return out
}

for (const impl of implementations) {
  describe(`${impl.name} contract`, () => {
    test('sliding: a hit leaves the window exactly windowMs after it was made', async () => {
      const store = impl.make()
      const r1 = await store.hit('k', sliding, T)
      expect(r1).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0, limit: 2 })
      expect(await store.hit('k', sliding, T + 30_000)).toMatchObject({ allowed: true, remaining: 0 })
      expect(await store.hit('k', sliding, T + 54_000)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 6, limit: 2 })
      expect(await store.hit('k', sliding, T + 59_999)).toMatchObject({ allowed: false, retryAfterSeconds: 1 })
      expect(await store.hit('k', sliding, T + 60_000)).toMatchObject({ allowed: true, remaining: 0 })
      // Now the hit at +30 s is the oldest counted one: it frees a slot at +90 s.
      expect(await store.hit('k', sliding, T + 61_000)).toMatchObject({ allowed: false, retryAfterSeconds: 29 })
      await store.close()
    })

    test('fixed: the count resets at the window edge, and Retry-After points at it', async () => {
      const store = impl.make()
      expect(await timeline(store, 'k', fixed, [T + 54_000, T + 55_000, T + 59_500, T + 60_000, T + 60_001, T + 61_000])).toEqual([
        [true, 0],
        [true, 0],
        [false, 1],
        [true, 0],
        [true, 0],
        [false, 59],
      ])
      await store.close()
    })

    test('at a window edge sliding refuses what fixed lets through', async () => {
      const store = impl.make()
      const times = [T + 54_000, T + 55_000, T + 60_000, T + 113_999, T + 114_000]
      expect(await timeline(store, 'edge', sliding, times)).toEqual([
        [true, 0],
        [true, 0],
        [false, 54],
        [false, 1],
        [true, 0],
      ])
      expect(await timeline(store, 'edge', fixed, times)).toEqual([
        [true, 0],
        [true, 0],
        [true, 0],
        [true, 0],
        [false, 6],
      ])
      await store.close()
    })

    test('refused hits are not counted', async () => {
      const store = impl.make()
      const one: Rule = { limit: 1, windowMs: MINUTE, mode: 'sliding' }
      expect(await timeline(store, 'k', one, [T, T + 1500, T + 30_000, T + 60_000])).toEqual([
        [true, 0],
        [false, 59],
        [false, 30],
        [true, 0],
      ])
      const oneFixed: Rule = { ...one, mode: 'fixed' }
      expect(await timeline(store, 'k', oneFixed, [T, T + 1, T + 2, T + MINUTE])).toEqual([
        [true, 0],
        [false, 60],
        [false, 60],
        [true, 0],
      ])
      await store.close()
    })

    test('keys are independent', async () => {
      const store = impl.make()
      await timeline(store, 'a', sliding, [T, T])
      expect((await store.hit('a', sliding, T)).allowed).toBe(false)
      expect((await store.hit('b', sliding, T)).allowed).toBe(true)
      await store.close()
    })

    test('concurrent hits on one key never let more than the limit through', async () => {
      const store = impl.make()
      for (const rule of [sliding, fixed]) {
        const wide: Rule = { ...rule, limit: 5 }
        const results = await Promise.all(Array.from({ length: 20 }, () => store.hit('busy', wide, T)))
        expect(results.filter((r) => r.allowed)).toHaveLength(5)
        expect(results.filter((r) => r.allowed).map((r) => r.remaining).sort()).toEqual([0, 1, 2, 3, 4])
      }
      await store.close()
    })

    test('enforceRateLimit throws RATE_LIMITED carrying Retry-After seconds', async () => {
      const store = impl.make()
      const rule: Rule = { limit: 5, windowMs: MINUTE, mode: 'fixed' }
      const key = 'ingest:user:42'
      for (let i = 0; i < rule.limit; i++) await enforceRateLimit(store, key, rule, T + i)
      const err = await enforceRateLimit(store, key, rule, T + 10_000).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AppError)
      expect(err).toMatchObject({ code: 'RATE_LIMITED', status: 429, details: { retryAfterSeconds: 50 } })
      await store.close()
    })

    test('rules a store cannot honour are refused', async () => {
      const store = impl.make()
      await expect(store.hit('k', { limit: 0, windowMs: MINUTE, mode: 'sliding' })).rejects.toThrow(RangeError)
      await expect(store.hit('k', { limit: 1, windowMs: 0.5, mode: 'fixed' })).rejects.toThrow(RangeError)
      await store.close()
    })
  })
}

describe('memory store bounds', () => {
  test('holds at most maxKeys keys, evicting the least recently hit', async () => {
    const store = createMemoryRateLimitStore({ maxKeys: 3 })
    const one: Rule = { limit: 1, windowMs: MINUTE, mode: 'sliding' }
    for (const key of ['a', 'b', 'c']) expect((await store.hit(key, one, T)).allowed).toBe(true)
    expect((await store.hit('a', one, T)).allowed).toBe(false)
    expect((await store.hit('d', one, T)).allowed).toBe(true)
    expect(store.size).toBe(3)
    // 'b' was least recently hit, so it was evicted and its hit forgotten; 'a' was not.
    expect((await store.hit('b', one, T)).allowed).toBe(true)
    expect((await store.hit('a', one, T)).allowed).toBe(false)
    expect(store.size).toBe(3)
    await store.close()
  })

  test('sweep drops keys whose windows have passed and keeps live ones', async () => {
    const store = createMemoryRateLimitStore()
    await store.hit('old', sliding, T)
    await store.hit('old-fixed', fixed, T)
    await store.hit('live', sliding, T + 50_000)
    store.sweep(T + MINUTE)
    expect(store.size).toBe(1)
    expect((await store.hit('live', sliding, T + MINUTE)).remaining).toBe(0)
    await store.close()
  })
})

describe('redis store', () => {
  test('two processes sharing a prefix share their counts', async () => {
    const prefix = uniquePrefix('rate2')
    const a = redisStore(prefix)
    const b = redisStore(prefix)
    expect((await a.hit('u', sliding, T)).allowed).toBe(true)
    expect((await b.hit('u', sliding, T + 1)).allowed).toBe(true)
    expect(await a.hit('u', sliding, T + 2)).toMatchObject({ allowed: false, retryAfterSeconds: 60 })
  })

  test('a sliding log holds at most limit members and expires', async () => {
    const prefix = uniquePrefix('rate3')
    const store = redisStore(prefix)
    const rule: Rule = { limit: 3, windowMs: MINUTE, mode: 'sliding' }
    for (let i = 0; i < 50; i++) await store.hit('k', rule, T + i)
    const key = `${prefix}sliding:${MINUTE}:k`
    expect(await redis.zcard(key)).toBe(3)
    const ttl = await redis.pttl(key)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(MINUTE)
  })

  test('an unreachable Redis rejects with UNAVAILABLE', async () => {
    const gone = await connectTestRedis()
    const store = createRedisRateLimitStore({ redis: gone, keyPrefix: uniquePrefix('rate4') })
    gone.disconnect()
    const err = await store.hit('k', sliding, T).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'UNAVAILABLE' })
  })
})

/**
 * Rate limits shared by every process through Redis. Each hit is one Lua script, so the
 * check and the count are atomic however many processes hit the same key.
 * - sliding: a sorted set of allowed hits scored by time; old ones are trimmed on each hit
 *   and the set never holds more than `limit` members; the key expires a window after the
 *   last allowed hit.
 * - fixed: one counter per window (`…:{windowStart}`), INCR then PEXPIRE on the first hit.
 * Hit times come from the caller's clock (`now`), so every process should run NTP; a skew
 * of a few ms moves a window edge by that much and nothing more.
 */
import type Redis from 'ioredis'
import { AppError } from '../../platform/errors'
import { assertRule, retryAfterSeconds, type RateLimitResult, type RateLimitStore } from './limiter'

// KEYS[1]: the log. ARGV: limit, windowMs, now, unique member. Returns {allowed, remaining, retryMs}.
const SLIDING = `
local key = KEYS[1]
local limit, window, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, limit - count - 1, 0}
end
local freeing = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return {0, 0, tonumber(freeing[2]) + window - now}
`

// KEYS[1]: this window's counter. ARGV: limit, windowMs. Returns {allowed, remaining}.
// A refused hit is not counted, matching the sliding log and the memory store.
const FIXED = `
local limit = tonumber(ARGV[1])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= limit then return {0, 0} end
count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1, limit - count}
`

type ScriptFn = (numKeys: number, ...args: Array<string | number>) => Promise<number[]>

/** Processes share limits when they share `redis` and `keyPrefix`. */
export interface RedisRateLimitStoreOptions {
  /** Shared connection; the store never closes it. */
  redis: Redis
  /** Key prefix; processes that share limits must use the same one. */
  keyPrefix?: string
}

const scriptsDefined = new WeakSet<Redis>()

/** A store whose counts every process sharing the Redis sees. Redis errors reject with UNAVAILABLE. */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  const { redis } = options
  const prefix = options.keyPrefix ?? 'huddle:ratelimit:'
  if (!scriptsDefined.has(redis)) {
    redis.defineCommand('huddleRateSliding', { lua: SLIDING })
    redis.defineCommand('huddleRateFixed', { lua: FIXED })
    scriptsDefined.add(redis)
  }
  const commands = redis as unknown as { huddleRateSliding: ScriptFn; huddleRateFixed: ScriptFn }
  let sequence = 0

  async function run(pending: Promise<number[]>): Promise<number[]> {
    try {
      return await pending
    } catch (cause) {
      throw new AppError('UNAVAILABLE', 'rate limit store is unavailable', { cause })
    }
  }

  return {
    async hit(key, rule, now = Date.now()): Promise<RateLimitResult> {
      assertRule(rule)
      const base = `${prefix}${rule.mode}:${rule.windowMs}:${key}`
      if (rule.mode === 'sliding') {
        // Members must be unique or two hits in the same millisecond would count as one.
        sequence = (sequence + 1) % Number.MAX_SAFE_INTEGER
        const member = `${now}:${crypto.randomUUID().slice(0, 8)}:${sequence}`
        const [allowed, remaining, retryMs] = await run(
          commands.huddleRateSliding(1, base, rule.limit, rule.windowMs, now, member),
        )
        return allowed === 1
          ? { allowed: true, remaining: remaining!, retryAfterSeconds: 0, limit: rule.limit }
          : { allowed: false, remaining: 0, retryAfterSeconds: retryAfterSeconds(retryMs!), limit: rule.limit }
      }
      const windowStart = now - (now % rule.windowMs)
      const [allowed, remaining] = await run(
        commands.huddleRateFixed(1, `${base}:${windowStart}`, rule.limit, rule.windowMs),
      )
      return allowed === 1
        ? { allowed: true, remaining: remaining!, retryAfterSeconds: 0, limit: rule.limit }
        : {
            allowed: false,
            remaining: 0,
            retryAfterSeconds: retryAfterSeconds(windowStart + rule.windowMs - now),
            limit: rule.limit,
          }
    },
    async close() {},
  }
}

/**
 * Request rate limits. A store counts hits per key under a rule and answers whether one
 * more hit is allowed; the memory store serves one process, the Redis store every process
 * sharing a Redis (SPEC "Realtime": with `REDIS_URL`, rate limits are shared).
 *
 * Modes:
 * - `sliding`: at most `limit` hits in any `windowMs`-long span ending now. Kept as an
 *   exact log of the allowed hits (never more than `limit` per key), so a burst at the end
 *   of one minute and another at the start of the next cannot double the rate.
 * - `fixed`: at most `limit` hits per calendar window `[k·windowMs, (k+1)·windowMs)`; cheaper,
 *   and what a seed asks for when it says "Fixed Window".
 * Refused hits are not counted, so a client that keeps retrying is not locked out longer.
 */
import { rateLimited } from '../../platform/errors'

/** How many hits a key may make per window, and how the window moves. */
export interface Rule {
  limit: number
  windowMs: number
  mode: 'sliding' | 'fixed'
}

/** The verdict on one hit. */
export interface RateLimitResult {
  allowed: boolean
  /** Hits still allowed in the current window after this one (0 when refused). */
  remaining: number
  /**
   * Whole seconds, at least 1, until a hit would be allowed again: until the oldest counted
   * hit leaves the window (sliding) or the window ends (fixed). 0 when allowed.
   */
  retryAfterSeconds: number
  limit: number
}

/** Where hits are counted; the same contract test runs against every implementation. */
export interface RateLimitStore {
  /**
   * Records one hit of `key` under `rule` if it is allowed, atomically: concurrent hits on
   * one key never let more than `rule.limit` through. `now` (ms) defaults to the clock.
   * Two rules with different modes or windows count separately even on the same key.
   */
  hit(key: string, rule: Rule, now?: number): Promise<RateLimitResult>
  /** Stops background timers; the store's connection (if any) is left open. */
  close(): Promise<void>
}

/** Refuses rules a store could not honour (zero limits, fractional windows). */
export function assertRule(rule: Rule): void {
  if (!Number.isSafeInteger(rule.limit) || rule.limit < 1) throw new RangeError('rule.limit must be a positive integer')
  if (!Number.isSafeInteger(rule.windowMs) || rule.windowMs < 1) {
    throw new RangeError('rule.windowMs must be a positive integer')
  }
  if (rule.mode !== 'sliding' && rule.mode !== 'fixed') throw new RangeError('rule.mode must be sliding or fixed')
}

/** Milliseconds to whole seconds for Retry-After: rounded up, never below 1. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000))

/**
 * Records a hit and throws `AppError('RATE_LIMITED')` (429, `details.retryAfterSeconds`)
 * when it is refused; surfaces turn that into their own body and a `Retry-After` header.
 */
export async function enforceRateLimit(store: RateLimitStore, key: string, rule: Rule, now?: number): Promise<RateLimitResult> {
  const result = await store.hit(key, rule, now)
  if (!result.allowed) throw rateLimited('Too many requests', result.retryAfterSeconds)
  return result
}

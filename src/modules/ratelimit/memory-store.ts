/**
 * Rate limits in this process's memory. Memory is bounded twice: each key holds at most
 * `limit` timestamps (sliding) or one counter (fixed), and the store holds at most
 * `maxKeys` keys, evicting the least recently hit first. A sweep drops keys whose windows
 * have passed, so idle keys do not wait for eviction. Evicting a key forgets its hits,
 * which can only let a client through early, never refuse one wrongly.
 */
import { assertRule, retryAfterSeconds, type RateLimitResult, type RateLimitStore, type Rule } from './limiter'

/** Memory bounds and the clock; defaults: 100,000 keys, a sweep a minute. */
export interface MemoryRateLimitStoreOptions {
  /** Most keys held at once. */
  maxKeys?: number
  /** How often expired keys are dropped; the timer never keeps the process alive. */
  sweepIntervalMs?: number
  now?: () => number
}

interface SlidingEntry {
  mode: 'sliding'
  windowMs: number
  /** Allowed hits, oldest first, all within the window as of the last hit. */
  hits: number[]
}

interface FixedEntry {
  mode: 'fixed'
  windowMs: number
  windowStart: number
  count: number
}

type Entry = SlidingEntry | FixedEntry

/** The memory store, with `size` and `sweep` for tests and metrics. */
export interface MemoryRateLimitStore extends RateLimitStore {
  /** Keys held now. */
  readonly size: number
  /** Drops every key whose window has passed as of `now`. */
  sweep(now?: number): void
}

/** A bounded in-process store; use it when `REDIS_URL` is not set. */
export function createMemoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): MemoryRateLimitStore {
  const maxKeys = options.maxKeys ?? 100_000
  const clock = options.now ?? Date.now
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new RangeError('maxKeys must be a positive integer')
  // A Map iterates in insertion order; re-inserting on every hit makes the first key the
  // least recently used one.
  const entries = new Map<string, Entry>()

  const isExpired = (entry: Entry, now: number) =>
    entry.mode === 'sliding'
      ? entry.hits.length === 0 || entry.hits[entry.hits.length - 1]! <= now - entry.windowMs
      : entry.windowStart + entry.windowMs <= now

  function sweep(now = clock()): void {
    for (const [key, entry] of entries) if (isExpired(entry, now)) entries.delete(key)
  }

  const timer = setInterval(() => sweep(), options.sweepIntervalMs ?? 60_000)
  timer.unref()

  function touch(key: string, make: () => Entry): Entry {
    let entry = entries.get(key)
    if (entry) {
      entries.delete(key)
    } else {
      entry = make()
      if (entries.size >= maxKeys) entries.delete(entries.keys().next().value as string)
    }
    entries.set(key, entry)
    return entry
  }

  function hitSliding(key: string, rule: Rule, now: number): RateLimitResult {
    const entry = touch(key, () => ({ mode: 'sliding', windowMs: rule.windowMs, hits: [] })) as SlidingEntry
    const hits = entry.hits
    let drop = 0
    while (drop < hits.length && hits[drop]! <= now - rule.windowMs) drop += 1
    if (drop > 0) hits.splice(0, drop)
    if (hits.length < rule.limit) {
      hits.push(now)
      return { allowed: true, remaining: rule.limit - hits.length, retryAfterSeconds: 0, limit: rule.limit }
    }
    // The log never grows past `limit`: the oldest counted hit is the one that frees a slot.
    const oldest = hits[hits.length - rule.limit]!
    return { allowed: false, remaining: 0, retryAfterSeconds: retryAfterSeconds(oldest + rule.windowMs - now), limit: rule.limit }
  }

  function hitFixed(key: string, rule: Rule, now: number): RateLimitResult {
    const windowStart = now - (now % rule.windowMs)
    const entry = touch(key, () => ({ mode: 'fixed', windowMs: rule.windowMs, windowStart, count: 0 })) as FixedEntry
    if (entry.windowStart !== windowStart) {
      entry.windowStart = windowStart
      entry.count = 0
    }
    if (entry.count < rule.limit) {
      entry.count += 1
      return { allowed: true, remaining: rule.limit - entry.count, retryAfterSeconds: 0, limit: rule.limit }
    }
    return {
      allowed: false,
      remaining: 0,
      retryAfterSeconds: retryAfterSeconds(windowStart + rule.windowMs - now),
      limit: rule.limit,
    }
  }

  return {
    async hit(key, rule, now = clock()) {
      assertRule(rule)
      // Mode and window are part of the key so two rules on one key never share a count;
      // a limit change keeps the count, as a config reload should.
      const k = `${rule.mode}:${rule.windowMs}:${key}`
      return rule.mode === 'sliding' ? hitSliding(k, rule, now) : hitFixed(k, rule, now)
    },
    get size() {
      return entries.size
    },
    sweep,
    async close() {
      clearInterval(timer)
    },
  }
}

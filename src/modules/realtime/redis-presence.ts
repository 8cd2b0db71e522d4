/**
 * Presence shared by every huddle process through Redis. Each process keeps the truth about
 * its own sockets in memory and mirrors it into Redis; Redis only adds up the processes.
 *
 * Per scope (one per topic, plus one for "anywhere" that drives last seen):
 *   `{prefix}t:{topic}:c` hash  `{processId}|{userId}` -> this process's socket count
 *   `{prefix}t:{topic}:x` zset  same field -> when that count lapses (ms)
 *   `{prefix}t:{topic}:u` hash  userId -> sum over live processes
 * plus `{prefix}seen`, a hash userId -> last-seen ms.
 *
 * Every write states this process's absolute count (not +1/-1), so a retried or reordered
 * write cannot drift the sums, and a process that stalled past its TTL heals on its next
 * write. A heartbeat rewrites every count every `heartbeatMs` and pushes its lapse time
 * forward; a dead process stops doing so, and the next script to touch the scope removes
 * its counts (atomically, so exactly one caller learns who went offline: `onLapse`).
 * The scripts name keys outside KEYS only through KEYS, so a single Redis or a Sentinel set
 * works; a Redis Cluster would need the keys of one call to share a hash slot.
 */
import type Redis from 'ioredis'
import { AppError } from '../../platform/errors'
import type { Logger } from '../../platform/logger'
import type { Departure, Presence } from './presence'

// Removes fields whose lapse time has passed, subtracts their counts from the user sums,
// and returns the users whose sum reached zero (they went offline with a dead process).
const PURGE = `
local function purge(c, x, u, seen, now, ttl, markSeen)
  local gone = {}
  local expired = redis.call('ZRANGEBYSCORE', x, '-inf', now, 'WITHSCORES')
  for i = 1, #expired, 2 do
    local f = expired[i]
    local n = tonumber(redis.call('HGET', c, f) or '0')
    redis.call('HDEL', c, f)
    redis.call('ZREM', x, f)
    local user = string.sub(f, string.find(f, '|', 1, true) + 1)
    if n > 0 then
      local left = redis.call('HINCRBY', u, user, -n)
      if left <= 0 then
        redis.call('HDEL', u, user)
        gone[#gone + 1] = user
        if markSeen then redis.call('HSET', seen, user, tonumber(expired[i + 1]) - ttl) end
      end
    end
  end
  return gone
end
`

// KEYS: c, x, u, seen. ARGV: now, ttl, markSeen, listUsers, then (field, user, count) triples.
// Returns { users gone by lapse, {before, after} per triple, online users if asked }.
const SYNC = `${PURGE}
local c, x, u, seen = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, ttl, markSeen = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
local gone = purge(c, x, u, seen, now, ttl, markSeen)
local sums = {}
for i = 5, #ARGV, 3 do
  local f, user, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local old = tonumber(redis.call('HGET', c, f) or '0')
  local before = tonumber(redis.call('HGET', u, user) or '0')
  local after = before + count - old
  if count > 0 then
    redis.call('HSET', c, f, count)
    redis.call('ZADD', x, now + ttl, f)
  else
    redis.call('HDEL', c, f)
    redis.call('ZREM', x, f)
  end
  if after > 0 then
    redis.call('HSET', u, user, after)
  else
    redis.call('HDEL', u, user)
    if markSeen and before > 0 then redis.call('HSET', seen, user, now) end
  end
  sums[#sums + 1] = before
  sums[#sums + 1] = after
end
if #ARGV >= 5 then
  redis.call('PEXPIRE', c, ttl)
  redis.call('PEXPIRE', x, ttl)
  redis.call('PEXPIRE', u, ttl)
end
local users = {}
if ARGV[4] == '1' then users = redis.call('HKEYS', u) end
return { gone, sums, users }
`

// KEYS: c, x, u, seen of the "anywhere" scope. ARGV: now, ttl, then user ids.
// Returns one string per user: now while connected, the last-seen ms, or '' if never seen.
const LAST_SEEN = `${PURGE}
local c, x, u, seen = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
purge(c, x, u, seen, now, ttl, true)
local out = {}
for i = 3, #ARGV do
  local user = ARGV[i]
  if tonumber(redis.call('HGET', u, user) or '0') > 0 then
    out[#out + 1] = ARGV[1]
  else
    out[#out + 1] = redis.call('HGET', seen, user) or ''
  end
end
return out
`

/** Redis failures surface as UNAVAILABLE; local counts stay right and the heartbeat resyncs them. */
async function guard<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending
  } catch (cause) {
    throw new AppError('UNAVAILABLE', 'presence store is unavailable', { cause })
  }
}

type ScriptFn = (numKeys: number, ...args: Array<string | number>) => Promise<unknown>

/** Processes share presence when they share `redis` and `keyPrefix`. */
export interface RedisPresenceOptions {
  /** Shared connection; presence never closes it. */
  redis: Redis
  /** Key prefix; processes that share presence must use the same one. */
  keyPrefix?: string
  /** How long a process's counts outlive its last heartbeat. */
  ttlMs?: number
  /** How often this process rewrites its counts; well under `ttlMs`. */
  heartbeatMs?: number
  /** This process's identity in Redis; unique per presence instance. */
  processId?: string
  now?: () => number
  /** Told once, by whichever process purged them, which users a dead process took offline. */
  onLapse?: (topic: string, userIds: string[]) => void
  logger?: Logger
}

/** Redis presence plus `refresh`, the heartbeat its timer runs (exposed for tests and shutdown hooks). */
export interface RedisPresence extends Presence {
  /** Rewrites every count this process holds and pushes their lapse time forward. */
  refresh(): Promise<void>
}

const scriptsDefined = new WeakSet<Redis>()

/** Presence mirrored into Redis, with a heartbeat timer that never keeps the process alive. */
export function createRedisPresence(options: RedisPresenceOptions): RedisPresence {
  const { redis } = options
  const prefix = options.keyPrefix ?? 'huddle:presence:'
  const ttl = options.ttlMs ?? 45_000
  const heartbeatMs = options.heartbeatMs ?? Math.max(1000, Math.floor(ttl / 3))
  const processId = options.processId ?? crypto.randomUUID()
  const now = options.now ?? Date.now
  if (processId.includes('|')) throw new RangeError('processId must not contain "|"')
  if (heartbeatMs >= ttl) throw new RangeError('heartbeatMs must be shorter than ttlMs')

  if (!scriptsDefined.has(redis)) {
    redis.defineCommand('huddlePresenceSync', { lua: SYNC })
    redis.defineCommand('huddlePresenceLastSeen', { lua: LAST_SEEN })
    scriptsDefined.add(redis)
  }
  const commands = redis as unknown as { huddlePresenceSync: ScriptFn; huddlePresenceLastSeen: ScriptFn }

  const ANYWHERE = Symbol('anywhere')
  type Scope = string | typeof ANYWHERE
  const local = new Map<Scope, Map<string, number>>()
  let closed = false
  const keys = (scope: Scope) => {
    const base = scope === ANYWHERE ? `${prefix}all` : `${prefix}t:${scope}`
    return [`${base}:c`, `${base}:x`, `${base}:u`, `${prefix}seen`]
  }
  const field = (userId: string) => `${processId}|${userId}`

  async function sync(scope: Scope, counts: Array<[string, number]>, listUsers = false) {
    const args: Array<string | number> = [now(), ttl, scope === ANYWHERE ? '1' : '0', listUsers ? '1' : '0']
    for (const [userId, count] of counts) args.push(field(userId), userId, count)
    const [gone, sums, users] = (await guard(commands.huddlePresenceSync(4, ...keys(scope), ...args))) as [
      string[],
      number[],
      string[],
    ]
    if (gone.length > 0 && scope !== ANYWHERE) options.onLapse?.(scope, gone)
    return { sums, users }
  }

  function bump(scope: Scope, userId: string, delta: number): number {
    let users = local.get(scope)
    if (!users) local.set(scope, (users = new Map()))
    const count = (users.get(userId) ?? 0) + delta
    if (count > 0) users.set(userId, count)
    else {
      users.delete(userId)
      if (users.size === 0) local.delete(scope)
    }
    return count
  }

  async function refresh(): Promise<void> {
    await Promise.all([...local].map(([scope, users]) => sync(scope, [...users])))
  }

  const timer = setInterval(() => {
    refresh().catch((err: Error) => options.logger?.warn('presence heartbeat failed', { error: err.message }))
  }, heartbeatMs)
  timer.unref()

  return {
    async connect(topic, userId) {
      if (closed) return { firstForUser: false }
      const count = bump(topic, userId, 1)
      const anywhere = bump(ANYWHERE, userId, 1)
      const [inTopic] = await Promise.all([sync(topic, [[userId, count]]), sync(ANYWHERE, [[userId, anywhere]])])
      return { firstForUser: inTopic.sums[0] === 0 }
    },
    async disconnect(topic, userId) {
      if (!local.get(topic)?.has(userId)) return { lastForUser: false }
      const count = bump(topic, userId, -1)
      const anywhere = bump(ANYWHERE, userId, -1)
      const [inTopic] = await Promise.all([sync(topic, [[userId, count]]), sync(ANYWHERE, [[userId, anywhere]])])
      return { lastForUser: inTopic.sums[1] === 0 }
    },
    async online(topic) {
      return (await sync(topic, [], true)).users
    },
    async lastSeen(userIds) {
      const result = new Map<string, Date>()
      if (userIds.length === 0) return result
      const values = (await guard(
        commands.huddlePresenceLastSeen(4, ...keys(ANYWHERE), now(), ttl, ...userIds),
      )) as string[]
      userIds.forEach((id, i) => {
        if (values[i]) result.set(id, new Date(Number(values[i])))
      })
      return result
    },
    refresh,
    async close() {
      closed = true
      clearInterval(timer)
      const scopes = [...local].map(([scope, users]) => [scope, [...users.keys()]] as const)
      local.clear()
      const departures: Departure[] = []
      await Promise.all(
        scopes.map(async ([scope, users]) => {
          try {
            const { sums } = await sync(scope, users.map((u) => [u, 0]))
            // sums holds (before, after) per user: offline everywhere when it fell to zero here.
            const gone = users.filter((_, i) => sums[2 * i]! > 0 && sums[2 * i + 1] === 0)
            if (scope !== ANYWHERE && gone.length > 0) departures.push({ topic: scope, userIds: gone })
          } catch (err) {
            // The counts lapse on their own within the TTL and a survivor announces them then;
            // shutdown must not hang on Redis.
            options.logger?.warn('presence cleanup failed at shutdown', { error: (err as Error).message })
          }
        }),
      )
      return departures
    },
  }
}

import type Redis from 'ioredis'
import type { Logger } from '../../platform/logger'
import type { Metrics } from '../../platform/metrics'
import { createMemoryHub } from './memory-hub'
import { createRedisHub } from './redis-hub'
import { createMemoryPresence } from './memory-presence'
import { createRedisPresence } from './redis-presence'
import type { Hub } from './hub'
import type { Presence } from './presence'
import { createLapseAnnouncer } from './presence-lapse'
import type { RateLimitStore } from '../ratelimit/limiter'
import { createMemoryRateLimitStore } from '../ratelimit/memory-store'
import { createRedisRateLimitStore } from '../ratelimit/redis-store'

/** State processes must share to act as one: in memory for one process, in Redis for several. */
export interface SharedState {
  hub: Hub
  presence: Presence
  rateLimits: RateLimitStore
  redis?: Redis
  /**
   * First step of a graceful stop: takes this process's sockets out of presence and
   * announces `user_status: offline` for every user who is now gone everywhere, through the
   * hub, so the other processes' clients hear it. Resolves once Redis accepted it; call it
   * before the hub closes the sockets (their close handlers then have nothing to announce).
   */
  depart(): Promise<void>
  close(): Promise<void>
}

/**
 * Builds the hub, presence and rate-limit store for `redisUrl` (or memory without it); connects
 * before resolving. With Redis, the users of a process that died are announced offline in their
 * messenger rooms once its presence lapses (`presenceTtlMs`, checked every `presenceCheckMs`),
 * named by `userName`. Without Redis there is one process: a crash leaves nobody to tell.
 */
export async function createSharedState(options: {
  redisUrl?: string
  /** Prefix of every Redis key and channel; processes that act as one share it. */
  redisPrefix: string
  maxBufferedBytes: number
  logger: Logger
  metrics: Metrics
  userName?: (userId: number) => Promise<string | undefined>
  /** Stores a departed user's last seen durably (the database). */
  recordSeen?: (userId: number) => Promise<void>
  presenceTtlMs?: number
  presenceCheckMs?: number
}): Promise<SharedState> {
  const fanout = { maxBufferedBytes: options.maxBufferedBytes, logger: options.logger, metrics: options.metrics }
  const userName = options.userName ?? (async () => '')
  // Departures are announced the same way with or without Redis: with one process, its own
  // sockets hear it just before they close, and each user's last seen is stored.
  const announcer = (hub: Hub) => createLapseAnnouncer({ hub, userName, recordSeen: options.recordSeen, logger: options.logger })
  const depart = async (presence: Presence, announce: ReturnType<typeof announcer>) => {
    const departures = await presence.close()
    await Promise.all(departures.map((d) => announce(d.topic, d.userIds)))
  }
  if (!options.redisUrl) {
    const hub = createMemoryHub(fanout)
    const presence = createMemoryPresence()
    const announce = announcer(hub)
    return {
      hub,
      presence,
      rateLimits: createMemoryRateLimitStore(),
      depart: () => depart(presence, announce),
      close: async () => (await hub.close(), void (await presence.close())),
    }
  }
  // Loaded only here: one process without Redis (`bun start`) does not keep the client's ~6 MB.
  const { default: RedisClient } = await import('ioredis')
  const redis = new RedisClient(options.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false })
  redis.on('error', (e) => options.logger.warn('redis error', { error: e.message }))
  const hub = await createRedisHub({ ...fanout, redis, channelPrefix: `${options.redisPrefix}rt:` })
  const announce = announcer(hub)
  const presence = createRedisPresence({
    redis,
    keyPrefix: `${options.redisPrefix}presence:`,
    logger: options.logger,
    ttlMs: options.presenceTtlMs,
    heartbeatMs: options.presenceCheckMs,
    onLapse: (topic, userIds) => void announce(topic, userIds),
  })
  return {
    hub,
    presence,
    rateLimits: createRedisRateLimitStore({ redis, keyPrefix: `${options.redisPrefix}ratelimit:` }),
    redis,
    depart: () => depart(presence, announce),
    async close() {
      await hub.close()
      await presence.close()
      redis.disconnect()
    },
  }
}

import Redis from 'ioredis'
import type { Logger } from './platform/logger'
import type { Metrics } from './platform/metrics'
import { createMemoryHub } from './modules/realtime/memory-hub'
import { createRedisHub } from './modules/realtime/redis-hub'
import { createMemoryPresence } from './modules/realtime/memory-presence'
import { createRedisPresence } from './modules/realtime/redis-presence'
import type { Hub } from './modules/realtime/hub'
import type { Presence } from './modules/realtime/presence'
import { createLapseAnnouncer } from './modules/realtime/presence-lapse'
import type { RateLimitStore } from './modules/ratelimit/limiter'
import { createMemoryRateLimitStore } from './modules/ratelimit/memory-store'
import { createRedisRateLimitStore } from './modules/ratelimit/redis-store'

/** State processes must share to act as one: in memory for one process, in Redis for several. */
export interface SharedState {
  hub: Hub
  presence: Presence
  rateLimits: RateLimitStore
  redis?: Redis
  close(): Promise<void>
}

/**
 * Builds the hub, presence and rate-limit store for `redisUrl` (or memory without it); connects
 * before resolving. With Redis, the users of a process that died are announced offline in their
 * messenger rooms once its presence lapses, named by `userName`. Without Redis there is one
 * process, and its sockets die with it: nobody is left to tell.
 */
export async function createSharedState(options: {
  redisUrl?: string
  /** Prefix of every Redis key and channel; processes that act as one share it. */
  redisPrefix: string
  maxBufferedBytes: number
  logger: Logger
  metrics: Metrics
  userName?: (userId: number) => Promise<string | undefined>
}): Promise<SharedState> {
  const fanout = { maxBufferedBytes: options.maxBufferedBytes, logger: options.logger, metrics: options.metrics }
  if (!options.redisUrl) {
    const hub = createMemoryHub(fanout)
    const presence = createMemoryPresence()
    const rateLimits = createMemoryRateLimitStore()
    return { hub, presence, rateLimits, close: async () => (await hub.close(), await presence.close()) }
  }
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false })
  redis.on('error', (e) => options.logger.warn('redis error', { error: e.message }))
  const hub = await createRedisHub({ ...fanout, redis, channelPrefix: `${options.redisPrefix}rt:` })
  const userName = options.userName ?? (async () => '')
  const presence = createRedisPresence({ redis, keyPrefix: `${options.redisPrefix}presence:`, logger: options.logger, onLapse: createLapseAnnouncer({ hub, userName, logger: options.logger }) })
  return {
    hub,
    presence,
    rateLimits: createRedisRateLimitStore({ redis, keyPrefix: `${options.redisPrefix}ratelimit:` }),
    redis,
    async close() {
      await hub.close()
      await presence.close()
      redis.disconnect()
    },
  }
}

/**
 * The hub for several huddle processes sharing one Redis. Each topic maps to the Redis
 * channel `{prefix}{topic}`; every process holds one subscriber connection with a single
 * PSUBSCRIBE on `{prefix}*`, so joining a room costs no Redis round trip.
 *
 * A Redis message is `{origin}\n{event JSON}`. The publishing process delivers to its own
 * sockets directly (before the PUBLISH, so its order is exactly its publish order) and drops
 * its own message when Redis echoes it back: every socket gets each event exactly once.
 * Other processes forward the JSON to `server.publish` untouched: no parse on the way.
 *
 * Redis pub/sub is at-most-once: an event published while a process's subscriber connection
 * is down never reaches that process's sockets. ioredis re-subscribes after a reconnect, and
 * clients recover what they missed with `?since=`, which reads from the database.
 */
import type Redis from 'ioredis'
import { AppError, unavailable } from '../../platform/errors'
import { createLocalFanout, encodeEvent, type Hub, type LocalFanoutOptions } from './hub'

/** The connection to publish on and how this process names itself on the bus. */
export interface RedisHubOptions extends LocalFanoutOptions {
  /** Connection used for PUBLISH; shared with the rest of the app, never closed by the hub. */
  redis: Redis
  /** Channel prefix; processes that share rooms must use the same one. */
  channelPrefix?: string
  /** This process's identity on the bus; unique per hub instance. */
  originId?: string
}

/** A hub whose events also travel through Redis; resolves once its subscription is live. */
export async function createRedisHub(options: RedisHubOptions): Promise<Hub> {
  const prefix = options.channelPrefix ?? 'huddle:rt:'
  const origin = options.originId ?? crypto.randomUUID()
  if (origin.includes('\n')) throw new RangeError('originId must not contain a newline')
  const local = createLocalFanout(options)
  // A connection in subscriber mode can run no other command, so the hub owns a duplicate.
  const subscriber = options.redis.duplicate()
  const pattern = `${escapeGlob(prefix)}*`
  let closed = false

  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
    const cut = message.indexOf('\n')
    if (cut < 0 || !channel.startsWith(prefix)) return
    if (message.slice(0, cut) === origin) return
    local.deliver(channel.slice(prefix.length), message.slice(cut + 1))
  })
  subscriber.on('error', (err: Error) => {
    options.logger?.warn('realtime bus subscriber error', { error: err.message })
  })

  try {
    await subscriber.psubscribe(pattern)
  } catch (cause) {
    subscriber.disconnect()
    throw new AppError('UNAVAILABLE', 'realtime bus is unreachable', { cause })
  }

  return {
    async publish(topic, event, delivery) {
      if (closed) throw unavailable('realtime hub is closed')
      const data = encodeEvent(event)
      local.deliver(topic, data, delivery?.except)
      try {
        await options.redis.publish(prefix + topic, `${origin}\n${data}`)
      } catch (cause) {
        throw new AppError('UNAVAILABLE', 'realtime bus is unavailable', { cause })
      }
    },
    attachServer: (server) => local.attach(server),
    subscribe: (ws, topic) => local.subscribe(ws, topic),
    unsubscribe: (ws, topic) => local.unsubscribe(ws, topic),
    unsubscribeAll: (ws) => local.unsubscribeAll(ws),
    async close() {
      if (closed) return
      closed = true
      local.closeAll()
      try {
        await subscriber.punsubscribe(pattern)
        await subscriber.quit()
      } catch {
        subscriber.disconnect()
      }
    },
  }
}

/** PSUBSCRIBE patterns are globs; a prefix is matched literally. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, (c) => `\\${c}`)
}

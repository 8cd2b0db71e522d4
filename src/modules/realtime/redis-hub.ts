/**
 * The hub for several huddle processes sharing one Redis. Each topic maps to the Redis
 * channel `{prefix}{topic}`; every process holds one subscriber connection with a single
 * PSUBSCRIBE on `{prefix}*`, so joining a room costs no Redis round trip.
 *
 * Publishing costs the publishing process no per-socket work: its own sockets get the event
 * through Bun's native pub/sub at once (before Redis, so its order is exactly its publish
 * order), and the event joins a batch that leaves once per event-loop turn, as one pipelined
 * write holding one PUBLISH per channel. A Redis message is `{origin}\n{event JSON}` with
 * one more `\n{event JSON}` per further event of that turn on that channel (JSON text holds
 * no raw newline). Every process drops its own messages when Redis echoes them back, so
 * every socket gets each event exactly once; other processes hand each JSON to
 * `server.publish` untouched: no parse on the way.
 *
 * Redis pub/sub is at-most-once: an event published while a process's subscriber connection
 * is down never reaches that process's sockets. So when the subscriber connection comes back
 * after a loss, the hub closes every local socket with 1012 (SERVICE_RESTART): clients
 * reconnect with `?since=`, which reads what they missed from the database.
 */
import type Redis from 'ioredis'
import { AppError, unavailable } from '../../platform/errors'
import { createLocalFanout, encodeEvent, type Hub, type LocalFanoutOptions } from './hub'
import { CLOSE_CODES } from './protocol'

/** The connection to publish on and how this process names itself on the bus. */
export interface RedisHubOptions extends LocalFanoutOptions {
  /** Connection used for PUBLISH; shared with the rest of the app, never closed by the hub. */
  redis: Redis
  /** Channel prefix; processes that share rooms must use the same one. */
  channelPrefix?: string
  /** This process's identity on the bus; unique per hub instance. */
  originId?: string
}

interface Pending {
  resolve(): void
  reject(error: unknown): void
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
  let lost = false

  // This turn's events, per channel in first-publish order, and who waits for them.
  let batch = new Map<string, string>()
  let waiting: Pending[] = []
  let scheduled = false

  function flush(): void {
    scheduled = false
    const channels = batch
    const waiters = waiting
    batch = new Map()
    waiting = []
    const pipeline = options.redis.pipeline()
    for (const [channel, payload] of channels) pipeline.publish(channel, payload)
    pipeline.exec().then(
      (results) => {
        const failed = results?.find(([error]) => error)?.[0]
        for (const w of waiters) failed ? w.reject(busError(failed)) : w.resolve()
      },
      (cause) => {
        for (const w of waiters) w.reject(busError(cause))
      },
    )
  }

  // Buffers, not strings: this process's own echoes (half or more of what arrives) are
  // recognised by their first bytes and dropped without being decoded.
  const originBytes = Buffer.from(`${origin}\n`)
  subscriber.on('pmessageBuffer', (_pattern: string, channelBytes: Buffer, messageBytes: Buffer) => {
    if (messageBytes.length > originBytes.length && originBytes.equals(messageBytes.subarray(0, originBytes.length))) return
    const channel = channelBytes.toString()
    const message = messageBytes.toString()
    let cut = message.indexOf('\n')
    if (cut < 0 || !channel.startsWith(prefix)) return
    const topic = channel.slice(prefix.length)
    while (cut >= 0) {
      const next = message.indexOf('\n', cut + 1)
      local.deliver(topic, next < 0 ? message.slice(cut + 1) : message.slice(cut + 1, next))
      cut = next
    }
  })
  subscriber.on('error', (err: Error) => {
    options.logger?.warn('realtime bus subscriber error', { error: err.message })
  })
  subscriber.on('close', () => {
    if (!closed) lost = true
  })
  subscriber.on('ready', () => {
    if (!lost || closed) return
    lost = false
    // ioredis re-subscribes on its own before this; waiting for our own PSUBSCRIBE reply
    // means the subscription is live again, so a socket that reconnects misses nothing more.
    subscriber.psubscribe(pattern).then(
      () => {
        options.logger?.warn('realtime bus is back: closing sockets so clients resync', {})
        local.closeAll(CLOSE_CODES.SERVICE_RESTART)
      },
      (err: Error) => options.logger?.warn('realtime bus resubscribe failed', { error: err.message }),
    )
  })

  try {
    await subscriber.psubscribe(pattern)
  } catch (cause) {
    subscriber.disconnect()
    throw new AppError('UNAVAILABLE', 'realtime bus is unreachable', { cause })
  }

  return {
    publish(topic, event, delivery) {
      if (closed) return Promise.reject(unavailable('realtime hub is closed'))
      const data = encodeEvent(event)
      local.deliver(topic, data, delivery?.except)
      const channel = prefix + topic
      const queued = batch.get(channel)
      batch.set(channel, queued === undefined ? `${origin}\n${data}` : `${queued}\n${data}`)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
      return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }))
    },
    attachServer: (server) => local.attach(server),
    subscribe: (ws, topic) => local.subscribe(ws, topic),
    unsubscribe: (ws, topic) => local.unsubscribe(ws, topic),
    unsubscribeAll: (ws) => local.unsubscribeAll(ws),
    async close() {
      if (closed) return
      closed = true
      if (scheduled) flush()
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

const busError = (cause: unknown) => new AppError('UNAVAILABLE', 'realtime bus is unavailable', { cause })

/** PSUBSCRIBE patterns are globs; a prefix is matched literally. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, (c) => `\\${c}`)
}

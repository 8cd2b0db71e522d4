/**
 * The hub carries events from services to sockets. Only services publish, and only after
 * their transaction commits (a message is stored before it is broadcast). Each event is
 * serialised once and handed to Bun's native pub/sub (`server.publish`), which writes the
 * same bytes to every local subscriber of the topic without a JavaScript loop; a bus (Redis)
 * carries it to the other huddle processes, which do the same for their subscribers.
 *
 * Ordering: events published on one topic reach each local subscriber in publish order;
 * across processes, events from one publishing process arrive in that process's order.
 * Events from two different processes on one topic may interleave differently per process.
 *
 * Implementations: `createMemoryHub` (one process), `createRedisHub` (many processes).
 */
import type { Logger } from '../../platform/logger'
import type { Metrics } from '../../platform/metrics'
import { closeSlowConsumer, DEFAULT_MAX_BUFFERED_BYTES } from './connection'
import { CLOSE_CODES, CLOSE_REASONS, type CloseCode, type ServerEvent } from './protocol'

/** What the hub needs from the Bun server: `Server.publish` (Elysia: `app.server`). */
export interface PublishTarget {
  publish(topic: string, data: string, compress?: boolean): number
}

/** What the hub needs from a socket: a Bun `ServerWebSocket` (Elysia: `ws.raw`) fits. */
export interface HubSocket {
  subscribe(topic: string): unknown
  unsubscribe(topic: string): unknown
  /** Bun's `ws.publish`: every subscriber of `topic` but this socket (with `publishToSelf: false`). */
  publish(topic: string, data: string, compress?: boolean): number
  getBufferedAmount(): number
  close(code?: number, reason?: string): void
  readonly readyState: number
}

/** How one publish is delivered; every field is optional. */
export interface PublishOptions {
  /**
   * A local socket that must not receive this event (the sender of a typing indicator).
   * Other processes deliver to all their sockets, which never include it: a socket lives
   * in exactly one process.
   */
  except?: HubSocket
}

/** Fan-out of typed events to sockets by topic, in this process and (with a bus) in every other. */
export interface Hub {
  /**
   * Delivers `event` to every subscriber of `topic` in this process (but `options.except`)
   * before returning, then hands it to the bus. Resolves once the bus has accepted it (at
   * once for the memory hub); rejects with `AppError('UNAVAILABLE')` when the bus refused it
   * or the hub is closed, in which case other processes' sockets miss the event and recover
   * it with `?since=`.
   */
  publish(topic: string, event: ServerEvent, options?: PublishOptions): Promise<void>
  /** Gives the hub the server whose native pub/sub delivers locally; call once, before sockets open. */
  attachServer(server: PublishTarget): void
  /**
   * Subscribes an open socket; from now on it receives every event published on `topic`.
   * Sockets must subscribe here, not with `ws.subscribe`: the hub skips topics it has no
   * subscriber for, and needs the socket to enforce the slow-consumer bound.
   */
  subscribe(ws: HubSocket, topic: string): void
  /** Stops delivery of `topic` to `ws`; a no-op if it was not subscribed. */
  unsubscribe(ws: HubSocket, topic: string): void
  /** Forgets `ws` entirely; call from the socket's close handler. */
  unsubscribeAll(ws: HubSocket): void
  /** Closes every subscribed socket with 1001 (going away) and releases the bus; later publishes reject. */
  close(): Promise<void>
}

/** Options shared by every hub implementation. */
export interface LocalFanoutOptions {
  /** Buffered bytes past which a subscriber is closed with 4009 after a publish. */
  maxBufferedBytes?: number
  metrics?: Metrics
  logger?: Logger
}

/** Local delivery shared by every hub implementation: Bun pub/sub plus the slow-consumer bound. */
export interface LocalFanout {
  attach(server: PublishTarget): void
  /** Writes already-serialised `data` to every local subscriber of `topic` but `except`, in call order. */
  deliver(topic: string, data: string, except?: HubSocket): void
  subscribe(ws: HubSocket, topic: string): void
  unsubscribe(ws: HubSocket, topic: string): void
  unsubscribeAll(ws: HubSocket): void
  /** Closes every tracked socket with `code` (default 1001, going away) and forgets them all. */
  closeAll(code?: CloseCode): void
}

/**
 * Local fan-out over Bun's pub/sub. `server.publish` returns -1 when any subscriber's
 * buffer is backed up (0 when a frame was dropped); only then does the fan-out walk that
 * topic's subscribers and close those past the bound, so the healthy path never loops in
 * JavaScript. Sockets are tracked per topic for that walk and for shutdown.
 */
export function createLocalFanout(options: LocalFanoutOptions = {}): LocalFanout {
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES
  const byTopic = new Map<string, Set<HubSocket>>()
  const bySocket = new Map<HubSocket, Set<string>>()
  let server: PublishTarget | null = null

  const fanoutSeconds = options.metrics?.histogram(
    'huddle_realtime_fanout_seconds',
    'Time to hand one event to every local subscriber of its topic',
    [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05],
  )
  const delivered = options.metrics?.counter('huddle_realtime_events_total', 'Events delivered to local subscribers')
  const slowClosed = options.metrics?.counter(
    'huddle_realtime_slow_consumer_closes_total',
    'Sockets closed because their outbound buffer passed its bound',
  )

  function enforceBound(topic: string): void {
    const subscribers = byTopic.get(topic)
    if (!subscribers) return
    for (const ws of subscribers) {
      if (ws.getBufferedAmount() > maxBuffered) {
        slowClosed?.inc()
        options.logger?.warn('closing slow consumer', { topic, bufferedBytes: ws.getBufferedAmount() })
        closeSlowConsumer(ws)
        forget(ws)
      }
    }
  }

  function forget(ws: HubSocket): void {
    const topics = bySocket.get(ws)
    if (!topics) return
    bySocket.delete(ws)
    for (const topic of topics) {
      const set = byTopic.get(topic)
      if (!set) continue
      set.delete(ws)
      if (set.size === 0) byTopic.delete(topic)
    }
  }

  return {
    attach(target) {
      if (server && server !== target) throw new Error('hub is already attached to another server')
      server = target
    },
    deliver(topic, data, except) {
      if (!server || !byTopic.has(topic)) return
      const stop = fanoutSeconds?.startTimer()
      // Bun's `ws.publish` is the same native fan-out minus the publishing socket; a socket
      // that is closing can no longer publish, and then has nothing to be spared from.
      const status = except && except.readyState === 1 ? except.publish(topic, data, false) : server.publish(topic, data, false)
      stop?.()
      delivered?.inc()
      if (status <= 0) enforceBound(topic)
    },
    subscribe(ws, topic) {
      if (!server) throw new Error('attachServer must be called before sockets subscribe')
      if (ws.readyState !== 1) return
      ws.subscribe(topic)
      let set = byTopic.get(topic)
      if (!set) byTopic.set(topic, (set = new Set()))
      set.add(ws)
      let topics = bySocket.get(ws)
      if (!topics) bySocket.set(ws, (topics = new Set()))
      topics.add(topic)
    },
    unsubscribe(ws, topic) {
      const topics = bySocket.get(ws)
      if (!topics?.delete(topic)) return
      if (topics.size === 0) bySocket.delete(ws)
      const set = byTopic.get(topic)
      set?.delete(ws)
      if (set?.size === 0) byTopic.delete(topic)
      if (ws.readyState === 1) ws.unsubscribe(topic)
    },
    unsubscribeAll(ws) {
      forget(ws)
    },
    closeAll(code = CLOSE_CODES.GOING_AWAY) {
      const sockets = [...bySocket.keys()]
      byTopic.clear()
      bySocket.clear()
      for (const ws of sockets) {
        if (ws.readyState === 1) ws.close(code, CLOSE_REASONS[code])
      }
    },
  }
}

/** Serialises an event for the wire; done once per publish, whatever the subscriber count. */
export const encodeEvent = (event: ServerEvent): string => JSON.stringify(event)

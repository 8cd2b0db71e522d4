import { streamBody } from './stream-body'

/** The headers every SSE response carries: no caching or transforming, no proxy buffering. */
export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
}

/** The comment line written while idle, so proxies and clients do not time the stream out. */
export const SSE_HEARTBEAT = ': ping\n\n'

/** One SSE event: `data: {json}\n\n`. JSON never contains a raw line break, so one data line holds it. */
export function encodeSseEvent(event: unknown): string {
  return `data: ${JSON.stringify(event)}\n\n`
}

/** Options of `sseResponse`. */
export interface SseResponseOptions<T = object> {
  /**
   * The wire event of each source item (a surface's shape), applied as it is written: one
   * async iterator fewer per chunk than a mapping generator around the source.
   */
  map?: (item: T) => object
  /** Ends the stream (and closes `events`) when it aborts; pass the request's signal. */
  signal?: AbortSignal
  /** Idle time before a heartbeat comment; 15 s unless given, 0 turns heartbeats off. */
  heartbeatMs?: number
  headers?: Record<string, string>
  status?: number
  /** The event to send when `events` throws (e.g. a surface's `{"type":"error"}`); none just ends the stream. */
  onError?: (error: unknown) => object | undefined
}

/**
 * A streaming `text/event-stream` response of `events`, one `data:` line each, with heartbeat
 * comments while idle. When the client disconnects or `signal` aborts, `events.return()` is
 * called at once; flows should take the same signal so an upstream call that is still
 * waiting for its first byte is aborted too.
 */
export function sseResponse<T = object>(events: AsyncIterable<T>, opts: SseResponseOptions<T> = {}): Response {
  const heartbeatMs = opts.heartbeatMs ?? 15_000
  const map = opts.map
  const body = streamBody(events, {
    encode: map ? (item) => encodeSseEvent(map(item)) : encodeSseEvent,
    signal: opts.signal,
    heartbeat: heartbeatMs > 0 ? { intervalMs: heartbeatMs, text: SSE_HEARTBEAT } : undefined,
    onError: (error) => {
      const event = opts.onError?.(error)
      return event === undefined ? undefined : encodeSseEvent(event)
    },
  })
  return new Response(body, { status: opts.status ?? 200, headers: { ...SSE_HEADERS, ...opts.headers } })
}

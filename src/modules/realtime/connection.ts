/**
 * Per-socket output rules. A consumer that cannot keep up is disconnected, never buffered
 * without bound (SPEC "Realtime"). Bytes reach a socket two ways, and both are bounded:
 *  - direct sends (replies, errors, replay after `?since=`) go through `safeSend`, which
 *    checks the socket's buffer before and after writing;
 *  - published traffic goes through Bun's native `server.publish`, which bypasses
 *    `safeSend`; the hub checks the buffers of a topic's subscribers whenever a publish
 *    reports backpressure (see `createLocalFanout` in hub.ts), and Bun's own
 *    `backpressureLimit` + `closeOnBackpressureLimit` (set by `realtimeSocketOptions`) is
 *    the hard stop behind both.
 */
import { CLOSE_CODES, CLOSE_REASONS } from './protocol'

/** Outbound bytes a socket may have queued before it is closed as a slow consumer. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024

/** Largest inbound frame (SPEC "Limits": WebSocket frames 64 KB). */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024

/** The parts of a Bun `ServerWebSocket` (Elysia's `ws.raw`) that output control needs. */
export interface OutboundSocket {
  send(data: string, compress?: boolean): number
  getBufferedAmount(): number
  close(code?: number, reason?: string): void
  readonly readyState: number
}

/** Bounds for `safeSend`; defaults suit chat traffic (1 MB, 8 sends). */
export interface SafeSendOptions {
  /** Buffered bytes past which the socket is closed with 4009. */
  maxBufferedBytes?: number
  /** Consecutive sends answered with backpressure (-1) after which the socket is closed with 4009. */
  maxBackpressuredSends?: number
}

const OPEN = 1
const backpressuredSends = new WeakMap<object, number>()

/** Closes `ws` with 4009 (slow consumer) if it is still open; safe to call twice. */
export function closeSlowConsumer(ws: Pick<OutboundSocket, 'close' | 'readyState'>): void {
  if (ws.readyState !== OPEN) return
  ws.close(CLOSE_CODES.SLOW_CONSUMER, CLOSE_REASONS[CLOSE_CODES.SLOW_CONSUMER])
}

/**
 * Sends `text` to one socket unless doing so would grow its buffer without bound. Returns
 * true when the frame was written or queued, false when the socket was closed (already, or
 * now with 4009 because its buffer passed `maxBufferedBytes`, Bun dropped the frame, or
 * `maxBackpressuredSends` sends in a row met backpressure).
 */
export function safeSend(ws: OutboundSocket, text: string, options: SafeSendOptions = {}): boolean {
  if (ws.readyState !== OPEN) return false
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES
  const maxBackpressured = options.maxBackpressuredSends ?? 8
  if (ws.getBufferedAmount() > maxBuffered) {
    closeSlowConsumer(ws)
    return false
  }
  const status = ws.send(text, false)
  if (status === 0) {
    // 0 means Bun dropped the frame (backpressure limit reached or socket closing):
    // a client that silently misses a message is worse than one told to resync.
    backpressuredSends.delete(ws)
    closeSlowConsumer(ws)
    return false
  }
  if (status < 0) {
    const streak = (backpressuredSends.get(ws) ?? 0) + 1
    if (streak >= maxBackpressured || ws.getBufferedAmount() > maxBuffered) {
      backpressuredSends.delete(ws)
      closeSlowConsumer(ws)
      return false
    }
    backpressuredSends.set(ws, streak)
    return true
  }
  backpressuredSends.delete(ws)
  return true
}

/** The configurable knobs behind `realtimeSocketOptions`; every field has a default. */
export interface RealtimeSocketConfig {
  /** Largest inbound frame; larger ones close the socket with 1009. */
  maxFrameBytes?: number
  /** The slow-consumer bound the hub and `safeSend` enforce with 4009. */
  maxBufferedBytes?: number
  /** Seconds without any frame or pong before Bun closes the socket. */
  idleTimeoutSeconds?: number
  /** Whether Bun pings quiet clients before `idleTimeoutSeconds` runs out. */
  sendPings?: boolean
}

/** The Bun/Elysia websocket options every huddle socket server should use. */
export interface RealtimeSocketOptions {
  maxPayloadLength: number
  backpressureLimit: number
  closeOnBackpressureLimit: boolean
  idleTimeout: number
  sendPings: boolean
  publishToSelf: boolean
  perMessageDeflate: boolean
}

/**
 * The websocket options for `Bun.serve({ websocket })` or `new Elysia({ websocket })`.
 * - `maxPayloadLength`: frames over the limit close the socket with 1009 inside Bun,
 *   before any handler runs.
 * - `backpressureLimit` is twice the slow-consumer bound, with `closeOnBackpressureLimit`:
 *   the hub and `safeSend` close at the bound with 4009 (a code clients understand); Bun's
 *   limit is the hard stop for any write that bypasses both, and closes with 1006.
 * - `idleTimeout` + `sendPings`: Bun pings a quiet client shortly before the timeout, so a
 *   live client that only listens stays connected and a dead peer is noticed.
 * - `publishToSelf: false` keeps `ws.publish` from echoing: the hub publishes through the
 *   server, which reaches the sender's own socket (SPEC: the sender gets its message back),
 *   and through `ws.publish` only when the sender must be skipped (typing).
 */
export function realtimeSocketOptions(config: RealtimeSocketConfig = {}): RealtimeSocketOptions {
  const maxFrameBytes = config.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
  const maxBufferedBytes = config.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES
  const idleTimeout = config.idleTimeoutSeconds ?? 60
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1) throw new RangeError('maxFrameBytes must be a positive integer')
  if (!Number.isInteger(maxBufferedBytes) || maxBufferedBytes < 1) {
    throw new RangeError('maxBufferedBytes must be a positive integer')
  }
  if (!Number.isInteger(idleTimeout) || idleTimeout < 0 || idleTimeout > 960) {
    throw new RangeError('idleTimeoutSeconds must be an integer from 0 to 960')
  }
  return {
    maxPayloadLength: maxFrameBytes,
    backpressureLimit: maxBufferedBytes * 2,
    closeOnBackpressureLimit: true,
    idleTimeout,
    sendPings: config.sendPings ?? true,
    publishToSelf: false,
    perMessageDeflate: false,
  }
}

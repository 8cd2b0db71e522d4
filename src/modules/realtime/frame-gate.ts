import { frameExceeds, type InboundFrame } from './client-frames'
import { safeSend, type OutboundSocket } from './connection'
import type { FrameRateLimiter } from './frame-rate-limiter'
import { CLOSE_CODES, CLOSE_REASONS } from './protocol'

/** Sends `{"type":"error","detail"}` on a socket, through the slow-consumer bound. */
export const sendSocketError = (ws: OutboundSocket, detail: string) => safeSend(ws, JSON.stringify({ type: 'error', detail }))

/**
 * The checks every inbound frame passes before a surface parses it, in order: the
 * connection's rate (an error event, or a 4008 close for a repeat offender), then the
 * frame's size (an error event; the socket stays open). True when the frame may be handled;
 * false when it has already been answered. `count` records the refusal's outcome.
 */
export function admitFrame(
  ws: OutboundSocket,
  message: unknown,
  options: { limiter: FrameRateLimiter; maxFrameBytes: number; count: (outcome: 'rate_limited' | 'too_large') => void },
): boolean {
  const verdict = options.limiter.take()
  if (verdict !== 'accept') {
    options.count('rate_limited')
    if (verdict === 'close') ws.close(CLOSE_CODES.POLICY, CLOSE_REASONS[CLOSE_CODES.POLICY])
    else sendSocketError(ws, 'too many frames: slow down')
    return false
  }
  if (frameExceeds(message as InboundFrame, options.maxFrameBytes)) {
    options.count('too_large')
    sendSocketError(ws, `frame exceeds ${options.maxFrameBytes} bytes`)
    return false
  }
  return true
}

/**
 * Per-connection inbound frame rate (SPEC "Limits": per-connection message rates on every
 * socket). A token bucket lets a client burst (a typing indicator plus a message plus a
 * read receipt arrive together) while holding its sustained rate; a refused frame is
 * answered with an error event, and a client that keeps flooding is closed with 4008.
 * Lives in process memory on purpose: a socket belongs to exactly one process.
 */

/** What the caller does with one inbound frame. */
export type FrameVerdict =
  /** Handle the frame. */
  | 'accept'
  /** Drop the frame and send `{"type":"error","detail":…}`; the socket stays open. */
  | 'reject'
  /** Drop the frame and close the socket with 4008 (POLICY): it broke the limit too often. */
  | 'close'

/** Limits for one connection; omitted fields take `DEFAULT_FRAME_RATE`. */
export interface FrameRateLimiterOptions {
  /** Sustained frames per second. */
  framesPerSecond?: number
  /** Frames accepted back to back from a full bucket. */
  burst?: number
  /** Rejections within `violationWindowMs` that turn the next rejection into a close. */
  maxViolations?: number
  violationWindowMs?: number
  now?: () => number
}

/** One connection's limiter; `take` is O(1) and allocation-free on the accept path. */
export interface FrameRateLimiter {
  /** Spends a token for one inbound frame and says what to do with it. */
  take(): FrameVerdict
}

/** Frame limits used when the configuration names none. */
export const DEFAULT_FRAME_RATE = { framesPerSecond: 10, burst: 30, maxViolations: 10, violationWindowMs: 10_000 } as const

/** A token bucket for one connection, full at creation. */
export function createFrameRateLimiter(options: FrameRateLimiterOptions = {}): FrameRateLimiter {
  const rate = options.framesPerSecond ?? DEFAULT_FRAME_RATE.framesPerSecond
  const burst = options.burst ?? DEFAULT_FRAME_RATE.burst
  const maxViolations = options.maxViolations ?? DEFAULT_FRAME_RATE.maxViolations
  const violationWindowMs = options.violationWindowMs ?? DEFAULT_FRAME_RATE.violationWindowMs
  const now = options.now ?? Date.now
  if (!(rate > 0) || !(burst >= 1)) throw new RangeError('framesPerSecond must be > 0 and burst >= 1')
  if (!Number.isInteger(maxViolations) || maxViolations < 1) throw new RangeError('maxViolations must be a positive integer')

  let tokens = burst
  let refilledAt = now()
  // Timestamps of recent rejections, at most `maxViolations` of them, oldest first.
  const violations: number[] = []

  return {
    take() {
      const t = now()
      if (t > refilledAt) {
        tokens = Math.min(burst, tokens + ((t - refilledAt) / 1000) * rate)
        refilledAt = t
      }
      if (tokens >= 1) {
        tokens -= 1
        return 'accept'
      }
      while (violations.length > 0 && violations[0]! <= t - violationWindowMs) violations.shift()
      if (violations.length >= maxViolations) return 'close'
      violations.push(t)
      return 'reject'
    },
  }
}

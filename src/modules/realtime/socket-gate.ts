/**
 * How every huddle socket refuses a connection. A browser sees nothing of an HTTP answer
 * to an upgrade (401, 403 and 404 all surface as close code 1006), so the decision is made
 * at upgrade time but told after it: the upgrade is always accepted, and a refused socket
 * is closed at once with 4001 / 4003 / 4004 (or 4000 for a malformed upgrade) and a short
 * reason. Nothing else is ever sent on it: it joins no topic and its frames are ignored.
 */
import { badRequest, isAppError } from '../../platform/errors'
import type { OutboundSocket } from './connection'
import { CLOSE_CODES, CLOSE_REASONS, type CloseCode } from './protocol'

/** Why a socket may not open: the close code it gets and the reason sent with it. */
export interface SocketRefusal {
  code: CloseCode
  reason: string
}

/** A close reason may carry at most 123 bytes of UTF-8 (RFC 6455 5.5). */
const MAX_REASON_BYTES = 123

const CODE_OF_STATUS: Record<number, CloseCode> = {
  400: CLOSE_CODES.BAD_REQUEST,
  401: CLOSE_CODES.UNAUTHORIZED,
  403: CLOSE_CODES.FORBIDDEN,
  404: CLOSE_CODES.NOT_FOUND,
  422: CLOSE_CODES.BAD_REQUEST,
}

/**
 * The refusal an admission check's error stands for: a 400/401/403/404/422 AppError keeps
 * its (short) message as the reason; anything else is a server fault, closed with 1011
 * and the table's reason so no detail leaks.
 */
export function refusalOf(error: unknown): SocketRefusal {
  if (isAppError(error)) {
    const code = CODE_OF_STATUS[error.status]
    if (code !== undefined) {
      const fits = new TextEncoder().encode(error.message).byteLength <= MAX_REASON_BYTES
      return { code, reason: fits && error.message ? error.message : CLOSE_REASONS[code] }
    }
  }
  return { code: CLOSE_CODES.INTERNAL, reason: CLOSE_REASONS[CLOSE_CODES.INTERNAL] }
}

/** A gate's verdict on one upgrade request. */
export type SocketAdmission<T> = { admitted: T } | { refused: SocketRefusal }

/** What a surface's socket does with its gate: decide in `beforeHandle`, then `open` in `open`. */
export interface SocketGate<T> {
  /**
   * Runs `check` (authentication, then access) for an upgrade request and keeps its verdict
   * for `open`. Never throws, so the upgrade always proceeds; `onFault` hears errors that
   * are not a refusal (e.g. the database is down), which close with 1011.
   */
  decide(request: Request, check: () => Promise<T>): Promise<void>
  /**
   * The admitted value for the socket's upgrade request, or undefined after closing the
   * socket with its refusal (nothing is sent first). Call first thing in `open`.
   */
  open(request: Request, ws: Pick<OutboundSocket, 'close'>): T | undefined
}

/** A gate for one socket route; verdicts live only as long as their upgrade request. */
export function createSocketGate<T>(onFault: (error: unknown) => void): SocketGate<T> {
  const verdicts = new WeakMap<Request, SocketAdmission<T>>()
  return {
    async decide(request, check) {
      try {
        verdicts.set(request, { admitted: await check() })
      } catch (error) {
        const refused = refusalOf(error)
        if (refused.code === CLOSE_CODES.INTERNAL) onFault(error)
        verdicts.set(request, { refused })
      }
    },
    open(request, ws) {
      const verdict = verdicts.get(request)
      verdicts.delete(request)
      if (verdict && 'admitted' in verdict) return verdict.admitted
      const { code, reason } = verdict?.refused ?? { code: CLOSE_CODES.INTERNAL, reason: CLOSE_REASONS[CLOSE_CODES.INTERNAL] }
      ws.close(code, reason)
      return undefined
    },
  }
}

/**
 * A path or query id as a socket accepts it: canonical decimal digits (no sign, exponent,
 * hex or padding) within a bigint column, else 4000.
 */
export function socketId(value: string | undefined, name: string, min = 1): number {
  const n = value !== undefined && /^(0|[1-9]\d{0,15})$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < min) throw badRequest(`${name} must be an integer of at least ${min}`)
  return n
}

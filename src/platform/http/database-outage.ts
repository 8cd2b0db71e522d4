/**
 * Tells a database that cannot be reached from a query that failed. The first is the
 * operator's bad day, not a bug in the request: the client is told to come back (503 with
 * Retry-After) instead of getting a 500. Drivers wrap what went wrong (Drizzle's "Failed
 * query" carries the driver's error as its cause), so the cause chain is walked.
 */

/** postgres.js and socket-level codes of a connection that is gone or cannot be opened. */
const CONNECTION_CODES = new Set([
  'CONNECTION_ENDED', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND',
])

/** SQLSTATEs of a server that is shutting down, starting, full, or lost the database. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000'])

/** Seconds a client is asked to wait before retrying during an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5

/** True when `error` (or one of its causes) says the database is unreachable, not that the query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = typeof e.code === 'string' ? e.code : ''
    if (CONNECTION_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return true
    if (e.message === 'PGlite is closed') return true
    e = e.cause as typeof e
  }
  return false
}

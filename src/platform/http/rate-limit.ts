import { enforceRateLimit, type RateLimitStore, type Rule } from '../../modules/ratelimit/limiter'
import { clientIp } from './request-context'

export interface RequestLimiterDeps {
  store: RateLimitStore
  trustProxy: boolean
  /** Milliseconds since the epoch; the store's own clock when absent (tests pin it). */
  now?: () => number
}

/**
 * Per-route limits: `limit(name, rule, request, userId)` counts one hit for the user (or,
 * without one, the client address) under the named rule, and throws the 429 AppError with
 * `retryAfterSeconds` that every surface renders with a `Retry-After` header.
 */
export function createRequestLimiter(deps: RequestLimiterDeps) {
  return {
    async limit(
      name: string,
      rule: Rule,
      request: Request,
      caller: { userId?: number; server?: { requestIP(r: Request): { address: string } | null } | null },
    ) {
      const who = caller.userId !== undefined ? `user:${caller.userId}` : `ip:${clientIp(request, caller.server ?? null, deps.trustProxy)}`
      return enforceRateLimit(deps.store, `${name}:${who}`, rule, deps.now?.())
    },
  }
}

export type RequestLimiter = ReturnType<typeof createRequestLimiter>

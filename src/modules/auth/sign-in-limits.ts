import { enforceRateLimit, type RateLimitStore, type Rule } from '../ratelimit/limiter'

/** How many sign-in attempts and searches the limits allow (config `rateLimits`). */
export interface SignInLimitConfig {
  windowSeconds: number
  perIp: number
  perEmail: number
  searchPerMinute: number
}

/** Where a request came from, as far as the limits care. */
export interface ClientInfo {
  ip: string
}

const sha256 = (s: string) => new Bun.CryptoHasher('sha256').update(s).digest('hex')

/**
 * The limits that keep accounts from being guessed or enumerated, counted in the shared
 * rate-limit store (memory for one process, Redis for several):
 * - every request that mints an identity (login, register, petcare sign-in) counts against
 *   its client address, so fresh tokens cannot multiply the per-user limits;
 * - every login or register naming an email counts against that email, whatever the address,
 *   so a guesser spread over many addresses still gets `perEmail` tries per window. Emails are
 *   keyed by their SHA-256: the store never holds an address.
 * - user search counts per user.
 * Each throws the 429 AppError (with `retryAfterSeconds`) when over.
 */
export function createSignInLimits(deps: { store: RateLimitStore; config: SignInLimitConfig }) {
  const windowMs = deps.config.windowSeconds * 1000
  const perIp: Rule = { limit: deps.config.perIp, windowMs, mode: 'sliding' }
  const perEmail: Rule = { limit: deps.config.perEmail, windowMs, mode: 'sliding' }
  const search: Rule = { limit: deps.config.searchPerMinute, windowMs: 60_000, mode: 'sliding' }
  return {
    async identity(client: ClientInfo): Promise<void> {
      await enforceRateLimit(deps.store, `auth.identity:ip:${client.ip}`, perIp)
    },
    /** `email` as the account is keyed (trimmed, lower case). */
    async email(email: string): Promise<void> {
      await enforceRateLimit(deps.store, `auth.email:${sha256(email)}`, perEmail)
    },
    async search(userId: number): Promise<void> {
      await enforceRateLimit(deps.store, `users.search:user:${userId}`, search)
    },
  }
}

export type SignInLimits = ReturnType<typeof createSignInLimits>

import type { Rule } from '../../modules/ratelimit/limiter'
import { isAppError, rateLimited } from '../../platform/errors'
import type { RequestLimiter } from '../../platform/http/rate-limit'

/** The docs contract's 429 body text, word for word. */
export const DOCS_RATE_LIMIT_MESSAGE = '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.'

/** Per-minute limits of the three limited docs endpoints (seed 004's table by default). */
export interface DocsRateLimitConfig {
  chatPerMinute: number
  ingestPerMinute: number
  deletePerMinute: number
}

const MINUTE = 60_000

/**
 * Counts one hit per user on each limited docs endpoint: chat sliding, ingest fixed,
 * document delete sliding, as the seed's table says; a refusal is the seed's 429 message
 * with `retryAfterSeconds` (rendered as `Retry-After`).
 */
export function createDocsRateLimits(limiter: RequestLimiter, config: DocsRateLimitConfig) {
  const rules: Record<'chat' | 'ingest' | 'deleteDocuments', Rule> = {
    chat: { limit: config.chatPerMinute, windowMs: MINUTE, mode: 'sliding' },
    ingest: { limit: config.ingestPerMinute, windowMs: MINUTE, mode: 'fixed' },
    deleteDocuments: { limit: config.deletePerMinute, windowMs: MINUTE, mode: 'sliding' },
  }
  return async (name: keyof typeof rules, request: Request, userId: number): Promise<void> => {
    try {
      await limiter.limit(`docs.${name}`, rules[name], request, { userId })
    } catch (error) {
      if (isAppError(error) && error.code === 'RATE_LIMITED') {
        throw rateLimited(DOCS_RATE_LIMIT_MESSAGE, Number(error.details?.retryAfterSeconds ?? 60))
      }
      throw error
    }
  }
}

export type DocsRateLimits = ReturnType<typeof createDocsRateLimits>

/**
 * The limits the client contracts name, as defaults; the composition root may override any
 * of them from configuration. Keys are per user (seed 004: "사용자별 요청 횟수 제한").
 */
import type { Rule } from './limiter'

const MINUTE = 60_000

/** Seed 004's table: chat 20/min sliding, ingest 5/min fixed, document delete 10/min sliding. */
export const DOCS_RATE_RULES = {
  chat: { limit: 20, windowMs: MINUTE, mode: 'sliding' },
  ingest: { limit: 5, windowMs: MINUTE, mode: 'fixed' },
  deleteDocuments: { limit: 10, windowMs: MINUTE, mode: 'sliding' },
} as const satisfies Record<string, Rule>

/** The store key for one user under one named rule, so rules never share a count. */
export const rateLimitKey = (ruleName: string, userId: string | number): string => `${ruleName}:user:${userId}`

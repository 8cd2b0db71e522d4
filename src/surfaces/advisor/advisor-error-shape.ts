import type { AppError, ErrorCode } from '../../platform/errors'
import type { ErrorShape } from '../../platform/http/error-shapes'

/**
 * The generic codes as the advisor client sees them. The seed names only EMPTY_QUESTION,
 * ROOM_NOT_FOUND and AI_RESPONSE_TIMEOUT; these follow its style so a client can switch on
 * `error_code` for every failure. A timeout on this surface is always the AI's.
 */
const GENERIC_CODES: Record<ErrorCode, string> = {
  BAD_REQUEST: 'INVALID_REQUEST',
  VALIDATION: 'INVALID_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL_ERROR',
  UPSTREAM_FAILED: 'AI_SERVICE_ERROR',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  TIMEOUT: 'AI_RESPONSE_TIMEOUT',
}

/** The `error_code` of an error: its seed-specific code when it has one, else the generic mapping. */
export const advisorErrorCode = (e: AppError): string => e.publicCode ?? GENERIC_CODES[e.code]

/** `{"error_code": …, "message": …}` with 400 for validation, as the advisor seed shows. */
export const advisorShape: ErrorShape = {
  validationStatus: 400,
  body: (e) => ({ error_code: advisorErrorCode(e), message: e.message }),
}

/** The advisor's paths: card sessions, the finance chat and its transactions. */
export const advisorErrorShape = { prefixes: ['/api/v1/chat', '/api/v1/transactions'], shape: advisorShape }

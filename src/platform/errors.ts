/**
 * One error type for the whole core. Services throw `AppError` with an enumerated code;
 * each surface's error renderer turns it into that surface's body shape (`{detail}`,
 * `{error}`, `{error_code, message}`). Anything that is not an AppError is a bug: it is
 * logged with a request id and answered as a bare 500 whose body never carries details.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM_FAILED: 502,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export interface AppErrorOptions {
  /** Extra machine-readable facts a surface may show (e.g. `retryAfterSeconds`). */
  details?: Record<string, unknown>
  /** A surface-specific code that overrides the generic one where a seed names codes. */
  publicCode?: string
  cause?: unknown
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details?: Record<string, unknown>
  readonly publicCode?: string

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ERROR_STATUS[code]
    this.details = options.details
    this.publicCode = options.publicCode
  }
}

export const badRequest = (message: string, options?: AppErrorOptions) =>
  new AppError('BAD_REQUEST', message, options)
export const validation = (message: string, options?: AppErrorOptions) =>
  new AppError('VALIDATION', message, options)
export const unauthorized = (message = 'Not authenticated') => new AppError('UNAUTHORIZED', message)
export const forbidden = (message = 'Forbidden') => new AppError('FORBIDDEN', message)
export const notFound = (message = 'Not found', options?: AppErrorOptions) =>
  new AppError('NOT_FOUND', message, options)
export const conflict = (message: string) => new AppError('CONFLICT', message)
export const tooLarge = (message: string) => new AppError('PAYLOAD_TOO_LARGE', message)
export const unavailable = (message: string) => new AppError('UNAVAILABLE', message)
export const timeout = (message: string, options?: AppErrorOptions) =>
  new AppError('TIMEOUT', message, options)
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', message, { details: { retryAfterSeconds } })

export const isAppError = (e: unknown): e is AppError => e instanceof AppError

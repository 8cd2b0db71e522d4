import { Elysia } from 'elysia'
import { AppError, isAppError, tooLarge, validation } from '../errors'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import { statusFor, type ErrorShapeTable } from './error-shapes'
import { findUnsafeText } from '../text-guard'
import { isDatabaseUnavailable, OUTAGE_RETRY_AFTER_SECONDS } from './database-outage'
import { beginRequest, requestContext } from './request-context'

export interface HttpPipelineOptions {
  logger: Logger
  metrics: Metrics
  shapes: ErrorShapeTable
  bodyMaxBytes: number
  /** Multipart bodies may reach this plus form overhead before they are refused unread. */
  uploadMaxBytes: number
}

const pathOf = (url: string) => {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const q = url.indexOf('?', start)
  return start < 0 ? '/' : url.slice(start, q < 0 ? undefined : q)
}

/** Renders any error in the shape of the surface that owns the path. */
export function renderError(shapes: ErrorShapeTable, path: string, error: AppError, requestId?: string): Response {
  const shape = shapes.shapeFor(path)
  const status = statusFor(error, shape)
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  if (requestId) headers['x-request-id'] = requestId
  const retry = error.details?.retryAfterSeconds
  if (typeof retry === 'number') headers['retry-after'] = String(retry)
  return new Response(JSON.stringify(shape.body(error, status)), { status, headers })
}

/** Turns whatever Elysia or a handler threw into an AppError; unknown errors become INTERNAL. */
function toAppError(code: string | number, error: unknown): { appError: AppError; unexpected: boolean } {
  if (isAppError(error)) return { appError: error, unexpected: false }
  // Elysia wraps what a parser throws in a ParseError; ours may be an AppError (413, bad JSON).
  const cause = (error as { cause?: unknown })?.cause
  if (isAppError(cause)) return { appError: cause, unexpected: false }
  switch (code) {
    case 'NOT_FOUND':
      return { appError: new AppError('NOT_FOUND', 'Not found'), unexpected: false }
    case 'VALIDATION':
      return { appError: new AppError('VALIDATION', describeValidation(error)), unexpected: false }
    case 'PARSE':
      return { appError: new AppError('BAD_REQUEST', 'Request body could not be parsed'), unexpected: false }
    case 'INVALID_COOKIE_SIGNATURE':
    case 'INVALID_FILE_TYPE':
      return { appError: new AppError('BAD_REQUEST', 'Invalid request'), unexpected: false }
  }
  if (isDatabaseUnavailable(error)) {
    const message = 'Service temporarily unavailable: the database cannot be reached'
    return { appError: new AppError('UNAVAILABLE', message, { details: { retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS } }), unexpected: false }
  }
  const status = (error as { status?: number })?.status
  if (status === 413) return { appError: tooLarge('Request body too large'), unexpected: false }
  return { appError: new AppError('INTERNAL', 'Internal server error'), unexpected: true }
}

/** A one-line message for an Elysia (TypeBox) validation failure: where and what. */
function describeValidation(error: unknown): string {
  const e = error as { type?: string; all?: { path?: string; summary?: string; message?: string }[]; message?: string; customError?: unknown }
  const first = Array.isArray(e.all) ? e.all[0] : undefined
  if (first) {
    const where = [e.type, first.path?.replace(/^\//, '').replace(/\//g, '.')].filter(Boolean).join('.')
    // A schema's own `error` text (request-schemas.ts) says what is expected better than a regex.
    const custom = typeof e.customError === 'string' ? e.customError : undefined
    return `${where || 'request'}: ${custom ?? first.summary ?? first.message ?? 'invalid value'}`
  }
  return 'Invalid request'
}

/**
 * The conventions every route shares: a request id, JSON bodies capped at BODY_MAX_BYTES
 * (413 above), text the database cannot store refused (text-guard.ts), every error rendered
 * in the owning surface's shape, an unreachable database answered 503 with Retry-After,
 * unexpected errors logged with the request id and answered with a bare 500, and one JSON
 * log line per request with its route, status and duration.
 */
export function httpPipeline(options: HttpPipelineOptions) {
  const { logger, metrics, shapes, bodyMaxBytes, uploadMaxBytes } = options
  const multipartMax = uploadMaxBytes + 1024 * 1024
  const requests = metrics.counter('http_requests_total', 'HTTP requests by method, route and status')
  const duration = metrics.histogram('http_request_duration_seconds', 'HTTP request duration by route')

  return new Elysia({ name: 'http-pipeline' })
    .onRequest(({ request }) => {
      beginRequest(request)
      const length = Number(request.headers.get('content-length') ?? 0)
      const type = request.headers.get('content-type') ?? ''
      const multipart = type.startsWith('multipart/form-data')
      if (length > (multipart ? multipartMax : bodyMaxBytes))
        return renderError(shapes, pathOf(request.url), tooLarge(`Request body exceeds ${multipart ? uploadMaxBytes : bodyMaxBytes} bytes`))
    })
    .onParse({ as: 'global' }, async ({ request }, contentType) => {
      if (!contentType.startsWith('application/json')) return
      const text = await request.text()
      if (text.length > bodyMaxBytes) throw tooLarge(`Request body exceeds ${bodyMaxBytes} bytes`)
      if (text.trim() === '') return {}
      try {
        return JSON.parse(text)
      } catch {
        throw new AppError('BAD_REQUEST', 'Request body is not valid JSON')
      }
    })
    // After authentication and schema validation, before any handler: text anywhere in the
    // path, query or body that the database could not store is refused in the surface's shape.
    .onBeforeHandle({ as: 'global' }, ({ params, query, body }) => {
      const bad = findUnsafeText(params, 'params') ?? findUnsafeText(query, 'query') ?? findUnsafeText(body, 'body')
      if (bad) throw validation(`${bad.path} ${bad.reason}`)
    })
    .onError({ as: 'global' }, ({ code, error, request }) => {
      const { appError, unexpected } = toAppError(code, error)
      const ctx = requestContext(request)
      if (unexpected) logger.error('unhandled error', { requestId: ctx?.id, path: pathOf(request.url), error })
      else if (appError.code === 'UNAVAILABLE') logger.warn('service unavailable', { requestId: ctx?.id, path: pathOf(request.url), reason: appError.message })
      return renderError(shapes, pathOf(request.url), appError, ctx?.id)
    })
    .onAfterResponse({ as: 'global' }, (c) => {
      const { request, set } = c
      const ctx = requestContext(request)
      const route = (c as { route?: string }).route ?? 'unmatched'
      const status = typeof set.status === 'number' ? set.status : 200
      const seconds = ctx ? (performance.now() - ctx.startedAt) / 1000 : 0
      requests.inc({ method: request.method, route, status })
      duration.observe(seconds, { route })
      logger.info('request', {
        requestId: ctx?.id,
        method: request.method,
        path: pathOf(request.url),
        route,
        status,
        ms: Math.round(seconds * 10000) / 10,
        userId: ctx?.userId,
      })
    })
}

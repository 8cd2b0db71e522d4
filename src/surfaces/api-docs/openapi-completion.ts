/**
 * Completes the OpenAPI document Elysia generates, so Swagger UI and generated clients see
 * every request body and every response:
 * - request bodies: Elysia leaves `content` empty when a route's parsing is customised (huddle's
 *   pipeline parses every body itself, to enforce its limits), so each route's declared body
 *   schema is put back as JSON — and as multipart for the upload routes;
 * - responses: each operation gets the error answers it can give, in its surface's error shape
 *   (401 where a token is needed, 404 where an id is in the path, 400/422 and 413 where a body
 *   is read, 429 with `Retry-After` where a rate limit applies, 503 with `Retry-After` on a
 *   database outage), and the answers Elysia cannot infer (streams, files, 204s, WebSocket
 *   upgrades, which are described in AsyncAPI at /asyncapi.json);
 * - security schemes (Bearer, the session cookie, `?token=` where accepted) and tags per surface.
 */
import { AppError } from '../../platform/errors'
import type { ErrorShapeTable } from '../../platform/http/error-shapes'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the completion needs of a route: Elysia's `app.routes` entries carry these. */
export interface RouteInfo {
  method: string
  path: string
  hooks: { body?: unknown }
}

const multipartFile = (extra: Json = {}): Json => ({
  type: 'object',
  properties: { file: { type: 'string', format: 'binary' }, ...extra },
})

/** Upload routes: their multipart bodies, which no JSON schema in the route describes. */
const MULTIPART: Record<string, Json> = {
  'POST /api/ingest': multipartFile({
    text: { type: 'string', description: 'text to ingest instead of a file' },
    source: { type: 'string', description: 'source name (default: the file name or "직접 입력")' },
  }),
  'POST /chat/rooms/{room_id}/messages': multipartFile({
    message_content: { type: 'string' },
    message_type: { type: 'string', enum: ['image', 'file'] },
    reply_to_message_id: { type: 'integer' },
  }),
}

const sse = (description: string): Json => ({ description, content: { 'text/event-stream': { schema: { type: 'string' } } } })
/** Answers Elysia cannot infer from a schema, by operation. */
const SPECIAL_RESPONSES: Record<string, Json> = {
  'GET /healthz': { 200: { description: 'process up', content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } } } } } } },
  'GET /readyz': { 200: { description: 'database reachable', content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } } } } } } },
  'GET /metrics': { 200: { description: 'Prometheus text exposition', content: { 'text/plain': { schema: { type: 'string' } } } } },
  'GET /chat/files/{file_id}': { 200: { description: 'the file; images and PDFs inline, others as attachments', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } },
  'GET /api/export/{id}': { 200: { description: 'the conversation as Markdown', content: { 'text/markdown': { schema: { type: 'string' } } } } },
  'POST /api/v1/chat/stream': { 200: sse('SSE: start, delta…, end (see /asyncapi.json, advisorFinanceStream)') },
  'POST /api/messages': { 200: sse('SSE: start, tool_selection ×2, the flow, end (see /asyncapi.json, petcareMessageStream)') },
  'POST /api/chats/{chat_id}/messages': { 200: sse('SSE, as POST /api/messages') },
  'POST /api/chat': {
    200: {
      description: 'Vercel AI SDK data stream v1 with source annotations (see /asyncapi.json, docsChatStream)',
      headers: { 'x-vercel-ai-data-stream': { schema: { type: 'string', const: 'v1' } } },
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
  },
}

/** Routes with a rate limit (429 + Retry-After). */
const RATE_LIMITED = [
  'POST /api/chat', 'POST /api/ingest', 'DELETE /api/documents', 'POST /api/auth/login', 'POST /api/auth/register',
  'GET /api/users/search', 'POST /api/users',
]
/** Routes anyone may call without a token. */
const PUBLIC = [/^\/(healthz|readyz|metrics|asyncapi\.json|console)/, /^\/api\/auth\/(login|register)$/, /^\/api\/users$/, /^\/api\/shared\//]
/** Routes that accept `?token=` (a header cannot be sent). */
const QUERY_TOKEN = [/^\/chat\/ws\//, /^\/api\/sessions\/ws\//, /^\/chat\/files\//]

const TAGS: [RegExp, string][] = [
  [/^\/chat\//, 'messenger'], [/^\/api\/(rooms|sessions)/, 'couples'], [/^\/api\/v1\//, 'advisor'],
  [/^\/api\/(users\/search|auth)/, 'account'], [/^\/api\/(users|pets|chats|messages|shared|recipes)/, 'petcare'],
  [/^\/api\/(ingest|chat|documents|conversations|stats|export)/, 'docs'], [/^\/(healthz|readyz|metrics)/, 'operations'],
]

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/'

/** A JSON schema of a surface's error body, inferred from the body it renders (with it as the example). */
function errorSchema(shapes: ErrorShapeTable, path: string, status: number): Json {
  const example = shapes.shapeFor(path).body(new AppError('NOT_FOUND', 'message'), status) as Json
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(example).map(([k, v]) => [k, { type: typeof v === 'number' ? 'number' : 'string' }])),
    required: Object.keys(example),
    example,
  }
}

/** Adds what Elysia's generator leaves out; mutates and returns `doc`. */
export function completeOpenApi(doc: Json, routes: readonly RouteInfo[], shapes: ErrorShapeTable, options: { cookieName: string }): Json {
  const bodies = new Map<string, unknown>()
  for (const r of routes) if (r.hooks.body) bodies.set(`${r.method.toUpperCase()} ${toOpenApiPath(r.path)}`, r.hooks.body)

  for (const [path, ops] of Object.entries<Json>(doc.paths ?? {})) {
    // A WebSocket upgrade is a GET answered 101; its messages are in AsyncAPI.
    if (ops.ws) {
      ops.get = {
        ...ops.ws,
        summary: ops.ws.summary ?? 'WebSocket upgrade',
        description: 'Upgrades to a WebSocket. Its frames, events and close codes are described in AsyncAPI at /asyncapi.json.',
        responses: { 101: { description: 'Switching Protocols (a refused socket is closed at once with 4001/4003/4004)' } },
      }
      delete ops.ws
    }
    for (const [method, op] of Object.entries<Json>(ops)) {
      const key = `${method.toUpperCase()} ${path}`
      const body = bodies.get(key)
      const multipart = MULTIPART[key]
      if (['post', 'put', 'patch'].includes(method)) {
        const content: Json = { ...(op.requestBody?.content ?? {}) }
        if (body && !content['application/json']) content['application/json'] = { schema: body }
        if (multipart) content['multipart/form-data'] = { schema: multipart }
        if (Object.keys(content).length === 0) content['application/json'] = { schema: { type: 'object', description: 'no fields are read' } }
        op.requestBody = { required: Boolean(body || multipart), ...op.requestBody, content }
      }
      op.responses ??= {}
      Object.assign(op.responses, SPECIAL_RESPONSES[key] ?? {})
      if (!Object.keys(op.responses).some((c) => c.startsWith('2') || c === '101')) {
        op.responses[method === 'delete' || key === 'POST /api/auth/logout' ? 204 : 200] =
          method === 'delete' || key === 'POST /api/auth/logout' ? { description: 'Done; no body' } : { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } }
      }
      const error = (status: number, description: string, headers?: Json) =>
        (op.responses[status] ??= { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: errorSchema(shapes, path, status) } } })
      const retryAfter = { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } }
      const isPublic = PUBLIC.some((re) => re.test(path))
      if (!isPublic) error(401, 'No valid token, cookie session' + (QUERY_TOKEN.some((re) => re.test(path)) ? ' or ?token=' : ''))
      if (path.includes('{')) error(404, "Not found, or someone else's")
      if (body || multipart || op.parameters?.length) error(shapes.shapeFor(path).validationStatus, 'Invalid input')
      if (body || multipart) error(413, 'Body over the size limit')
      if (RATE_LIMITED.includes(key)) error(429, 'Rate limit exceeded', retryAfter)
      if (!/^\/(healthz|metrics)/.test(path)) error(503, 'Database unavailable; try again', retryAfter)
      if (!isPublic) op.security = [{ bearer: [] }, { cookie: [] }, ...(QUERY_TOKEN.some((re) => re.test(path)) ? [{ queryToken: [] }] : [])]
      const tag = TAGS.find(([re]) => re.test(path))?.[1]
      if (tag && !op.tags?.length) op.tags = [tag]
    }
  }
  doc.components ??= {}
  doc.components.securitySchemes = {
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    cookie: { type: 'apiKey', in: 'cookie', name: options.cookieName, description: 'set by POST /api/auth/login' },
    queryToken: { type: 'apiKey', in: 'query', name: 'token', description: 'only where a header cannot be sent: WebSocket upgrades and file downloads' },
    ...(doc.components.securitySchemes ?? {}),
  }
  doc.tags = ['account', 'messenger', 'couples', 'advisor', 'petcare', 'docs', 'operations'].map((name) => ({ name }))
  return doc
}

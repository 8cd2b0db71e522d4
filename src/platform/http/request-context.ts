/** Per-request facts that hooks share without widening Elysia's context types. */
export interface RequestContext {
  id: string
  startedAt: number
  userId?: number
}

const contexts = new WeakMap<Request, RequestContext>()

export function beginRequest(request: Request): RequestContext {
  const incoming = request.headers.get('x-request-id')
  const ctx: RequestContext = {
    id: incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID(),
    startedAt: performance.now(),
  }
  contexts.set(request, ctx)
  return ctx
}

export const requestContext = (request: Request): RequestContext | undefined => contexts.get(request)

/** The caller's address for per-IP limits (X-Forwarded-For only behind a trusted proxy). */
export function clientIp(request: Request, server: { requestIP(r: Request): { address: string } | null } | null, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = request.headers.get('x-forwarded-for')
    if (fwd) return fwd.split(',')[0]!.trim()
  }
  return server?.requestIP(request)?.address ?? 'unknown'
}

import { Elysia } from 'elysia'
import type { AuthService, Principal } from '../../modules/auth/auth-service'
import { unauthorized } from '../errors'
import { requestContext } from './request-context'

/**
 * Whether `?token=` counts as a credential. Tokens in URLs end up in proxy logs, browser
 * history and Referer headers, so only the routes where a client cannot send a header opt
 * in: WebSocket upgrades and file downloads (an `<img src>`). Everywhere else the query
 * parameter is ignored, as if absent.
 */
export interface CredentialOptions {
  queryToken: boolean
}

/** Where a request carries its credential, in order: Bearer header, `?token=` (when allowed), session cookie. */
export function credentialOf(
  request: Request,
  cookieName: string,
  options: CredentialOptions,
): { kind: 'bearer' | 'cookie'; value: string } | undefined {
  const header = request.headers.get('authorization')
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim())
    if (m) return { kind: 'bearer', value: m[1]!.trim() }
  }
  const q = options.queryToken ? request.url.indexOf('?') : -1
  if (q >= 0) {
    const token = new URLSearchParams(request.url.slice(q + 1)).get('token')
    if (token) return { kind: 'bearer', value: token }
  }
  const cookie = request.headers.get('cookie')
  if (cookie) {
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=')
      if (eq > 0 && part.slice(0, eq).trim() === cookieName) return { kind: 'cookie', value: decodeURIComponent(part.slice(eq + 1).trim()) }
    }
  }
  return undefined
}

/** Resolves the caller of a request, or throws 401 AppError. */
export async function authenticateRequest(
  auth: AuthService,
  request: Request,
  cookieName: string,
  options: CredentialOptions,
): Promise<Principal> {
  const credential = credentialOf(request, cookieName, options)
  if (!credential) throw unauthorized('Not authenticated')
  const principal =
    credential.kind === 'bearer' ? await auth.authenticateToken(credential.value) : await auth.authenticateSession(credential.value)
  const ctx = requestContext(request)
  if (ctx) ctx.userId = principal.user.id
  return principal
}

/**
 * `{ auth: true }` on a route makes `principal` available to its handler and answers 401
 * (in the surface's shape) before the handler runs when there is no valid credential
 * (Bearer header or session cookie). `{ queryTokenAuth: true }` does the same and also
 * accepts `?token=`: for WebSocket upgrades and file downloads only (see CredentialOptions).
 * `{ optionalAuth: true }` gives `principal` or undefined, for the few public routes
 * that behave differently for a signed-in caller.
 */
export function authPlugin(auth: AuthService, cookieName: string) {
  // Authentication runs in `transform`, before Elysia validates params, query and body, so
  // a caller without credentials learns nothing from validation errors: it gets 401 first.
  const principals = new WeakMap<Request, Principal>()
  const required = (options: CredentialOptions) => ({
    async transform({ request }: { request: Request }) {
      principals.set(request, await authenticateRequest(auth, request, cookieName, options))
    },
    resolve({ request }: { request: Request }) {
      const principal = principals.get(request)
      if (!principal) throw unauthorized('Not authenticated')
      return { principal }
    },
  })
  const headerOnly: CredentialOptions = { queryToken: false }
  return new Elysia({ name: 'auth-plugin' }).macro({
    auth: required(headerOnly),
    queryTokenAuth: required({ queryToken: true }),
    optionalAuth: {
      async resolve({ request }) {
        const principal: Principal | undefined = credentialOf(request, cookieName, headerOnly)
          ? await authenticateRequest(auth, request, cookieName, headerOnly)
          : undefined
        return { principal }
      },
    },
  })
}

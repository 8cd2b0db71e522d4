import { Elysia } from 'elysia'
import type { AuthService, Principal } from '../../modules/auth/auth-service'
import { unauthorized } from '../errors'
import { requestContext } from './request-context'

/** Where a request carries its credential, in order: Bearer header, `?token=`, session cookie. */
export function credentialOf(request: Request, cookieName: string): { kind: 'bearer' | 'cookie'; value: string } | undefined {
  const header = request.headers.get('authorization')
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim())
    if (m) return { kind: 'bearer', value: m[1]!.trim() }
  }
  const q = request.url.indexOf('?')
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
export async function authenticateRequest(auth: AuthService, request: Request, cookieName: string): Promise<Principal> {
  const credential = credentialOf(request, cookieName)
  if (!credential) throw unauthorized('Not authenticated')
  const principal =
    credential.kind === 'bearer' ? await auth.authenticateToken(credential.value) : await auth.authenticateSession(credential.value)
  const ctx = requestContext(request)
  if (ctx) ctx.userId = principal.user.id
  return principal
}

/**
 * `{ auth: true }` on a route makes `principal` available to its handler and answers 401
 * (in the surface's shape) before the handler runs when there is no valid credential.
 * `{ optionalAuth: true }` gives `principal` or undefined, for the few public routes
 * that behave differently for a signed-in caller.
 */
export function authPlugin(auth: AuthService, cookieName: string) {
  // Authentication runs in `transform`, before Elysia validates params, query and body, so
  // a caller without credentials learns nothing from validation errors: it gets 401 first.
  const principals = new WeakMap<Request, Principal>()
  return new Elysia({ name: 'auth-plugin' }).macro({
    auth: {
      async transform({ request }) {
        principals.set(request, await authenticateRequest(auth, request, cookieName))
      },
      resolve({ request }) {
        const principal = principals.get(request)
        if (!principal) throw unauthorized('Not authenticated')
        return { principal }
      },
    },
    optionalAuth: {
      async resolve({ request }) {
        const principal: Principal | undefined = credentialOf(request, cookieName)
          ? await authenticateRequest(auth, request, cookieName)
          : undefined
        return { principal }
      },
    },
  })
}

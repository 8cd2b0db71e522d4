import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import { emailOf, publicUser } from '../../modules/auth/auth-service'
import type { SignInLimits } from '../../modules/auth/sign-in-limits'
import type { UserRepo } from '../../modules/auth/user-repo'
import { authPlugin, credentialOf } from '../../platform/http/auth-plugin'
import { validation } from '../../platform/errors'
import { detailShape } from '../../platform/http/error-shapes'
import { clientIp } from '../../platform/http/request-context'
import { SizeParam } from '../../platform/http/request-schemas'

/** Prefixes whose errors render as `{detail}`. */
export const accountErrorShape = { prefixes: ['/api/auth', '/api/users/search'], shape: detailShape }

const UserOut = t.Object({ id: t.Number(), uid: t.String(), name: t.String(), email: t.Nullable(t.String()) })

/** The server that answers a request, as far as finding the client's address goes. */
type ServerLike = Parameters<typeof clientIp>[1]

const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const

/**
 * huddle's own accounts: register, login (token + session cookie), logout, me, user search.
 * Login and register count against the client's address and the email they name (see
 * SignInLimits) before anything else happens; search counts per caller.
 */
export function accountRoutes(deps: {
  auth: AuthService
  users: UserRepo
  limits: SignInLimits
  trustProxy: boolean
  cookie: { cookieName: string; cookieSecure: boolean; cookieSameSite: keyof typeof SAME_SITE; sessionTtlSeconds: number }
}) {
  const { auth, limits } = deps
  const { cookieName, cookieSecure, cookieSameSite, sessionTtlSeconds } = deps.cookie
  const cookie = (value: string, maxAge: number) =>
    `${cookieName}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=${SAME_SITE[cookieSameSite]}; Max-Age=${maxAge}${cookieSecure ? '; Secure' : ''}`
  const signInAttempt = async (request: Request, server: ServerLike, email: unknown) => {
    await limits.identity({ ip: clientIp(request, server, deps.trustProxy) })
    const key = emailOf(email)
    if (key) await limits.email(key)
  }

  return new Elysia({ name: 'account-routes', detail: { tags: ['account'] } })
    .use(authPlugin(auth, cookieName))
    .post(
      '/api/auth/register',
      async ({ body, set, request, server }) => {
        await signInAttempt(request, server, body.email)
        const user = await auth.register(body)
        set.status = 201
        return { user }
      },
      {
        body: t.Object({ email: t.String(), password: t.String(), name: t.String() }),
        response: { 201: t.Object({ user: UserOut }) },
        detail: {
          summary: 'Create an account',
          description: 'Answers 201 `{user}` whether or not the email already has an account, so addresses cannot be tested; when it has, nothing is stored and signing in with the new password fails.',
        },
      },
    )
    .post(
      '/api/auth/login',
      async ({ body, set, request, server }) => {
        await signInAttempt(request, server, body.email)
        const result = await auth.login(body)
        set.headers['set-cookie'] = cookie(result.sessionToken, sessionTtlSeconds)
        return {
          access_token: result.accessToken,
          token_type: 'bearer' as const,
          expires_in: result.expiresIn,
          user: publicUser(result.user),
        }
      },
      {
        body: t.Object({ email: t.String(), password: t.String() }),
        response: {
          200: t.Object({ access_token: t.String(), token_type: t.Literal('bearer'), expires_in: t.Number(), user: UserOut }),
        },
        detail: { summary: 'Sign in: returns a bearer token and sets the session cookie' },
      },
    )
    .post(
      '/api/auth/logout',
      async ({ request, set }) => {
        const credential = credentialOf(request, cookieName, { queryToken: false })
        if (credential?.kind === 'cookie') await auth.logout(credential.value)
        set.headers['set-cookie'] = cookie('', 0)
        set.status = 204
      },
      { auth: true, detail: { summary: 'Sign out: revokes the session cookie' } },
    )
    .get('/api/auth/me', ({ principal }) => publicUser(principal.user), {
      auth: true,
      response: { 200: UserOut },
      detail: { summary: 'The signed-in user' },
    })
    .get(
      '/api/users/search',
      async ({ principal, query }) => {
        await limits.search(principal.user.id)
        const q = query.q.trim()
        // A blank query would match every name: the whole directory in one request.
        if (!q) throw validation('q must not be blank')
        const found = await deps.users.search(q, query.limit ?? 20, principal.user.id)
        return { users: found.map((u) => ({ id: u.id, uid: u.uid, name: u.name })) }
      },
      {
        auth: true,
        query: t.Object({ q: t.String({ minLength: 1, maxLength: 100 }), limit: t.Optional(SizeParam(50)) }),
        response: { 200: t.Object({ users: t.Array(t.Object({ id: t.Number(), uid: t.String(), name: t.String() })) }) },
        detail: { summary: 'Find people to add to rooms: display names containing `q`, or the account whose email is exactly `q`' },
      },
    )
}

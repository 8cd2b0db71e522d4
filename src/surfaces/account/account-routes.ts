import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import { publicUser } from '../../modules/auth/auth-service'
import type { UserRepo } from '../../modules/auth/user-repo'
import { authPlugin, credentialOf } from '../../platform/http/auth-plugin'
import { detailShape } from '../../platform/http/error-shapes'
import { SizeParam } from '../../platform/http/request-schemas'

/** Prefixes whose errors render as `{detail}`. */
export const accountErrorShape = { prefixes: ['/api/auth', '/api/users/search'], shape: detailShape }

const UserOut = t.Object({ id: t.Number(), uid: t.String(), name: t.String(), email: t.Nullable(t.String()) })

/** huddle's own accounts: register, login (token + session cookie), logout, me, user search. */
export function accountRoutes(deps: {
  auth: AuthService
  users: UserRepo
  cookieName: string
  cookieSecure: boolean
  sessionTtlSeconds: number
}) {
  const { auth, cookieName } = deps
  const cookie = (value: string, maxAge: number) =>
    `${cookieName}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${deps.cookieSecure ? '; Secure' : ''}`

  return new Elysia({ name: 'account-routes', detail: { tags: ['account'] } })
    .use(authPlugin(auth, cookieName))
    .post(
      '/api/auth/register',
      async ({ body, set }) => {
        const user = await auth.register(body)
        set.status = 201
        return { user: publicUser(user) }
      },
      {
        body: t.Object({ email: t.String(), password: t.String(), name: t.String() }),
        response: { 201: t.Object({ user: UserOut }) },
        detail: { summary: 'Create an account' },
      },
    )
    .post(
      '/api/auth/login',
      async ({ body, set }) => {
        const result = await auth.login(body)
        set.headers['set-cookie'] = cookie(result.sessionToken, deps.sessionTtlSeconds)
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
        const credential = credentialOf(request, cookieName)
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
        const found = await deps.users.search(query.q.trim(), query.limit ?? 20, principal.user.id)
        return { users: found.map((u) => ({ id: u.id, uid: u.uid, name: u.name })) }
      },
      {
        auth: true,
        query: t.Object({ q: t.String({ minLength: 1, maxLength: 100 }), limit: t.Optional(SizeParam(50)) }),
        response: { 200: t.Object({ users: t.Array(t.Object({ id: t.Number(), uid: t.String(), name: t.String() })) }) },
        detail: { summary: 'Find people to add to rooms' },
      },
    )
}

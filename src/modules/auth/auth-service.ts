import { SignJWT } from 'jose'
import { AppError, badRequest, unauthorized, validation } from '../../platform/errors'
import type { JwtVerifier } from './jwt-verifier'
import type { SessionRepo } from './session-repo'
import type { User, UserRepo } from './user-repo'

/** Who is calling: the user row and, for token callers, the token's claims. */
export interface Principal {
  user: User
  claims: Record<string, unknown>
  via: 'bearer' | 'cookie'
}

export interface AuthServiceDeps {
  users: UserRepo
  sessions: SessionRepo
  verify: JwtVerifier
  secret: Uint8Array
  userClaim: string
  accessTtlSeconds: number
  sessionTtlSeconds: number
  /** argon2id cost of new password hashes (see config `passwordHash`). */
  passwordHash: PasswordHashCost
}

export interface PasswordHashCost {
  memoryCostKib: number
  timeCost: number
}

const NAME_CLAIMS = ['name', 'nickname', 'preferred_username', 'email'] as const
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const USER_CACHE_MAX = 10_000
const USER_CACHE_TTL_MS = 60_000

/** The user-facing shape of `/api/auth/me` and the login answer. */
export const publicUser = (u: Pick<User, 'id' | 'uid' | 'name' | 'email'>) => ({ id: u.id, uid: u.uid, name: u.name, email: u.email })

/** How an own account's email is keyed: trimmed and lower case ('' when not a string). */
export const emailOf = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '')

/**
 * Identity for every surface: turns a bearer token or a session cookie into a user,
 * creating the user on the first valid token of an unknown subject, and runs huddle's
 * own accounts (register, login, logout). Users are cached by subject for a minute so
 * a hot path (a socket frame, a message send) costs no extra query.
 */
export function createAuthService(deps: AuthServiceDeps) {
  const cache = new Map<string, { user: User; at: number }>()
  const hashPassword = (password: string) =>
    Bun.password.hash(password, { algorithm: 'argon2id', memoryCost: deps.passwordHash.memoryCostKib, timeCost: deps.passwordHash.timeCost })
  // An unknown email is verified against this, at the same cost as a real account's hash.
  let dummyHash: Promise<string> | undefined

  const remember = (user: User) => {
    if (cache.size >= USER_CACHE_MAX) cache.delete(cache.keys().next().value!)
    cache.set(user.subject, { user, at: Date.now() })
    return user
  }

  async function userForSubject(subject: string, claims: Record<string, unknown>): Promise<User> {
    const hit = cache.get(subject)
    if (hit && Date.now() - hit.at < USER_CACHE_TTL_MS) return hit.user
    const existing = await deps.users.findBySubject(subject)
    if (existing) return remember(existing)
    const named = NAME_CLAIMS.map((c) => claims[c]).find((v) => typeof v === 'string' && v.trim())
    const name = ((named as string | undefined) ?? `user-${subject}`).trim().slice(0, 100)
    return remember(await deps.users.ensureSubject(subject, name))
  }

  async function issueAccessToken(user: User): Promise<string> {
    return new SignJWT({ name: user.name, [deps.userClaim]: user.subject })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.subject)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + deps.accessTtlSeconds)
      .sign(deps.secret)
  }

  return {
    /** The caller of a bearer token (or `?token=`); throws 401 AppError when invalid. */
    async authenticateToken(token: string): Promise<Principal> {
      const { subject, claims } = await deps.verify(token)
      return { user: await userForSubject(subject, claims), claims, via: 'bearer' }
    },

    /** The caller of a session cookie; throws 401 when unknown, expired or revoked. */
    async authenticateSession(sessionToken: string): Promise<Principal> {
      const userId = await deps.sessions.userIdFor(sessionToken)
      const user = userId ? await deps.users.findById(userId) : undefined
      if (!user) throw unauthorized('Session expired or signed out')
      return { user, claims: {}, via: 'cookie' }
    },

    /** Finds or creates the user of an opaque credential's subject (petcare's cafe24 token). */
    userForSubject,
    issueAccessToken,

    /**
     * Creates an own account. It never tells whether the email already has one: a taken
     * email gets the same 201 `{user}` after the same work (a hash, an id drawn from the
     * users' sequence, one insert), but nothing is stored and the user shown is not a
     * real account, so signing in with that password fails as any wrong password does.
     */
    async register(input: { email?: unknown; password?: unknown; name?: unknown }) {
      const email = emailOf(input.email)
      const password = typeof input.password === 'string' ? input.password : ''
      const name = typeof input.name === 'string' ? input.name.trim() : ''
      if (!EMAIL_RE.test(email) || email.length > 254) throw validation('email must be a valid address')
      if (password.length < 8 || password.length > 256) throw validation('password must be 8 to 256 characters')
      if (!name || name.length > 100) throw validation('name must be 1 to 100 characters')
      const passwordHash = await hashPassword(password)
      const id = await deps.users.nextId()
      const uid = crypto.randomUUID()
      const user = await deps.users.createAccount({ id, uid, email, name, passwordHash })
      return user ? publicUser(remember(user)) : publicUser({ id, uid, name, email })
    },

    /** Signs in an own account; an unknown email and a wrong password get the same 401 after the same work. */
    async login(input: { email?: unknown; password?: unknown }) {
      const email = emailOf(input.email)
      const password = typeof input.password === 'string' ? input.password : ''
      if (!email || !password) throw badRequest('email and password are required')
      const user = await deps.users.findByEmail(email)
      // Verify against a dummy hash when the user is unknown so timing does not reveal accounts.
      const ok = await Bun.password.verify(password, user?.passwordHash ?? (await (dummyHash ??= hashPassword('not-a-real-password-' + crypto.randomUUID())))).catch(() => false)
      if (!user || !user.passwordHash || !ok) throw new AppError('UNAUTHORIZED', 'Invalid email or password')
      const session = await deps.sessions.create(user.id, deps.sessionTtlSeconds)
      return {
        user,
        accessToken: await issueAccessToken(user),
        expiresIn: deps.accessTtlSeconds,
        sessionToken: session.token,
        sessionExpiresAt: session.expiresAt,
      }
    },

    logout: (sessionToken: string) => deps.sessions.revoke(sessionToken),
  }
}

export type AuthService = ReturnType<typeof createAuthService>

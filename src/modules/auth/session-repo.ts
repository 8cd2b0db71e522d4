import { and, eq, gt, isNull } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { authSessions } from '../../platform/db/schema'

/** SHA-256 hex of a session token: the database never holds a usable token. */
export const hashToken = (token: string) => new Bun.CryptoHasher('sha256').update(token).digest('hex')

/** Server-side browser sessions: created at login, looked up per request, revoked at logout. */
export function createSessionRepo({ db }: { db: Db }) {
  return {
    async create(userId: number, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
      const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000)
      await db.insert(authSessions).values({ id: hashToken(token), userId, expiresAt })
      return { token, expiresAt }
    },
    /** The live session's user id, or undefined when unknown, expired or revoked. */
    async userIdFor(token: string): Promise<number | undefined> {
      const [s] = await db
        .select({ userId: authSessions.userId })
        .from(authSessions)
        .where(and(eq(authSessions.id, hashToken(token)), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, new Date())))
        .limit(1)
      return s?.userId
    },
    async revoke(token: string): Promise<void> {
      await db.update(authSessions).set({ revokedAt: new Date() }).where(eq(authSessions.id, hashToken(token)))
    },
  }
}

export type SessionRepo = ReturnType<typeof createSessionRepo>

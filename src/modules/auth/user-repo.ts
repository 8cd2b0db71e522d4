import { and, eq, ilike, inArray, or, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { users } from '../../platform/db/schema'

export type User = typeof users.$inferSelect

/** Escapes LIKE wildcards so user input matches literally. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c)

/** Reads and writes users; every identity lookup goes through here. */
export function createUserRepo({ db }: { db: Db }) {
  return {
    async findBySubject(subject: string): Promise<User | undefined> {
      const [u] = await db.select().from(users).where(eq(users.subject, subject)).limit(1)
      return u
    },
    async findById(id: number): Promise<User | undefined> {
      const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1)
      return u
    },
    async findByIds(ids: number[]): Promise<User[]> {
      if (ids.length === 0) return []
      return db.select().from(users).where(inArray(users.id, ids))
    },
    async findByUid(uid: string): Promise<User | undefined> {
      const [u] = await db.select().from(users).where(eq(users.uid, uid)).limit(1)
      return u
    },
    async findByEmail(email: string): Promise<User | undefined> {
      const [u] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1)
      return u
    },
    /** Creates the user of a subject, or returns the existing one when another request won the race. */
    async ensureSubject(subject: string, name: string): Promise<User> {
      const [created] = await db
        .insert(users)
        .values({ subject, name })
        .onConflictDoNothing({ target: users.subject })
        .returning()
      if (created) return created
      const [existing] = await db.select().from(users).where(eq(users.subject, subject)).limit(1)
      return existing!
    },
    /** Creates an own account; the subject is the new uid so own tokens name it. */
    async createAccount(input: { email: string; name: string; passwordHash: string }): Promise<User | undefined> {
      const uid = crypto.randomUUID()
      const [u] = await db
        .insert(users)
        .values({ uid, subject: uid, email: input.email.toLowerCase(), name: input.name, passwordHash: input.passwordHash })
        .onConflictDoNothing()
        .returning()
      return u
    },
    async touchLastSeen(id: number): Promise<void> {
      await db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, id))
    },
    /** Name or email contains `q` (trigram-indexed), excluding `exceptId`. */
    async search(q: string, limit: number, exceptId?: number): Promise<User[]> {
      const pattern = `%${escapeLike(q)}%`
      const match = or(ilike(users.name, pattern), ilike(users.email, pattern))
      return db
        .select()
        .from(users)
        .where(exceptId ? and(match, sql`${users.id} <> ${exceptId}`) : match)
        .orderBy(users.name, users.id)
        .limit(limit)
    },
  }
}

export type UserRepo = ReturnType<typeof createUserRepo>

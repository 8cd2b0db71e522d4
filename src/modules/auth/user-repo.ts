import { and, eq, ilike, inArray, notLike, or, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/client'
import { users } from '../../platform/db/schema'

export type User = typeof users.$inferSelect

/** Subjects of petcare's cafe24 sign-ins start with this (see petcare-user-service). */
export const CAFE24_SUBJECT_PREFIX = 'cafe24:'

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
    /** The next user id, drawn from the users' own sequence (never reused). */
    async nextId(): Promise<number> {
      const [row] = await queryRows<{ id: string | number }>(db, sql`select nextval(pg_get_serial_sequence('users', 'id')) as id`)
      return Number(row!.id)
    },
    /**
     * Creates an own account under `id` and `uid` (the subject is the uid, so own tokens name
     * it); undefined when the email is taken.
     */
    async createAccount(input: { id: number; uid: string; email: string; name: string; passwordHash: string }): Promise<User | undefined> {
      const [u] = await db
        .insert(users)
        .values({ id: input.id, uid: input.uid, subject: input.uid, email: input.email.toLowerCase(), name: input.name, passwordHash: input.passwordHash })
        .onConflictDoNothing()
        .returning()
      return u
    },
    async touchLastSeen(id: number): Promise<void> {
      await db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, id))
    },
    /**
     * People to add to rooms: the display name contains `q` (trigram-indexed) or the email is
     * exactly `q`, so addresses cannot be harvested by their pieces. Petcare (cafe24) users
     * are never listed: their uid alone opens their chats on the seed's AllowAny routes.
     */
    async search(q: string, limit: number, exceptId?: number): Promise<User[]> {
      const match = or(ilike(users.name, `%${escapeLike(q)}%`), eq(users.email, q.toLowerCase()))
      const listable = and(match, notLike(users.subject, `${CAFE24_SUBJECT_PREFIX}%`), exceptId ? sql`${users.id} <> ${exceptId}` : undefined)
      return db.select().from(users).where(listable).orderBy(users.name, users.id).limit(limit)
    },
  }
}

export type UserRepo = ReturnType<typeof createUserRepo>

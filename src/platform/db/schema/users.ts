import { bigserial, bigint, index, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { timestamps, ts } from './columns'

/**
 * Everyone huddle knows. `id` is what integer-id surfaces show, `uid` what uuid surfaces
 * show. `subject` is the identity a token names: the `sub` (or configured claim) of an
 * external issuer's token, the uid of a huddle-issued account, or `cafe24:{sha256}` for
 * petcare's opaque credential. It is unique, so the first valid token of a subject
 * creates exactly one user even when requests race.
 */
export const users = pgTable(
  'users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    uid: uuid('uid').notNull().unique().default(sql`gen_random_uuid()`),
    subject: text('subject').notNull().unique(),
    email: text('email').unique(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    lastSeenAt: ts('last_seen_at'),
    ...timestamps(),
  },
  (t) => [index('users_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops'))],
)

/** Browser sessions named by the httpOnly cookie; the row keys on the token's SHA-256. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
)

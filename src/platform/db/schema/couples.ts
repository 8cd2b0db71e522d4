import { bigint, bigserial, index, pgTable, text } from 'drizzle-orm/pg-core'
import { ts } from './columns'
import { users } from './users'
import { rooms } from './rooms'

/**
 * Invitations to a couple room's free seat, created by seat A. Only a SHA-256 of the code
 * is kept, so a read of this table cannot be turned into a seat. Single use: `used_at`
 * is set in the same transaction that seats the invitee.
 */
export const coupleInvitations = pgTable(
  'couple_invitations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roomId: bigint('room_id', { mode: 'number' })
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull().unique(),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    expiresAt: ts('expires_at').notNull(),
    usedBy: bigint('used_by', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    usedAt: ts('used_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('couple_invitations_room_idx').on(t.roomId)],
)

import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { timestamps, ts } from './columns'
import { users } from './users'
import { pets } from './pets'

/**
 * Every conversation of every surface is a room: messenger direct/group rooms, couple
 * rooms, advisor card sessions and finance chats, petcare chats and docs conversations.
 * `kind` says which; the columns that only one kind uses are nullable.
 */
export const rooms = pgTable(
  'rooms',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    publicId: uuid('public_id').notNull().unique().default(sql`gen_random_uuid()`),
    kind: text('kind').notNull(),
    name: text('name'),
    description: text('description'),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    maxParticipants: integer('max_participants').notNull().default(100),
    isActive: boolean('is_active').notNull().default(true),
    /** `{lowUserId}:{highUserId}` for direct rooms, so two people share one direct room. */
    directKey: text('direct_key').unique(),
    coupleId: bigint('couple_id', { mode: 'number' }),
    /**
     * True when the room was created by a token carrying the couple claim for `couple_id`: only
     * then do that couple's claims list it and seat its partner. A room a claimless caller made
     * under some couple id is theirs alone (and their invitees').
     */
    coupleVerified: boolean('couple_verified').notNull().default(false),
    petId: bigint('pet_id', { mode: 'number' }).references(() => pets.id, { onDelete: 'set null' }),
    isShared: boolean('is_shared').notNull().default(false),
    forkedFromId: bigint('forked_from_id', { mode: 'number' }),
    lastMessageAt: ts('last_message_at'),
    ...timestamps(),
  },
  (t) => [
    index('rooms_kind_creator_idx').on(t.kind, t.createdBy, t.createdAt, t.id),
    index('rooms_couple_idx').on(t.coupleId),
  ],
)

/** Who is in a room; `id` is the participant id the messenger shows. */
export const roomMembers = pgTable(
  'room_members',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roomId: bigint('room_id', { mode: 'number' })
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('member'),
    isActive: boolean('is_active').notNull().default(true),
    notificationEnabled: boolean('notification_enabled').notNull().default(true),
    lastReadAt: ts('last_read_at'),
    lastReadMessageId: bigint('last_read_message_id', { mode: 'number' }),
    joinedAt: ts('joined_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('room_members_room_user_uq').on(t.roomId, t.userId), index('room_members_user_idx').on(t.userId)],
)

/** Room-wide settings (the per-member notification switch lives on room_members). */
export const roomSettings = pgTable('room_settings', {
  roomId: bigint('room_id', { mode: 'number' })
    .primaryKey()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  messageRetentionDays: integer('message_retention_days').notNull().default(365),
  autoDeleteEnabled: boolean('auto_delete_enabled').notNull().default(false),
  readReceiptEnabled: boolean('read_receipt_enabled').notNull().default(true),
  updatedAt: ts('updated_at').notNull().defaultNow(),
})

/** A couple room's conversations: one is active at a time; a closed one keeps its summary. */
export const coupleSessions = pgTable(
  'couple_sessions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roomId: bigint('room_id', { mode: 'number' })
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userAId: bigint('user_a_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    userBId: bigint('user_b_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    topic: text('topic'),
    status: text('status').notNull().default('active'),
    turnCount: integer('turn_count').notNull().default(0),
    pendingQuestion: text('pending_question'),
    summary: text('summary'),
    startedAt: ts('started_at').notNull().defaultNow(),
    endedAt: ts('ended_at'),
  },
  (t) => [index('couple_sessions_room_idx').on(t.roomId, t.id)],
)

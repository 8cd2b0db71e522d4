import { bigint, bigserial, boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { ts } from './columns'
import { users } from './users'
import { rooms } from './rooms'

/** Uploaded files; bytes live in storage under `storage_key`, never in the database. */
export const files = pgTable(
  'files',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    publicId: uuid('public_id').notNull().unique().default(sql`gen_random_uuid()`),
    uploaderId: bigint('uploader_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    roomId: bigint('room_id', { mode: 'number' }).references(() => rooms.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull(),
    originalName: text('original_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('files_room_idx').on(t.roomId)],
)

/**
 * Every message of every surface. `role` separates people from the AI and from flow
 * steps (petcare's tool/recipe/rag messages); `payload` keeps a surface's structured
 * content. A deleted message keeps its row (soft delete) so replies and read positions
 * stay valid. `(room_id, sender_id, client_msg_id)` is unique, which makes a resend
 * with the same client id return the first message instead of storing a second.
 */
export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    publicId: uuid('public_id').notNull().unique().default(sql`gen_random_uuid()`),
    roomId: bigint('room_id', { mode: 'number' })
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    senderId: bigint('sender_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    role: text('role').notNull().default('user'),
    messageType: text('message_type').notNull().default('text'),
    content: text('content').notNull().default(''),
    payload: jsonb('payload'),
    replyToId: bigint('reply_to_id', { mode: 'number' }),
    clientMsgId: text('client_msg_id'),
    fileId: bigint('file_id', { mode: 'number' }).references(() => files.id, { onDelete: 'set null' }),
    sessionId: bigint('session_id', { mode: 'number' }),
    speaker: text('speaker'),
    tokenCount: jsonb('token_count'),
    isEdited: boolean('is_edited').notNull().default(false),
    editedAt: ts('edited_at'),
    isDeleted: boolean('is_deleted').notNull().default(false),
    deletedAt: ts('deleted_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('messages_room_id_idx').on(t.roomId, t.id),
    // Only a message sent with a client id can be a resend: the others add no entry here.
    uniqueIndex('messages_client_msg_uq').on(t.roomId, t.senderId, t.clientMsgId).where(sql`${t.clientMsgId} is not null`),
    // A 64 MB pending list: a stored message appends its trigrams instead of merging them into
    // the index (4x cheaper per message); searches read the pending list too, so nothing lags.
    // The merge runs off the hot path (statistics.ts on PGlite, autovacuum on a server).
    index('messages_content_trgm_idx').using('gin', t.content.op('gin_trgm_ops')).with({ gin_pending_list_limit: 65536 }),
    // Only couples messages carry a session: the others add no entry here. Every other index is
    // written by every stored message (the trigram GIN above costs the most, see README).
    index('messages_session_idx').on(t.sessionId).where(sql`${t.sessionId} is not null`),
  ],
)

/**
 * The ON CONFLICT target of a message insert that may be a resend: the partial unique index
 * on `(room_id, sender_id, client_msg_id)` is inferred only with its predicate.
 */
export const resendConflict = {
  target: [messages.roomId, messages.senderId, messages.clientMsgId],
  where: sql`client_msg_id is not null`,
}

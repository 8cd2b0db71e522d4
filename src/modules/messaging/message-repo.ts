import { and, asc, desc, eq, gt, ilike, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { files, messages, resendConflict, users } from '../../platform/db/schema'
import { escapeLike } from '../auth/user-repo'
import type { MessengerMessageItem } from '../realtime/protocol'
import { seedTimeSql } from './messenger-views'

export type Message = typeof messages.$inferSelect
export type StoredFile = typeof files.$inferSelect
export type NewMessage = typeof messages.$inferInsert

/** A message with what every list shows next to it: the sender's name and the attached file. */
export interface MessageView {
  message: Message
  senderName: string | null
  file: StoredFile | null
}

/** Messages of every surface; reads join the sender's name and the file in one query. */
export function createMessageRepo({ db }: { db: Db }) {
  const view = () =>
    db
      .select({ message: messages, senderName: users.name, file: files })
      .from(messages)
      .leftJoin(users, eq(users.id, messages.senderId))
      .leftJoin(files, eq(files.id, messages.fileId))

  // The hot reads, built once: Drizzle would otherwise rebuild their SQL text on every call
  // (postgres.js then prepares each text once per connection, so the server plans it once).
  const pageQuery = view()
    .where(eq(messages.roomId, sql.placeholder('roomId')))
    .orderBy(desc(messages.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare('message_page')
  // The messenger's page in seed 003's item shape, as the rows come (see messageItem for
  // the same rules in code): the database formats it, so the server maps nothing per row.
  const deleted = messages.isDeleted
  const itemPageQuery = db
    .select({
      message_id: messages.id,
      room_id: messages.roomId,
      sender_id: sql<number>`coalesce(${messages.senderId}, 0)`.mapWith(Number),
      sender_name: sql<string>`coalesce(${users.name}, '')`,
      message_content: sql<string>`case when ${deleted} then '' else ${messages.content} end`,
      message_type: sql<MessengerMessageItem['message_type']>`${messages.messageType}`,
      file_url: sql<string | null>`case when not ${deleted} then '/chat/files/' || ${files.publicId} end`,
      file_name: sql<string | null>`case when not ${deleted} then ${files.originalName} end`,
      file_size: sql<number | null>`case when not ${deleted} then ${files.size} end`.mapWith(Number),
      reply_to_message_id: messages.replyToId,
      is_edited: messages.isEdited,
      is_deleted: deleted,
      edited_at: seedTimeSql<string | null>(messages.editedAt),
      created_at: seedTimeSql(messages.createdAt),
      updated_at: seedTimeSql(messages.updatedAt),
    })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.senderId))
    .leftJoin(files, eq(files.id, messages.fileId))
    .where(eq(messages.roomId, sql.placeholder('roomId')))
    .orderBy(desc(messages.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare('message_item_page')
  const existsQuery = db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.roomId, sql.placeholder('roomId')), eq(messages.id, sql.placeholder('messageId'))))
    .limit(1)
    .prepare('message_exists')
  const countQuery = db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(eq(messages.roomId, sql.placeholder('roomId')))
    .prepare('message_count')
  // The group commit's INSERT, prepared like the reads: unprepared, PGlite parsed and planned
  // it on every flush, ~0.5 ms of its thread per statement. `rows` is one JSON text (cast from
  // text, so the driver sends it as it is) holding the whole batch: the statement is the same
  // for any batch size.
  const insertManyQuery = db
    .insert(messages)
    .select(
      // Drizzle lists every column of the table, in order, for INSERT … SELECT.
      sql`select nextval('messages_id_seq'::regclass), x.public_id, x.room_id, x.sender_id, x.role,
                 x.message_type, x.content, x.payload, x.reply_to_id, x.client_msg_id, x.file_id, x.session_id,
                 x.speaker, x.token_count, false, null, false, null, now(), now()
            from jsonb_to_recordset(${sql.placeholder('rows')}::text::jsonb) as x(
              public_id uuid, room_id bigint, sender_id bigint, role text, message_type text, content text, payload jsonb,
              reply_to_id bigint, client_msg_id text, file_id bigint, session_id bigint, speaker text, token_count jsonb)`,
    )
    .onConflictDoNothing(resendConflict)
    .returning()
    .prepare('message_insert_many')

  return {
    /**
     * Inserts many messages in one statement (the group commit). A row whose
     * `(room_id, sender_id, client_msg_id)` already exists is not inserted again: its input
     * gets the stored row back with `duplicate: true`. Results are in input order.
     */
    async insertMany(inputs: NewMessage[]): Promise<{ message: Message; duplicate: boolean }[]> {
      const withIds = inputs.map((m) => ({ ...m, publicId: m.publicId ?? crypto.randomUUID() }))
      // One JSON parameter for the whole batch: the driver sends one value, not rows × columns.
      const rows = JSON.stringify(
        withIds.map((m) => ({
          public_id: m.publicId, room_id: m.roomId, sender_id: m.senderId ?? null, role: m.role ?? 'user',
          message_type: m.messageType ?? 'text', content: m.content ?? '', payload: m.payload ?? null,
          reply_to_id: m.replyToId ?? null, client_msg_id: m.clientMsgId ?? null, file_id: m.fileId ?? null,
          session_id: m.sessionId ?? null, speaker: m.speaker ?? null, token_count: m.tokenCount ?? null,
        })),
      )
      const inserted = await insertManyQuery.execute({ rows })
      const byPublicId = new Map(inserted.map((m) => [m.publicId, m]))
      const missing = withIds.filter((m) => !byPublicId.has(m.publicId))
      const existing = missing.length
        ? await db
            .select()
            .from(messages)
            .where(
              sql`(${messages.roomId}, ${messages.senderId}, ${messages.clientMsgId}) in (${sql.join(
                missing.map((m) => sql`(${m.roomId}, ${m.senderId ?? null}, ${m.clientMsgId ?? null})`),
                sql`, `,
              )})`,
            )
        : []
      const key = (m: { roomId: number; senderId?: number | null; clientMsgId?: string | null }) => `${m.roomId}:${m.senderId}:${m.clientMsgId}`
      const byClientKey = new Map(existing.map((m) => [key(m), m]))
      return withIds.map((m) => {
        const fresh = byPublicId.get(m.publicId)
        if (fresh) return { message: fresh, duplicate: false }
        const first = byClientKey.get(key(m))
        if (!first) throw new Error('message neither inserted nor found')
        return { message: first, duplicate: true }
      })
    },
    async get(roomId: number, messageId: number): Promise<MessageView | undefined> {
      const [row] = await view().where(and(eq(messages.roomId, roomId), eq(messages.id, messageId))).limit(1)
      return row
    },
    async exists(roomId: number, messageId: number): Promise<boolean> {
      return (await existsQuery.execute({ roomId, messageId })).length > 0
    },
    /** Page `page` of `size` counted from the newest message, returned oldest first. */
    async page(roomId: number, page: number, size: number): Promise<{ items: MessageView[]; total: number }> {
      const [items, [count]] = await Promise.all([
        pageQuery.execute({ roomId, limit: size, offset: (page - 1) * size }),
        countQuery.execute({ roomId }),
      ])
      return { items: items.reverse(), total: Number(count?.n ?? 0) }
    },
    /** Like `page`, already in seed 003's REST item shape (the messenger's list). */
    async itemPage(roomId: number, page: number, size: number): Promise<{ items: MessengerMessageItem[]; total: number }> {
      const [items, [count]] = await Promise.all([
        itemPageQuery.execute({ roomId, limit: size, offset: (page - 1) * size }),
        countQuery.execute({ roomId }),
      ])
      // Drizzle types every computed column of a joined select as nullable; these are not.
      return { items: items.reverse() as MessengerMessageItem[], total: Number(count?.n ?? 0) }
    },
    /** Everything after `afterId` in order, for a client that reconnects (bounded by `limit`). */
    async since(roomId: number, afterId: number, limit: number): Promise<MessageView[]> {
      return view().where(and(eq(messages.roomId, roomId), gt(messages.id, afterId))).orderBy(asc(messages.id)).limit(limit)
    },
    /** Messages whose text contains `query`, newest first (pg_trgm-indexed ILIKE). */
    async search(roomId: number, query: string, page: number, size: number): Promise<{ items: MessageView[]; total: number }> {
      const where = and(eq(messages.roomId, roomId), eq(messages.isDeleted, false), ilike(messages.content, `%${escapeLike(query)}%`))
      const [items, [count]] = await Promise.all([
        view().where(where).orderBy(desc(messages.id)).limit(size).offset((page - 1) * size),
        db.select({ n: sql<number>`count(*)::int` }).from(messages).where(where),
      ])
      return { items, total: Number(count?.n ?? 0) }
    },
    async edit(messageId: number, content: string, at: Date): Promise<Message | undefined> {
      const [m] = await db
        .update(messages)
        .set({ content, isEdited: true, editedAt: at, updatedAt: at })
        .where(and(eq(messages.id, messageId), eq(messages.isDeleted, false)))
        .returning()
      return m
    },
    /** Soft delete: the row stays (replies and read positions keep pointing at it), its content goes. */
    async softDelete(messageId: number, at: Date): Promise<Message | undefined> {
      const [m] = await db
        .update(messages)
        .set({ content: '', payload: null, isDeleted: true, deletedAt: at, updatedAt: at })
        .where(and(eq(messages.id, messageId), eq(messages.isDeleted, false)))
        .returning()
      return m
    },
    async insertFile(input: typeof files.$inferInsert): Promise<StoredFile> {
      const [f] = await db.insert(files).values(input).returning()
      return f!
    },
    async fileByPublicId(publicId: string): Promise<StoredFile | undefined> {
      const [f] = await db.select().from(files).where(eq(files.publicId, publicId)).limit(1)
      return f
    },
    async filesByIds(ids: number[]): Promise<StoredFile[]> {
      return ids.length ? db.select().from(files).where(inArray(files.id, ids)) : []
    },
  }
}

export type MessageRepo = ReturnType<typeof createMessageRepo>

import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/client'
import { messages, rooms } from '../../platform/db/schema'

/** The room kind of a docs conversation. */
export const DOCS_KIND = 'docs'

/** A docs conversation as stored. */
export interface ConversationRow {
  id: number
  publicId: string
  title: string
  createdAt: Date
  updatedAt: Date
}

/** A docs message as stored. */
export interface ConversationMessageRow {
  publicId: string
  role: string
  content: string
  createdAt: Date
}

const conversationColumns = { id: rooms.id, publicId: rooms.publicId, title: sql<string>`coalesce(${rooms.name}, '')`, createdAt: rooms.createdAt, updatedAt: rooms.updatedAt }
const messageColumns = { publicId: messages.publicId, role: messages.role, content: messages.content, createdAt: messages.createdAt }

/** Docs conversations (rooms of kind 'docs' owned by `created_by`) and their messages; every read is scoped to the owner. */
export function createConversationRepo({ db }: { db: Db }) {
  return {
    async create(ownerId: number, title: string): Promise<ConversationRow> {
      const [row] = await db.insert(rooms).values({ kind: DOCS_KIND, name: title, createdBy: ownerId }).returning(conversationColumns)
      return row!
    },
    /** The owner's conversation with this uuid, or undefined (someone else's looks the same as none). */
    async find(ownerId: number, publicId: string): Promise<ConversationRow | undefined> {
      const [row] = await db
        .select(conversationColumns)
        .from(rooms)
        .where(and(eq(rooms.publicId, publicId), eq(rooms.kind, DOCS_KIND), eq(rooms.createdBy, ownerId)))
        .limit(1)
      return row
    },
    /** The owner's conversations, most recently updated first. */
    async list(ownerId: number): Promise<ConversationRow[]> {
      return db
        .select(conversationColumns)
        .from(rooms)
        .where(and(eq(rooms.kind, DOCS_KIND), eq(rooms.createdBy, ownerId)))
        .orderBy(desc(rooms.updatedAt), desc(rooms.id))
    },
    /** Deletes the conversation; its messages go with it (foreign key cascade). */
    async delete(id: number): Promise<void> {
      await db.delete(rooms).where(eq(rooms.id, id))
    },
    /** Appends a message and bumps the conversation's `updated_at`, atomically. */
    async addMessage(conversationId: number, senderId: number, role: 'user' | 'assistant', content: string): Promise<ConversationMessageRow> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(messages).values({ roomId: conversationId, senderId, role, content }).returning(messageColumns)
        await tx.update(rooms).set({ updatedAt: row!.createdAt }).where(eq(rooms.id, conversationId))
        return row!
      })
    },
    /** The conversation's messages, oldest first. */
    async messages(conversationId: number): Promise<ConversationMessageRow[]> {
      return db.select(messageColumns).from(messages).where(eq(messages.roomId, conversationId)).orderBy(asc(messages.createdAt), asc(messages.id))
    },
    /** Conversation and message counts, and messages per KST day since `fromKstDate` (YYYY-MM-DD). */
    async activity(ownerId: number, fromKstDate: string): Promise<{ conversations: number; messages: number; days: Map<string, number> }> {
      const [totals] = await queryRows<{ conversations: number; messages: number }>(
        db,
        sql`select (select count(*) from rooms where kind = ${DOCS_KIND} and created_by = ${ownerId})::int as conversations,
                   (select count(*) from messages m join rooms r on r.id = m.room_id
                     where r.kind = ${DOCS_KIND} and r.created_by = ${ownerId})::int as messages`,
      )
      const rows = await queryRows<{ day: string; n: number }>(
        db,
        sql`select to_char(m.created_at at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day, count(*)::int as n
              from messages m join rooms r on r.id = m.room_id
             where r.kind = ${DOCS_KIND} and r.created_by = ${ownerId}
               and m.created_at >= (${fromKstDate}::date::timestamp at time zone 'Asia/Seoul')
             group by 1`,
      )
      return {
        conversations: Number(totals?.conversations ?? 0),
        messages: Number(totals?.messages ?? 0),
        days: new Map(rows.map((r) => [String(r.day), Number(r.n)])),
      }
    },
  }
}

export type ConversationRepo = ReturnType<typeof createConversationRepo>

import { and, asc, desc, eq, lt, or, type AnyColumn, type SQL } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { messages, pets, rooms } from '../../platform/db/schema'
import type { NewMessage } from '../messaging/message-repo'
import type { PageCursor } from './page-cursor'

/** The room kind of a petcare chat; no other surface reads or writes these rooms. */
export const PETCARE_CHAT_KIND = 'petcare'

/** A petcare chat row (a room of kind `petcare`; `name` is the title, `created_by` the owner). */
export type Chat = typeof rooms.$inferSelect
/** A stored chat message; `payload` is the content JSON the client sees. */
export type ChatMessageRow = typeof messages.$inferSelect

/** A chat with the name of its pet, as lists and details show it. */
export interface ChatWithPet {
  chat: Chat
  petName: string | null
  petPublicId: string | null
}

const isPetcare = eq(rooms.kind, PETCARE_CHAT_KIND)

/** Newest-first paging condition over (created_at, public_id). */
export function afterCursor(createdAt: AnyColumn, publicId: AnyColumn, cursor: PageCursor): SQL {
  if (!cursor.id) return lt(createdAt, cursor.at)
  return or(lt(createdAt, cursor.at), and(eq(createdAt, cursor.at), lt(publicId, cursor.id)))!
}

/** Petcare chats (rooms of kind `petcare`, owned by `created_by`) and their messages. */
export function createChatRepo({ db }: { db: Db }) {
  const withPet = () =>
    db
      .select({ chat: rooms, petName: pets.name, petPublicId: pets.publicId })
      .from(rooms)
      .leftJoin(pets, eq(pets.id, rooms.petId))

  return {
    /** The chat with that public uuid, whoever owns it; services check ownership. */
    async findByPublicId(publicId: string): Promise<ChatWithPet | undefined> {
      const [row] = await withPet()
        .where(and(isPetcare, eq(rooms.publicId, publicId)))
        .limit(1)
      return row
    },
    /** Up to `limit` of the owner's chats (of one pet, when given) after the cursor, newest first. */
    async page(ownerId: number, petId: number | undefined, cursor: PageCursor | undefined, limit: number): Promise<ChatWithPet[]> {
      const conditions = [isPetcare, eq(rooms.createdBy, ownerId)]
      if (petId !== undefined) conditions.push(eq(rooms.petId, petId))
      if (cursor) conditions.push(afterCursor(rooms.createdAt, rooms.publicId, cursor))
      return withPet()
        .where(and(...conditions))
        .orderBy(desc(rooms.createdAt), desc(rooms.publicId))
        .limit(limit)
    },
    /** Creates a chat for an owner and a pet; `createdAt` is for imports and tests, else now(). */
    async create(input: { ownerId: number; petId: number; title: string; forkedFromId?: number; createdAt?: Date }): Promise<Chat> {
      const [chat] = await db
        .insert(rooms)
        .values({
          kind: PETCARE_CHAT_KIND,
          name: input.title,
          createdBy: input.ownerId,
          maxParticipants: 1,
          petId: input.petId,
          forkedFromId: input.forkedFromId,
          ...(input.createdAt ? { createdAt: input.createdAt, updatedAt: input.createdAt } : {}),
        })
        .returning()
      return chat!
    },
    async markShared(id: number): Promise<Chat | undefined> {
      const [chat] = await db.update(rooms).set({ isShared: true, updatedAt: new Date() }).where(and(isPetcare, eq(rooms.id, id))).returning()
      return chat
    },
    /** Deletes the chat; its messages go with it (foreign key cascade). */
    async remove(id: number): Promise<void> {
      await db.delete(rooms).where(and(isPetcare, eq(rooms.id, id)))
    },
    /** Every message of a chat in the order it was stored. */
    async messages(chatId: number): Promise<ChatMessageRow[]> {
      return db.select().from(messages).where(eq(messages.roomId, chatId)).orderBy(asc(messages.id))
    },
    /** Stores messages in the given order (one statement) and returns them in that order. */
    async addMessages(rows: NewMessage[]): Promise<ChatMessageRow[]> {
      if (rows.length === 0) return []
      const withIds = rows.map((r) => ({ ...r, publicId: r.publicId ?? crypto.randomUUID() }))
      const inserted = await db.insert(messages).values(withIds).returning()
      const byPublicId = new Map(inserted.map((m) => [m.publicId, m]))
      return withIds.map((r) => byPublicId.get(r.publicId)!)
    },
  }
}

/** The chat repository as built by createChatRepo. */
export type ChatRepo = ReturnType<typeof createChatRepo>

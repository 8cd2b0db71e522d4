import { and, asc, desc, eq, isNotNull, isNull, ne, or, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../platform/db/client'
import { coupleSessions, messages, resendConflict, roomMembers, rooms } from '../../platform/db/schema'
import type { Message } from '../messaging/message-repo'
import type { Room } from '../messaging/room-repo'

/** A stored session row: at most one per room is `active`. */
export type CoupleSession = typeof coupleSessions.$inferSelect

/** Who speaks in a couples session, as stored in `messages.speaker`. */
export type Speaker = 'A' | 'B' | 'AI'

/** The kind of every couple room in `rooms.kind`. */
export const COUPLE_KIND = 'couple'

/** A couple room has its creator and one partner. */
export const COUPLE_SEATS = 2

/** A partner's message to append to the room's current session. */
export interface AppendInput {
  roomId: number
  senderId: number
  speaker: Speaker
  content: string
  clientMsgId: string | null
  /** Whether the message counts towards the AI's every-N-turns question. */
  countsAsTurn: boolean
}

/** What appending did: the stored message (or the first one, on a resent client_msg_id) and its session. */
export interface AppendResult {
  message: Message
  duplicate: boolean
  session: CoupleSession
  /** True when no session was active and this message started one. */
  startedSession: boolean
}

/** Locks a room's row for the transaction: every write that depends on who sits where, or on the active session, takes it first. */
export const lockCoupleRoom = (tx: Tx, roomId: number) => tx.select({ id: rooms.id }).from(rooms).where(eq(rooms.id, roomId)).for('update')

/**
 * Couple rooms' seats, sessions and session messages. Every write that depends on the room's
 * current state (who sits where, which session is active, the turn count) first locks the
 * room's row, so two partners acting at once are applied one after the other: one active
 * session per room, two seats at most, a turn count that never skips.
 */
export function createCoupleRepo({ db }: { db: Db }) {
  const lockRoom = lockCoupleRoom

  const activeIn = async (tx: Db | Tx, roomId: number): Promise<CoupleSession | undefined> => {
    const [s] = await tx
      .select()
      .from(coupleSessions)
      .where(and(eq(coupleSessions.roomId, roomId), eq(coupleSessions.status, 'active')))
      .orderBy(desc(coupleSessions.id))
      .limit(1)
    return s
  }

  /** The room's active session, made to name both partners; a new one when none is active. Call with the room locked. */
  async function ensureSession(tx: Tx, roomId: number): Promise<{ session: CoupleSession; started: boolean }> {
    const [room] = await tx.select({ createdBy: rooms.createdBy }).from(rooms).where(eq(rooms.id, roomId)).limit(1)
    const creator = room?.createdBy ?? null
    const [partner] = await tx
      .select({ userId: roomMembers.userId })
      .from(roomMembers)
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.isActive, true), creator === null ? sql`true` : ne(roomMembers.userId, creator)))
      .orderBy(asc(roomMembers.id))
      .limit(1)
    const partnerId = partner?.userId ?? null
    const active = await activeIn(tx, roomId)
    if (!active) {
      const [created] = await tx.insert(coupleSessions).values({ roomId, userAId: creator, userBId: partnerId }).returning()
      return { session: created!, started: true }
    }
    if (active.userBId === null && partnerId !== null) {
      const [updated] = await tx.update(coupleSessions).set({ userBId: partnerId }).where(eq(coupleSessions.id, active.id)).returning()
      return { session: updated!, started: false }
    }
    return { session: active, started: false }
  }

  return {
    /** Couple rooms the user sits in, or (with a couple id from the token) rooms of that couple; newest first. */
    async listRooms(userId: number, coupleId: number | null): Promise<Room[]> {
      const seated = sql`exists (select 1 from ${roomMembers} m where m.room_id = ${rooms.id} and m.user_id = ${userId} and m.is_active)`
      // A couple's claim lists only the rooms made under that claim, never one a stranger made under its id.
      const where = coupleId === null ? seated : or(seated, and(eq(rooms.coupleId, coupleId), eq(rooms.coupleVerified, true)))
      return db
        .select()
        .from(rooms)
        .where(and(eq(rooms.kind, COUPLE_KIND), eq(rooms.isActive, true), where))
        .orderBy(desc(rooms.createdAt), desc(rooms.id))
    },

    /** The room's active session, started (or completed with the partner) as needed. */
    async openSession(roomId: number): Promise<{ session: CoupleSession; started: boolean }> {
      return db.transaction(async (tx) => {
        await lockRoom(tx, roomId)
        return ensureSession(tx, roomId)
      })
    },

    /** The room's active session, if any; read only. */
    activeSession: (roomId: number) => activeIn(db, roomId),

    /**
     * Stores a partner's message in the room's active session (starting one when the last
     * closed) and, when it counts as a turn, advances the session's turn count, in one
     * transaction. A resent `client_msg_id` stores nothing and returns the first message.
     */
    async append(input: AppendInput): Promise<AppendResult> {
      return db.transaction(async (tx) => {
        await lockRoom(tx, input.roomId)
        const { session, started } = await ensureSession(tx, input.roomId)
        const [inserted] = await tx
          .insert(messages)
          .values({
            roomId: input.roomId,
            senderId: input.senderId,
            role: 'user',
            content: input.content,
            clientMsgId: input.clientMsgId,
            sessionId: session.id,
            speaker: input.speaker,
          })
          .onConflictDoNothing(resendConflict)
          .returning()
        if (!inserted) {
          const [first] = await tx
            .select()
            .from(messages)
            .where(and(eq(messages.roomId, input.roomId), eq(messages.senderId, input.senderId), eq(messages.clientMsgId, input.clientMsgId ?? '')))
            .limit(1)
          if (!first) throw new Error('message neither inserted nor found')
          return { message: first, duplicate: true, session, startedSession: started }
        }
        if (!input.countsAsTurn) return { message: inserted, duplicate: false, session, startedSession: started }
        const [counted] = await tx
          .update(coupleSessions)
          .set({ turnCount: sql`${coupleSessions.turnCount} + 1` })
          .where(eq(coupleSessions.id, session.id))
          .returning()
        return { message: inserted, duplicate: false, session: counted!, startedSession: started }
      })
    },

    /** Stores the AI participant's message in a session. */
    async appendAi(roomId: number, sessionId: number, content: string): Promise<Message> {
      const [m] = await db.insert(messages).values({ roomId, senderId: null, role: 'assistant', content, sessionId, speaker: 'AI' }).returning()
      return m!
    },

    /** Makes `question` the session's pending question unless one is pending or the session closed; true when it did. */
    async ask(sessionId: number, question: string): Promise<boolean> {
      const rows = await db
        .update(coupleSessions)
        .set({ pendingQuestion: question })
        .where(and(eq(coupleSessions.id, sessionId), eq(coupleSessions.status, 'active'), isNull(coupleSessions.pendingQuestion)))
        .returning({ id: coupleSessions.id })
      return rows.length > 0
    },

    /** Takes the pending question of an active session: exactly one of two concurrent answers gets the session. */
    async claimPending(sessionId: number): Promise<CoupleSession | undefined> {
      const [s] = await db
        .update(coupleSessions)
        .set({ pendingQuestion: null })
        .where(and(eq(coupleSessions.id, sessionId), eq(coupleSessions.status, 'active'), isNotNull(coupleSessions.pendingQuestion)))
        .returning()
      return s
    },

    async setTopic(sessionId: number, topic: string): Promise<void> {
      await db.update(coupleSessions).set({ topic }).where(eq(coupleSessions.id, sessionId))
    },

    /**
     * Closes an active session with its summary and stores the summary as the session's last
     * message (speaker AI), in one transaction; undefined when the session was not active.
     */
    async close(sessionId: number, summary: string): Promise<{ session: CoupleSession; message: Message } | undefined> {
      return db.transaction(async (tx) => {
        const [closed] = await tx
          .update(coupleSessions)
          .set({ status: 'closed', summary, pendingQuestion: null, endedAt: new Date() })
          .where(and(eq(coupleSessions.id, sessionId), eq(coupleSessions.status, 'active')))
          .returning()
        if (!closed) return undefined
        const [message] = await tx
          .insert(messages)
          .values({ roomId: closed.roomId, senderId: null, role: 'assistant', content: summary, sessionId, speaker: 'AI' })
          .returning()
        return { session: closed, message: message! }
      })
    },

    /** The session's last `limit` messages, oldest first. */
    async recentMessages(sessionId: number, limit: number): Promise<Message[]> {
      const rows = await db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(desc(messages.id)).limit(limit)
      return rows.reverse()
    },

    /** Every session of the room, oldest first. */
    sessions: (roomId: number): Promise<CoupleSession[]> =>
      db.select().from(coupleSessions).where(eq(coupleSessions.roomId, roomId)).orderBy(asc(coupleSessions.id)),
  }
}

/** The couples repository as services receive it. */
export type CoupleRepo = ReturnType<typeof createCoupleRepo>

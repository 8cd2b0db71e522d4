import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/client'
import { messages, roomMembers, rooms, roomSettings, users } from '../../platform/db/schema'
import { seedTimeSql } from './messenger-views'

export type Room = typeof rooms.$inferSelect
export type RoomMember = typeof roomMembers.$inferSelect
export type RoomSettings = typeof roomSettings.$inferSelect

/** A room as the caller's room list shows it. */
export interface RoomSummary {
  room: Room
  participantCount: number
  lastMessage: string | null
  unreadCount: number
}

/** Seed 003's room-list item. */
export interface RoomListItem {
  room_id: number
  room_name: string
  room_type: string
  created_by: number
  is_active: boolean
  created_at: string
  updated_at: string
  participant_count: number
  last_message: string | null
  unread_count: number
}

const toDate = (v: unknown) => (v instanceof Date ? v : v == null ? null : new Date(String(v)))

/** Rooms, their members and settings. Membership is the unit of authorization. */
export function createRoomRepo({ db }: { db: Db }) {
  // The hot reads, built and prepared once per set of room kinds (the kinds are constants of
  // each surface): no SQL text rebuilt per call, one round trip, one plan on the server.
  const memberChecks = new Map<string, ReturnType<typeof buildMemberCheck>>()
  const buildMemberCheck = (kinds: string[]) =>
    db
      .select({ id: roomMembers.id })
      .from(roomMembers)
      .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
      .where(
        and(
          eq(roomMembers.roomId, sql.placeholder('roomId')),
          eq(roomMembers.userId, sql.placeholder('userId')),
          eq(roomMembers.isActive, true),
          inArray(rooms.kind, kinds),
        ),
      )
      .limit(1)
      .prepare(`room_member_${kinds.join('_')}`)
  const listQueries = new Map<string, ReturnType<typeof buildListQuery>>()
  // Answers seed 003's room-list items as they come from the database.
  const buildListQuery = (kinds: string[]) => {
    const lastMessage = sql`lateral (select content, created_at from ${messages}
                              where ${messages.roomId} = ${rooms.id} and not ${messages.isDeleted}
                              order by ${messages.id} desc limit 1) lm`
    return db
      .select({
        room_id: rooms.id,
        room_name: sql<string>`coalesce(${rooms.name}, '')`,
        room_type: rooms.kind,
        created_by: sql<number>`coalesce(${rooms.createdBy}, 0)`.mapWith(Number),
        is_active: rooms.isActive,
        created_at: seedTimeSql(rooms.createdAt),
        updated_at: seedTimeSql(rooms.updatedAt),
        participant_count: sql<number>`(select count(*) from room_members p where p.room_id = ${rooms.id} and p.is_active)::int`,
        last_message: sql<string | null>`lm.content`,
        // A row comparison, not `x.id > …`: with a bare id range the planner may walk the
        // primary key over every room's messages (PGlite did, 37 ms a room at 7,500 messages).
        unread_count: sql<number>`(select count(*) from messages x
                                     where x.room_id = ${rooms.id} and (x.room_id, x.id) > (${rooms.id}, coalesce(${roomMembers.lastReadMessageId}, 0))
                                       and x.sender_id is distinct from ${roomMembers.userId} and not x.is_deleted)::int`,
      })
      .from(roomMembers)
      .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
      .leftJoin(lastMessage, sql`true`)
      .where(and(eq(roomMembers.userId, sql.placeholder('userId')), eq(roomMembers.isActive, true), inArray(rooms.kind, kinds)))
      .orderBy(sql`coalesce(lm.created_at, ${rooms.createdAt}) desc`, desc(rooms.id))
      .prepare(`room_list_${kinds.join('_')}`)
  }
  const cached = <T>(map: Map<string, T>, kinds: string[], build: (kinds: string[]) => T) => {
    const key = kinds.join(',')
    let query = map.get(key)
    if (!query) map.set(key, (query = build(kinds)))
    return query
  }

  return {
    /** Whether the user is an active member of a room of one of `kinds` (the hot paths' check). */
    async isMember(roomId: number, userId: number, kinds: string[]): Promise<boolean> {
      const rows = await cached(memberChecks, kinds, buildMemberCheck).execute({ roomId, userId })
      return rows.length > 0
    },
    /** The user's active rooms of `kinds` in seed 003's list-item shape, newest activity first. */
    async listItems(userId: number, kinds: string[]): Promise<RoomListItem[]> {
      // Drizzle types every computed column of a joined select as nullable; the times are not.
      return (await cached(listQueries, kinds, buildListQuery).execute({ userId })) as RoomListItem[]
    },
    async findById(id: number): Promise<Room | undefined> {
      const [r] = await db.select().from(rooms).where(eq(rooms.id, id)).limit(1)
      return r
    },
    async findByDirectKey(key: string): Promise<Room | undefined> {
      const [r] = await db.select().from(rooms).where(eq(rooms.directKey, key)).limit(1)
      return r
    },
    /** The caller's active membership of a room of one of `kinds`, with the room; undefined otherwise. */
    async membership(roomId: number, userId: number, kinds: string[]): Promise<{ room: Room; member: RoomMember } | undefined> {
      const [row] = await db
        .select({ room: rooms, member: roomMembers })
        .from(roomMembers)
        .innerJoin(rooms, eq(rooms.id, roomMembers.roomId))
        .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId), eq(roomMembers.isActive, true), inArray(rooms.kind, kinds)))
        .limit(1)
      return row
    },
    /**
     * Creates a room with its members and settings in one transaction. A direct room's
     * unique `direct_key` makes a concurrent second creation fail; the caller then reads
     * the winner's room.
     */
    async create(input: {
      kind: string
      name: string | null
      description: string | null
      createdBy: number
      maxParticipants: number
      memberIds: number[]
      directKey?: string
      coupleId?: number
      coupleVerified?: boolean
    }): Promise<Room | undefined> {
      return db.transaction(async (tx) => {
        const [room] = await tx
          .insert(rooms)
          .values({
            kind: input.kind,
            name: input.name,
            description: input.description,
            createdBy: input.createdBy,
            maxParticipants: input.maxParticipants,
            directKey: input.directKey,
            coupleId: input.coupleId,
            coupleVerified: input.coupleVerified ?? false,
          })
          .onConflictDoNothing()
          .returning()
        if (!room) return undefined
        await tx.insert(roomMembers).values(
          input.memberIds.map((userId) => ({ roomId: room.id, userId, role: userId === input.createdBy ? 'owner' : 'member' })),
        )
        await tx.insert(roomSettings).values({ roomId: room.id })
        return room
      })
    },
    async addMember(roomId: number, userId: number): Promise<void> {
      await db.insert(roomMembers).values({ roomId, userId }).onConflictDoNothing()
    },
    /** The user's active rooms of `kinds` (or just `onlyRoomId`), newest activity first, with counts for the list. */
    async listForUser(userId: number, kinds: string[], onlyRoomId?: number): Promise<RoomSummary[]> {
      const kindList = sql.join(kinds.map((k) => sql`${k}`), sql`, `)
      const rows = await queryRows<Record<string, unknown>>(
        db,
        sql`select r.id, r.public_id, r.kind, r.name, r.description, r.created_by, r.max_participants, r.is_active,
                   r.direct_key, r.couple_id, r.couple_verified, r.created_at, r.updated_at,
                   (select count(*) from room_members p where p.room_id = r.id and p.is_active)::int as participant_count,
                   lm.content as last_message, lm.created_at as last_at,
                   (select count(*) from messages x
                      where x.room_id = r.id and (x.room_id, x.id) > (r.id, coalesce(m.last_read_message_id, 0))
                        and x.sender_id is distinct from m.user_id and not x.is_deleted)::int as unread_count
              from room_members m
              join rooms r on r.id = m.room_id
              left join lateral (
                select content, created_at from messages
                 where room_id = r.id and not is_deleted order by id desc limit 1) lm on true
             where m.user_id = ${userId} and m.is_active and r.kind in (${kindList})
               ${onlyRoomId === undefined ? sql`` : sql`and r.id = ${onlyRoomId}`}
             order by coalesce(lm.created_at, r.created_at) desc, r.id desc`,
      )
      return rows.map((r) => ({
        room: {
          id: Number(r.id),
          publicId: String(r.public_id),
          kind: String(r.kind),
          name: (r.name as string | null) ?? null,
          description: (r.description as string | null) ?? null,
          createdBy: r.created_by == null ? null : Number(r.created_by),
          maxParticipants: Number(r.max_participants),
          isActive: Boolean(r.is_active),
          directKey: (r.direct_key as string | null) ?? null,
          coupleId: r.couple_id == null ? null : Number(r.couple_id),
          coupleVerified: Boolean(r.couple_verified),
          createdAt: toDate(r.created_at)!,
          updatedAt: toDate(r.updated_at)!,
        } as Room,
        participantCount: Number(r.participant_count),
        lastMessage: (r.last_message as string | null) ?? null,
        unreadCount: Number(r.unread_count),
      }))
    },
    /** Active members with their names, in join order. */
    async members(roomId: number) {
      return db
        .select({ member: roomMembers, userName: users.name, subject: users.subject, lastSeenAt: users.lastSeenAt })
        .from(roomMembers)
        .innerJoin(users, eq(users.id, roomMembers.userId))
        .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.isActive, true)))
        .orderBy(roomMembers.id)
    },
    async countMembers(roomId: number): Promise<number> {
      const [r] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(roomMembers)
        .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.isActive, true)))
      return Number(r?.n ?? 0)
    },
    /** Moves the member's read position to the room's newest message; returns the new time. */
    async markRead(roomId: number, userId: number, at: Date): Promise<void> {
      await db
        .update(roomMembers)
        .set({
          lastReadAt: at,
          lastReadMessageId: sql`coalesce((select max(id) from messages where room_id = ${roomId}), ${roomMembers.lastReadMessageId})`,
        })
        .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    },
    async settings(roomId: number): Promise<RoomSettings> {
      const [s] = await db.select().from(roomSettings).where(eq(roomSettings.roomId, roomId)).limit(1)
      if (s) return s
      const [created] = await db.insert(roomSettings).values({ roomId }).onConflictDoNothing().returning()
      return created ?? (await db.select().from(roomSettings).where(eq(roomSettings.roomId, roomId)).limit(1))[0]!
    },
    async updateSettings(
      roomId: number,
      userId: number,
      patch: { notificationEnabled?: boolean; messageRetentionDays?: number; autoDeleteEnabled?: boolean; readReceiptEnabled?: boolean },
    ): Promise<void> {
      await db.transaction(async (tx) => {
        const { notificationEnabled, ...roomWide } = patch
        if (notificationEnabled !== undefined)
          await tx
            .update(roomMembers)
            .set({ notificationEnabled })
            .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
        const fields = Object.fromEntries(Object.entries(roomWide).filter(([, v]) => v !== undefined))
        if (Object.keys(fields).length)
          await tx.update(roomSettings).set({ ...fields, updatedAt: new Date() }).where(eq(roomSettings.roomId, roomId))
      })
    },
  }
}

export type RoomRepo = ReturnType<typeof createRoomRepo>

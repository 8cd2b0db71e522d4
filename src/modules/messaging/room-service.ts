import { forbidden, notFound, validation } from '../../platform/errors'
import type { User, UserRepo } from '../auth/user-repo'
import type { Presence } from '../realtime/presence'
import { topics } from '../realtime/protocol'
import type { Room, RoomRepo } from './room-repo'
import { MESSENGER_KINDS } from './message-service'
import { seedTime } from './messenger-views'

export interface CreateRoomInput {
  roomName?: string | null
  roomType: 'direct' | 'group'
  roomDescription?: string | null
  participantIds: number[]
  maxParticipants?: number
}

/** The seed's room-detail shape. */
export const roomDetail = (r: Room) => ({
  room_id: r.id,
  room_name: r.name ?? '',
  room_type: r.kind,
  room_description: r.description,
  max_participants: r.maxParticipants,
  created_by: r.createdBy ?? 0,
  is_active: r.isActive,
  created_at: seedTime(r.createdAt)!,
  updated_at: seedTime(r.updatedAt)!,
})

/** The seed's room-list item shape. */
export const roomListItem = (r: Room, participantCount: number, lastMessage: string | null, unreadCount: number) => ({
  room_id: r.id,
  room_name: r.name ?? '',
  room_type: r.kind,
  created_by: r.createdBy ?? 0,
  is_active: r.isActive,
  created_at: seedTime(r.createdAt)!,
  updated_at: seedTime(r.updatedAt)!,
  participant_count: participantCount,
  last_message: lastMessage,
  unread_count: unreadCount,
})

/**
 * Messenger rooms. A direct room is unique per pair of people (its `direct_key`), so asking
 * for it again returns the one that exists. Reads of a room the caller is not in are 404.
 */
export function createRoomService(deps: { rooms: RoomRepo; users: UserRepo; presence: Presence }) {
  const { rooms, users } = deps

  async function requireMember(roomId: number, userId: number) {
    const found = await rooms.membership(roomId, userId, MESSENGER_KINDS)
    if (!found) throw notFound('Room not found')
    return found
  }

  return {
    async list(user: User) {
      const items = await rooms.listItems(user.id, MESSENGER_KINDS)
      return { rooms: items, total_count: items.length }
    },

    /** One room of the caller's in the list-item shape (what room creation answers). */
    async summary(user: User, roomId: number) {
      const [s] = await rooms.listForUser(user.id, MESSENGER_KINDS, roomId)
      if (!s) throw notFound('Room not found')
      return roomListItem(s.room, s.participantCount, s.lastMessage, s.unreadCount)
    },

    /** Creates a room (or finds the pair's direct room); answers `{ room, created }`. */
    async create(user: User, input: CreateRoomInput) {
      const others = [...new Set(input.participantIds.filter((id) => id !== user.id))]
      const found = await users.findByIds(others)
      if (found.length !== others.length) {
        const known = new Set(found.map((u) => u.id))
        throw notFound(`Users not found: ${others.filter((id) => !known.has(id)).join(', ')}`)
      }
      const max = input.maxParticipants ?? 100
      if (input.roomType === 'direct') {
        if (others.length !== 1) throw validation('a direct room needs exactly one other participant')
        const key = `${Math.min(user.id, others[0]!)}:${Math.max(user.id, others[0]!)}`
        const existing = await rooms.findByDirectKey(key)
        if (existing) return { room: existing, created: false }
        const room = await rooms.create({
          kind: 'direct',
          name: input.roomName?.trim() || found[0]!.name,
          description: input.roomDescription ?? null,
          createdBy: user.id,
          maxParticipants: 2,
          memberIds: [user.id, others[0]!],
          directKey: key,
        })
        // Lost a race with the other person creating the same room: theirs is the room.
        return room ? { room, created: true } : { room: (await rooms.findByDirectKey(key))!, created: false }
      }
      if (others.length < 1) throw validation('a group room needs at least one other participant')
      if (others.length + 1 > max) throw validation(`a group of ${others.length + 1} exceeds max_participants ${max}`)
      const name = input.roomName?.trim() || [user.name, ...found.map((u) => u.name)].join(', ').slice(0, 100)
      const room = await rooms.create({
        kind: 'group',
        name,
        description: input.roomDescription ?? null,
        createdBy: user.id,
        maxParticipants: max,
        memberIds: [user.id, ...others],
      })
      return { room: room!, created: true }
    },

    async get(user: User, roomId: number) {
      return roomDetail((await requireMember(roomId, user.id)).room)
    },

    async participants(user: User, roomId: number) {
      await requireMember(roomId, user.id)
      const members = await rooms.members(roomId)
      return {
        participants: members.map(({ member, userName }) => ({
          id: member.id,
          room_id: member.roomId,
          user_id: member.userId,
          user_name: userName,
          joined_at: seedTime(member.joinedAt)!,
          last_read_at: seedTime(member.lastReadAt),
          is_active: member.isActive,
        })),
        total_count: members.length,
      }
    },

    async settings(user: User, roomId: number) {
      const { member } = await requireMember(roomId, user.id)
      const s = await rooms.settings(roomId)
      return {
        room_id: roomId,
        notification_enabled: member.notificationEnabled,
        message_retention_days: s.messageRetentionDays,
        auto_delete_enabled: s.autoDeleteEnabled,
        read_receipt_enabled: s.readReceiptEnabled,
      }
    },

    /** Any member sets their own notifications; only the room's creator changes room-wide settings. */
    async updateSettings(
      user: User,
      roomId: number,
      patch: { notification_enabled?: boolean; message_retention_days?: number; auto_delete_enabled?: boolean; read_receipt_enabled?: boolean },
    ) {
      const { room } = await requireMember(roomId, user.id)
      const roomWide = patch.message_retention_days !== undefined || patch.auto_delete_enabled !== undefined || patch.read_receipt_enabled !== undefined
      if (roomWide && room.createdBy !== user.id) throw forbidden('Only the room creator can change room-wide settings')
      await rooms.updateSettings(roomId, user.id, {
        notificationEnabled: patch.notification_enabled,
        messageRetentionDays: patch.message_retention_days,
        autoDeleteEnabled: patch.auto_delete_enabled,
        readReceiptEnabled: patch.read_receipt_enabled,
      })
      return this.settings(user, roomId)
    },

    /** Each member with whether a socket of theirs is open in the room, and when they were last seen. */
    async onlineStatus(user: User, roomId: number) {
      await requireMember(roomId, user.id)
      const members = await rooms.members(roomId)
      const online = new Set(await deps.presence.online(topics.messengerRoom(roomId)))
      const seen = await deps.presence.lastSeen(members.map((m) => String(m.member.userId)))
      return members.map(({ member, userName, lastSeenAt }) => {
        const id = String(member.userId)
        return {
          user_id: member.userId,
          user_name: userName,
          is_online: online.has(id),
          last_seen: seedTime(seen.get(id) ?? lastSeenAt ?? null),
        }
      })
    },
  }
}

export type RoomService = ReturnType<typeof createRoomService>

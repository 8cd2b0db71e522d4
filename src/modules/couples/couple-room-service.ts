import { forbidden, notFound } from '../../platform/errors'
import type { Principal } from '../auth/auth-service'
import type { User } from '../auth/user-repo'
import type { MessageRepo } from '../messaging/message-repo'
import type { Room, RoomRepo } from '../messaging/room-repo'
import { COUPLE_KIND, COUPLE_SEATS, type CoupleRepo, type Speaker } from './couple-repo'
import { clientId, messageItem, roomItem, sessionItem, type SubjectOf } from './couple-views'

/** What the room service needs: the shared room and message repos, the couples repo, and the token claim naming a couple. */
export interface CoupleRoomServiceDeps {
  rooms: RoomRepo
  messages: MessageRepo
  couples: CoupleRepo
  /** The token claim that carries the Spring couple id (`JWT_COUPLE_CLAIM`, default `coupleId`). */
  coupleClaim: string
}

/** A partner seated in a room: who, where, and as which speaker. */
export interface Seat {
  user: User
  room: Room
  speaker: Exclude<Speaker, 'AI'>
}

/**
 * The couple id a token vouches for: absent when the token has no such claim (then the
 * room's free seat goes to the first partner who joins), null when the claim is there but
 * names no integer (then it matches no room).
 */
function claimedCouple(claims: Record<string, unknown>, claim: string): number | null | undefined {
  const value = claims[claim]
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null
}

/**
 * Couple rooms and who may use them. A room has two seats: its creator (speaker A) and one
 * partner (B). When the caller's token carries the couple claim, only that couple's rooms
 * may be created or joined; without it, the free seat goes to the first partner who joins.
 * Reads are for the two seated partners: 403 for anyone else, 404 for a room that does not
 * exist (seed 001 lists both).
 */
export function createCoupleRoomService(deps: CoupleRoomServiceDeps) {
  const { rooms, couples } = deps

  async function coupleRoom(roomId: number): Promise<Room> {
    const room = await rooms.findById(roomId)
    if (!room || room.kind !== COUPLE_KIND || !room.isActive) throw notFound('Room not found')
    return room
  }

  const seatOf = (user: User, room: Room): Seat => ({ user, room, speaker: room.createdBy === user.id ? 'A' : 'B' })

  /** The caller's seat in a room they already sit in; 404 when the room does not exist, 403 when they are not seated. */
  async function requireSeat(user: User, roomId: number): Promise<Seat> {
    const room = await coupleRoom(roomId)
    if (!(await rooms.membership(roomId, user.id, [COUPLE_KIND]))) throw forbidden('Not a partner in this room')
    return seatOf(user, room)
  }

  /** Subjects of the room's partners, by huddle user id. */
  async function subjectsOf(roomId: number): Promise<SubjectOf> {
    const members = await rooms.members(roomId)
    const byId = new Map(members.map((m) => [m.member.userId, clientId(m.subject)]))
    return (userId) => (userId == null ? null : (byId.get(userId) ?? null))
  }

  return {
    requireSeat,
    subjectsOf,

    /** Creates a room with the caller as speaker A; 403 when the token vouches for another couple. */
    async create(principal: Principal, input: { roomName: string; coupleId: number }) {
      const claimed = claimedCouple(principal.claims, deps.coupleClaim)
      if (claimed !== undefined && claimed !== input.coupleId) throw forbidden('couple_id does not match your couple')
      const room = await rooms.create({
        kind: COUPLE_KIND,
        name: input.roomName,
        description: null,
        createdBy: principal.user.id,
        maxParticipants: COUPLE_SEATS,
        memberIds: [principal.user.id],
        coupleId: input.coupleId,
      })
      if (!room) throw new Error('couple room was not created')
      return roomItem(room)
    },

    /** Rooms the caller sits in, plus the rooms of the couple their token vouches for; newest first. */
    async list(principal: Principal) {
      const claimed = claimedCouple(principal.claims, deps.coupleClaim)
      return (await couples.listRooms(principal.user.id, claimed ?? null)).map(roomItem)
    },

    /**
     * Seats the caller, taking the free seat when they may: 404 for a missing room, 403 for
     * another couple's token or a room whose two seats are taken. Idempotent for the seated.
     */
    async admit(principal: Principal, roomId: number): Promise<Seat> {
      const room = await coupleRoom(roomId)
      const user = principal.user
      if (await rooms.membership(roomId, user.id, [COUPLE_KIND])) return seatOf(user, room)
      const claimed = claimedCouple(principal.claims, deps.coupleClaim)
      if (claimed !== undefined && claimed !== room.coupleId) throw forbidden('This room belongs to another couple')
      if ((await couples.takeSeat(roomId, user.id)) === 'full') throw forbidden('This room already has two partners')
      return seatOf(user, room)
    },

    /** A page of the room's messages, page 1 the newest, oldest first within the page. */
    async history(user: User, roomId: number, page: number, size: number) {
      await requireSeat(user, roomId)
      const [{ items, total }, subjectOf] = await Promise.all([deps.messages.page(roomId, page, size), subjectsOf(roomId)])
      return { messages: items.map((v) => messageItem(v.message, subjectOf)), total_count: total, has_more: page * size < total }
    },

    /** Every session of the room, oldest first, with summaries of the closed ones. */
    async sessions(user: User, roomId: number) {
      await requireSeat(user, roomId)
      const [list, subjectOf] = await Promise.all([couples.sessions(roomId), subjectsOf(roomId)])
      return { sessions: list.map((s) => sessionItem(s, subjectOf)) }
    },
  }
}

/** The room service as the surface and the session service receive it. */
export type CoupleRoomService = ReturnType<typeof createCoupleRoomService>

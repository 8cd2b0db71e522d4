import { conflict, forbidden, notFound } from '../../platform/errors'
import type { Principal } from '../auth/auth-service'
import type { User } from '../auth/user-repo'
import type { MessageRepo } from '../messaging/message-repo'
import type { Room, RoomRepo } from '../messaging/room-repo'
import { COUPLE_KIND, COUPLE_SEATS, type CoupleRepo, type Speaker } from './couple-repo'
import { hashInviteCode, newInviteCode, type CoupleSeatRepo } from './couple-seat-repo'
import { clientId, messageItem, roomItem, sessionItem, type SubjectOf } from './couple-views'

/** What the room service needs: the shared room and message repos, the couples repos, and the seat rules' settings. */
export interface CoupleRoomServiceDeps {
  rooms: RoomRepo
  messages: MessageRepo
  couples: CoupleRepo
  seats: CoupleSeatRepo
  /** The token claim that carries the Spring couple id (`JWT_COUPLE_CLAIM`, default `coupleId`). */
  coupleClaim: string
  /** How long an invitation stays valid (`COUPLES_INVITE_TTL_SECONDS`). */
  inviteTtlSeconds: number
  clock?: () => Date
}

/** A partner seated in a room: who, where, and as which speaker. */
export interface Seat {
  user: User
  room: Room
  speaker: Exclude<Speaker, 'AI'>
}

/**
 * The couple id a token vouches for: absent when the token has no such claim (then only an
 * invitation seats its holder), null when the claim is there but names no integer (then it
 * matches no room).
 */
function claimedCouple(claims: Record<string, unknown>, claim: string): number | null | undefined {
  const value = claims[claim]
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null
}

/**
 * Couple rooms and who may use them. A room has two seats: its creator (speaker A) and one
 * partner (B). The free seat is taken only by a token whose couple claim equals the room's
 * `couple_id`, or by the holder of an invitation seat A created (single use, expiring);
 * anyone else is refused with 403, however they found the room id. A claim-bearing caller
 * creates rooms for their own couple only; a claimless one cannot create rooms under a
 * couple id whose rooms are all others'. Reads are for the two seated partners: 403 for
 * anyone else, 404 for a room that does not exist (seed 001 lists both).
 */
export function createCoupleRoomService(deps: CoupleRoomServiceDeps) {
  const { rooms, couples, seats } = deps
  const now = deps.clock ?? (() => new Date())

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

  /**
   * Seats the caller, taking the free seat when their couple claim matches the room or
   * `inviteCode` is a live invitation to it: 404 for a missing room, 403 otherwise (no
   * claim and no invitation, another couple's claim, a used, expired or foreign code, or a
   * room whose two seats are taken). Idempotent for the seated: no invitation is spent.
   */
  async function admit(principal: Principal, roomId: number, inviteCode?: string): Promise<Seat> {
    const room = await coupleRoom(roomId)
    const user = principal.user
    if (await rooms.membership(roomId, user.id, [COUPLE_KIND])) return seatOf(user, room)
    const claimed = claimedCouple(principal.claims, deps.coupleClaim)
    const byClaim = claimed !== undefined && claimed !== null && claimed === room.coupleId && room.coupleVerified
    if (!byClaim && !inviteCode)
      throw forbidden(claimed === undefined ? 'Joining this room needs an invitation' : 'This room belongs to another couple')
    const ticket = byClaim ? ({ byClaim: true } as const) : { byClaim: false as const, inviteHash: hashInviteCode(inviteCode!), now: now() }
    const outcome = await seats.takeSeat(roomId, user.id, ticket)
    if (outcome === 'full') throw forbidden('This room already has two partners')
    if (outcome === 'no-invitation') throw forbidden('The invitation is not valid for this room (unknown, used or expired)')
    return seatOf(user, room)
  }

  return {
    requireSeat,
    subjectsOf,

    /**
     * Creates a room with the caller as speaker A; 403 when the token vouches for another
     * couple, or (without a claim) when rooms of that couple exist and the caller sits in none.
     */
    async create(principal: Principal, input: { roomName: string; coupleId: number }) {
      const claimed = claimedCouple(principal.claims, deps.coupleClaim)
      if (claimed !== undefined && claimed !== input.coupleId) throw forbidden('couple_id does not match your couple')
      if (claimed === undefined && (await seats.coupleBelongsToOthers(input.coupleId, principal.user.id)))
        throw forbidden('couple_id belongs to another couple')
      const room = await rooms.create({
        kind: COUPLE_KIND,
        name: input.roomName,
        description: null,
        createdBy: principal.user.id,
        maxParticipants: COUPLE_SEATS,
        memberIds: [principal.user.id],
        coupleId: input.coupleId,
        coupleVerified: claimed !== undefined,
      })
      if (!room) throw new Error('couple room was not created')
      return roomItem(room)
    },

    /** Rooms the caller sits in, plus the rooms of the couple their token vouches for; newest first. */
    async list(principal: Principal) {
      const claimed = claimedCouple(principal.claims, deps.coupleClaim)
      return (await couples.listRooms(principal.user.id, claimed ?? null)).map(roomItem)
    },

    admit,

    /** `admit` for REST: the room in the RoomResponse shape once the caller holds a seat. */
    join: async (principal: Principal, roomId: number, inviteCode?: string) => roomItem((await admit(principal, roomId, inviteCode)).room),

    /**
     * A single-use invitation to the room's free seat, valid for `inviteTtlSeconds`; only
     * seat A may create one (403 for seat B, 403/404 for others as for reads), and only while
     * the seat is free (409). The code is returned once and stored only as a hash.
     */
    async invite(user: User, roomId: number): Promise<{ invite_code: string; expires_at: string }> {
      const seat = await requireSeat(user, roomId)
      if (seat.speaker !== 'A') throw forbidden('Only the room creator can invite a partner')
      const code = newInviteCode()
      const expiresAt = new Date(now().getTime() + deps.inviteTtlSeconds * 1000)
      if (!(await seats.invite({ roomId, createdBy: user.id, codeHash: hashInviteCode(code), expiresAt })))
        throw conflict('This room already has two partners')
      return { invite_code: code, expires_at: expiresAt.toISOString() }
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

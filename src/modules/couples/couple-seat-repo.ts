import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { queryRows, type Db, type Tx } from '../../platform/db/client'
import { coupleInvitations, roomMembers, rooms } from '../../platform/db/schema'
import { COUPLE_KIND, COUPLE_SEATS, lockCoupleRoom } from './couple-repo'

/** A fresh invitation code: 256 random bits, base64url (43 characters), never stored as is. */
export const newInviteCode = () => randomBytes(32).toString('base64url')

/** What the database keeps of an invitation code. */
export const hashInviteCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex')

/** How a caller asks for the free seat: by their couple claim, or with an invitation code's hash. */
export type SeatTicket = { byClaim: true } | { byClaim: false; inviteHash: string; now: Date }

/**
 * 'member' already seated; 'joined' took the free seat; 'full' both seats are others';
 * 'no-invitation' the code is unknown, for another room, used or expired.
 */
export type SeatOutcome = 'member' | 'joined' | 'full' | 'no-invitation'

/**
 * A couple room's two seats and the invitations to its free one. Seat changes run with
 * the room's row locked (`lockCoupleRoom`), so of two people taking the free seat at once
 * exactly one gets it, and an invitation is spent in the same transaction that seats its
 * holder: a refused join (room full) leaves it unused, a used one cannot seat twice.
 */
export function createCoupleSeatRepo({ db }: { db: Db }) {
  const activeSeats = (tx: Tx, roomId: number) =>
    tx
      .select({ userId: roomMembers.userId })
      .from(roomMembers)
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.isActive, true)))

  return {
    /** Seats `userId` in the room when the ticket allows it (see `SeatOutcome`). */
    async takeSeat(roomId: number, userId: number, ticket: SeatTicket): Promise<SeatOutcome> {
      return db.transaction(async (tx) => {
        await lockCoupleRoom(tx, roomId)
        const seated = await activeSeats(tx, roomId)
        if (seated.some((m) => m.userId === userId)) return 'member'
        if (seated.length >= COUPLE_SEATS) return 'full'
        if (!ticket.byClaim) {
          const spent = await tx
            .update(coupleInvitations)
            .set({ usedBy: userId, usedAt: ticket.now })
            .where(
              and(
                eq(coupleInvitations.codeHash, ticket.inviteHash),
                eq(coupleInvitations.roomId, roomId),
                isNull(coupleInvitations.usedAt),
                gt(coupleInvitations.expiresAt, ticket.now),
              ),
            )
            .returning({ id: coupleInvitations.id })
          if (spent.length === 0) return 'no-invitation'
        }
        await tx
          .insert(roomMembers)
          .values({ roomId, userId })
          .onConflictDoUpdate({ target: [roomMembers.roomId, roomMembers.userId], set: { isActive: true } })
        return 'joined'
      })
    },

    /** Stores an invitation to the room's free seat; false (nothing stored) when both seats are taken. */
    async invite(input: { roomId: number; createdBy: number; codeHash: string; expiresAt: Date }): Promise<boolean> {
      return db.transaction(async (tx) => {
        await lockCoupleRoom(tx, input.roomId)
        if ((await activeSeats(tx, input.roomId)).length >= COUPLE_SEATS) return false
        await tx.insert(coupleInvitations).values(input)
        return true
      })
    },

    /** Whether couple rooms under `coupleId` exist and `userId` sits in none of them. */
    async coupleBelongsToOthers(coupleId: number, userId: number): Promise<boolean> {
      const [row] = await queryRows<{ others: boolean }>(
        db,
        sql`select exists (select 1 from ${rooms} r where r.kind = ${COUPLE_KIND} and r.couple_id = ${coupleId})
          and not exists (select 1 from ${rooms} r join ${roomMembers} m on m.room_id = r.id
            where r.kind = ${COUPLE_KIND} and r.couple_id = ${coupleId} and m.user_id = ${userId} and m.is_active) as others`,
      )
      return row?.others === true
    },
  }
}

/** The seat repository as the room service receives it. */
export type CoupleSeatRepo = ReturnType<typeof createCoupleSeatRepo>

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../src/platform/db/client'
import { createTestApp, type TestApp, type TestResponse } from '../support/app'
import { openSocket, refusal } from '../support/ws-client'

// Who may take a couple room's free seat: a token whose couple claim equals the room's
// couple_id, or the holder of a live invitation that seat A created; nobody else.
let t: TestApp
let ws: string
let nextSubject = 1000

beforeAll(async () => {
  t = await createTestApp()
  ws = (await t.listen()).replace('http', 'ws')
})
afterAll(() => t.close())

/** A token for a new user, with a couple claim when `coupleId` is given. */
const person = (coupleId?: number | string) => t.token(String(nextSubject++), coupleId === undefined ? {} : { coupleId })

async function newRoom(token: string, coupleId: number): Promise<number> {
  const res = await t.request('POST', '/api/rooms', { token, json: { room_name: '커플 대화방', couple_id: coupleId } })
  expect(res.status).toBe(201)
  return (await res.json()).room_id
}

async function invite(token: string, roomId: number): Promise<string> {
  const res = await t.request('POST', `/api/rooms/${roomId}/invite`, { token })
  expect(res.status).toBe(201)
  return (await res.json()).invite_code
}

const join = (token: string, roomId: number, invite_code?: string) =>
  t.request('POST', `/api/rooms/${roomId}/join`, { token, json: invite_code === undefined ? {} : { invite_code } })
const sessionUrl = (roomId: number, token: string, invite?: string) =>
  `${ws}/api/sessions/ws/${roomId}?token=${token}${invite === undefined ? '' : `&invite=${encodeURIComponent(invite)}`}`
const listedIds = async (token: string) => ((await (await t.request('GET', '/api/rooms', { token })).json()) as { room_id: number }[]).map((r) => r.room_id)
const seatCount = async (roomId: number) =>
  Number((await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from room_members where room_id = ${roomId} and is_active`))[0]!.n)

/** Expects a 403 `{detail}` and returns the detail. */
async function forbidden(res: TestResponse | Promise<TestResponse>): Promise<string> {
  const r = await res
  expect(r.status).toBe(403)
  const body = await r.json()
  expect(Object.keys(body)).toEqual(['detail'])
  return body.detail
}

/** Expects the socket to be accepted, then closed with `code` and a reason, with nothing sent. */
async function refusedWith(url: string, code: number) {
  const r = await refusal(url)
  expect(r).toEqual({ opened: true, code, reason: expect.any(String), frames: [] })
  expect(r.reason.length).toBeGreaterThan(0)
}

describe('couple room seats', () => {
  test('claim match: the couple partner takes seat B over the socket and over REST', async () => {
    const a = await person(31)
    const roomId = await newRoom(a, 31)
    const b = await person(31)
    const socket = await openSocket(sessionUrl(roomId, b))
    expect(await socket.next((e) => e.type === 'session')).toMatchObject({ user_b_id: nextSubject - 1 })
    await socket.close()

    const second = await newRoom(a, 31)
    const b2 = await person('31')
    const joined = await join(b2, second)
    expect(joined.status).toBe(200)
    expect(await joined.json()).toEqual({ room_id: second, room_name: '커플 대화방', couple_id: 31, created_at: expect.any(String) })
    // Joining again is harmless.
    expect((await join(b2, second)).status).toBe(200)
    expect((await t.request('GET', `/api/rooms/${second}/messages`, { token: b2 })).status).toBe(200)
  })

  test('claim mismatch: another couple is refused everywhere and nothing of the room is shown', async () => {
    const a = await person(32)
    const roomId = await newRoom(a, 32)
    const other = await person(33)
    await refusedWith(sessionUrl(roomId, other), 4003)
    expect(await forbidden(join(other, roomId))).toBe('This room belongs to another couple')
    await forbidden(t.request('GET', `/api/rooms/${roomId}/messages`, { token: other }))
    await forbidden(t.request('GET', `/api/rooms/${roomId}/sessions`, { token: other }))
    expect(await listedIds(other)).toEqual([])
    expect(await seatCount(roomId)).toBe(1)
  })

  test('claimless, no invitation: refused; a self-registered account too', async () => {
    const a = await person(34)
    const roomId = await newRoom(a, 34)
    const register = await t.request('POST', '/api/auth/register', { json: { email: 'walker@example.com', password: 'a long passphrase', name: 'walker' } })
    expect(register.status).toBe(201)
    const login = await t.request('POST', '/api/auth/login', { json: { email: 'walker@example.com', password: 'a long passphrase' } })
    const registered: string = (await login.json()).access_token
    for (const token of [registered, await person()]) {
      await refusedWith(sessionUrl(roomId, token), 4003)
      expect(await forbidden(join(token, roomId))).toBe('Joining this room needs an invitation')
      await forbidden(t.request('GET', `/api/rooms/${roomId}/messages`, { token }))
      expect(await listedIds(token)).toEqual([])
    }
    expect(await seatCount(roomId)).toBe(1)
    // The real partner still finds the seat free.
    expect((await join(await person(34), roomId)).status).toBe(200)
  })

  test('claimless with a valid invitation: seated over the socket; the code is single use and stored hashed', async () => {
    const a = await person(35)
    const roomId = await newRoom(a, 35)
    const created = await t.request('POST', `/api/rooms/${roomId}/invite/`, { token: a })
    expect(created.status).toBe(201)
    const invitation = await created.json()
    expect(invitation).toEqual({ invite_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expires_at: expect.any(String) })
    const ttl = Date.parse(invitation.expires_at) - Date.now()
    expect(ttl).toBeGreaterThan(86_400_000 - 60_000)
    expect(ttl).toBeLessThanOrEqual(86_400_000)
    const stored = await queryRows<{ code_hash: string }>(t.database.db, sql`select code_hash from couple_invitations where room_id = ${roomId}`)
    expect(stored).toEqual([{ code_hash: createHash('sha256').update(invitation.invite_code).digest('hex') }])

    const b = await person()
    const socket = await openSocket(sessionUrl(roomId, b, invitation.invite_code))
    expect(await socket.next((e) => e.type === 'session')).toMatchObject({ user_b_id: nextSubject - 1 })
    await socket.close()
    expect(await listedIds(b)).toEqual([roomId])
    // Seated now: reconnecting needs no invitation.
    const again = await openSocket(sessionUrl(roomId, b))
    await again.next((e) => e.type === 'session')
    await again.close()

    // Used: the code seats nobody else, over the socket or REST.
    const late = await person()
    await refusedWith(sessionUrl(roomId, late, invitation.invite_code), 4003)
    expect(await forbidden(join(late, roomId, invitation.invite_code))).toBe('This room already has two partners')
    expect(await seatCount(roomId)).toBe(2)
  })

  test('claimless with a used, an expired or another room’s invitation: 403, and no invitation is spent by a refusal', async () => {
    const a = await person(36)
    const roomId = await newRoom(a, 36)
    const otherRoom = await newRoom(a, 36)

    // Used: the first holder's REST join spends it; then the seat is taken, so a second
    // room is needed to show that a used code is refused while a seat is free.
    const spent = await invite(a, otherRoom)
    expect((await join(await person(), otherRoom, spent)).status).toBe(200)
    const used = await invite(a, roomId)
    await t.database.db.execute(sql`update couple_invitations set used_at = now() where room_id = ${roomId}`)
    const holder = await person()
    expect(await forbidden(join(holder, roomId, used))).toBe('The invitation is not valid for this room (unknown, used or expired)')

    const expired = await invite(a, roomId)
    const expiredHash = createHash('sha256').update(expired).digest('hex')
    await t.database.db.execute(sql`update couple_invitations set expires_at = now() - interval '1 second' where code_hash = ${expiredHash}`)
    await refusedWith(sessionUrl(roomId, holder, expired), 4003)
    await forbidden(join(holder, roomId, expired))

    const third = await newRoom(a, 36)
    const foreign = await invite(a, third)
    await refusedWith(sessionUrl(roomId, holder, foreign), 4003)
    await forbidden(join(holder, roomId, 'not-a-code'))
    expect(await seatCount(roomId)).toBe(1)
    // The foreign code was not spent by the refusal: it still seats its holder in its room.
    expect((await join(holder, third, foreign)).status).toBe(200)
    expect(await listedIds(holder)).toEqual([third])
  })

  test('only seat A invites: seat B and strangers 403, a missing room 404, a full room 409, no token 401', async () => {
    const a = await person(37)
    const roomId = await newRoom(a, 37)
    await forbidden(t.request('POST', `/api/rooms/${roomId}/invite`, { token: await person() }))
    const b = await person(37)
    expect((await join(b, roomId)).status).toBe(200)
    expect(await forbidden(t.request('POST', `/api/rooms/${roomId}/invite`, { token: b }))).toBe('Only the room creator can invite a partner')
    const full = await t.request('POST', `/api/rooms/${roomId}/invite`, { token: a })
    expect(full.status).toBe(409)
    expect(await full.json()).toEqual({ detail: 'This room already has two partners' })
    expect((await t.request('POST', '/api/rooms/99999999/invite', { token: a })).status).toBe(404)
    expect((await t.request('POST', `/api/rooms/${roomId}/invite`)).status).toBe(401)
    expect((await t.request('POST', `/api/rooms/${roomId}/join`, { json: {} })).status).toBe(401)
    const count = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from couple_invitations where room_id = ${roomId}`)
    expect(count[0]!.n).toBe(0)
  })

  test('a stranger walking sequential room ids gets only 403/404 and 4003/4004, reads nothing and takes no seat', async () => {
    const a = await person(38)
    const secret = '아무도 몰라야 하는 이야기'
    const roomId = await newRoom(a, 38)
    const socket = await openSocket(sessionUrl(roomId, a))
    socket.send({ content: secret })
    await socket.next((e) => e.type === 'message' && e.content === secret)
    await socket.close()
    const seatsBefore = await queryRows<{ room_id: number; n: number }>(t.database.db, sql`select room_id, count(*)::int as n from room_members group by room_id order by room_id`)

    for (const stranger of [await person(), await person(999)]) {
      for (let id = 1; id <= roomId + 2; id++) {
        for (const path of [`/api/rooms/${id}/messages`, `/api/rooms/${id}/sessions`]) {
          const res = await t.request('GET', path, { token: stranger })
          expect([403, 404]).toContain(res.status)
          expect(await res.text()).not.toContain(secret)
        }
        const joined = await join(stranger, id)
        expect([403, 404]).toContain(joined.status)
        const r = await refusal(sessionUrl(id, stranger))
        expect(r.frames).toEqual([])
        expect([4003, 4004]).toContain(r.code)
      }
      expect(await listedIds(stranger)).toEqual([])
    }
    const seatsAfter = await queryRows<{ room_id: number; n: number }>(t.database.db, sql`select room_id, count(*)::int as n from room_members group by room_id order by room_id`)
    expect(seatsAfter).toEqual(seatsBefore)
  })

  test('room creation and lists follow the claim; claimless callers cannot take over a couple id', async () => {
    const a = await person(40)
    const mine = await newRoom(a, 40)
    expect(await forbidden(t.request('POST', '/api/rooms', { token: a, json: { room_name: 'x', couple_id: 41 } }))).toBe('couple_id does not match your couple')

    const squatter = await person()
    expect(await forbidden(t.request('POST', '/api/rooms', { token: squatter, json: { room_name: 'x', couple_id: 40 } }))).toBe(
      'couple_id belongs to another couple',
    )
    const partner = await person(40)
    expect(await listedIds(partner)).toEqual([mine])

    // A claimless caller may open a couple id nobody uses, and add rooms to it while seated in one.
    const own = await newRoom(squatter, 4242)
    const more = await newRoom(squatter, 4242)
    expect(await listedIds(squatter)).toEqual([more, own])
    expect(await forbidden(t.request('POST', '/api/rooms', { token: await person(), json: { room_name: 'x', couple_id: 4242 } }))).toBe(
      'couple_id belongs to another couple',
    )
  })

  test("a room a claimless caller made under a couple id is not that couple's: not listed, no seat by claim", async () => {
    const squatter = await person()
    const lure = await newRoom(squatter, 5151)
    const realPartner = await person(5151)
    expect(await listedIds(realPartner)).toEqual([])
    expect(await forbidden(join(realPartner, lure))).toBe('This room belongs to another couple')
    await refusedWith(sessionUrl(lure, realPartner), 4003)
    expect(await seatCount(lure)).toBe(1)
    // The real couple still makes and lists its own rooms under its id.
    const theirs = await newRoom(realPartner, 5151)
    expect(await listedIds(await person(5151))).toEqual([theirs])
    // The squatter's invitation still works: a room is theirs to share by invitation.
    expect((await join(await person(), lure, await invite(squatter, lure))).status).toBe(200)
  })
})

describe('taking the free seat at once', () => {
  /** Tokens whose users already exist, so the racing requests do the same work from the start. */
  const known = async (coupleId?: number) => {
    const token = await person(coupleId)
    expect((await t.request('GET', '/api/rooms', { token })).status).toBe(200)
    return token
  }

  test('partners joining over REST together: exactly one gets the seat', async () => {
    // Several rounds of several contenders, so an unguarded check-then-insert would lose.
    for (let round = 0; round < 5; round++) {
      const roomId = await newRoom(await known(50), 50)
      const partners = await Promise.all(Array.from({ length: 6 }, () => known(50)))
      const results = await Promise.all(partners.map((token) => join(token, roomId)))
      expect(results.map((r) => r.status).sort()).toEqual([200, 403, 403, 403, 403, 403])
      expect(await seatCount(roomId)).toBe(2)
    }
  })

  test('two partners connecting together: one socket gets the session, the other is closed with 4003', async () => {
    const roomId = await newRoom(await known(51), 51)
    const [b1, b2] = await Promise.all([known(51), known(51)])
    // Each socket ends in one of two ways: the session event (seated) or a close (refused).
    const outcome = (url: string) =>
      new Promise<{ seated: true; socket: WebSocket } | { seated: false; code: number; frames: string[] }>((resolve) => {
        const socket = new WebSocket(url)
        const frames: string[] = []
        socket.onmessage = (m) => {
          frames.push(String(m.data))
          if (JSON.parse(String(m.data)).type === 'session') resolve({ seated: true, socket })
        }
        socket.onclose = (c) => resolve({ seated: false, code: c.code, frames })
      })
    const results = await Promise.all([outcome(sessionUrl(roomId, b1)), outcome(sessionUrl(roomId, b2))])
    expect(results.filter((r) => r.seated)).toHaveLength(1)
    expect(results.find((r) => !r.seated)).toEqual({ seated: false, code: 4003, frames: [] })
    for (const r of results) if (r.seated) r.socket.close()
    expect(await seatCount(roomId)).toBe(2)
  })

  test('two holders of one invitation joining together: exactly one is seated', async () => {
    const a = await person(52)
    const roomId = await newRoom(a, 52)
    const code = await invite(a, roomId)
    const [c1, c2] = await Promise.all([known(), known()])
    const results = await Promise.all([join(c1, roomId, code), join(c2, roomId, code)])
    expect(results.map((r) => r.status).sort()).toEqual([200, 403])
    expect(await seatCount(roomId)).toBe(2)
  })
})

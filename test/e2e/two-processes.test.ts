import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import Redis from 'ioredis'
import { createTestDatabase } from '../support/db'
import { signToken, startHuddle, type HuddleProcess } from '../support/huddle-process'
import { openSocket, type TestSocket } from '../support/ws-client'

// Real huddle processes sharing one PostgreSQL database and one Redis, as an operator runs
// them: what one process does, the other's clients see, and a process that stops (or dies)
// does not take its users' presence with it. Needs DATABASE_URL and REDIS_URL (the server
// run); an embedded database cannot be shared, so the PGlite run skips it.
const enabled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL)
const SECRET = 'two-processes-secret-0123456789'
const prefix = `test:twoproc:${crypto.randomUUID().slice(0, 8)}:`
// Presence lapses after PRESENCE_TTL_SECONDS and survivors look every PRESENCE_CHECK_SECONDS:
// short here, so the SIGKILL test waits seconds rather than the defaults' 13 (whose bound,
// TTL plus check within 15 s, config.test.ts holds).
const PRESENCE = { PRESENCE_TTL_SECONDS: '2', PRESENCE_CHECK_SECONDS: '1' }
const LAPSE_MS = (Number(PRESENCE.PRESENCE_TTL_SECONDS) + Number(PRESENCE.PRESENCE_CHECK_SECONDS)) * 1000

describe.skipIf(!enabled)('two huddle processes sharing PostgreSQL and Redis', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let p1: HuddleProcess, p2: HuddleProcess, p3: HuddleProcess
  const sockets: TestSocket[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    const env = { DATABASE_URL: db.url!, REDIS_URL: process.env.REDIS_URL!, REDIS_PREFIX: prefix, JWT_SECRET: SECRET, RATE_LIMIT_DOCS_DELETE_PER_MINUTE: '3', ...PRESENCE }
    p1 = await startHuddle(env)
    ;[p2, p3] = await Promise.all([startHuddle(env), startHuddle(env)])
  }, 60_000)

  afterAll(async () => {
    for (const s of sockets) s.ws.close()
    await Promise.all([p1, p2, p3].filter(Boolean).map((p) => p.stop('SIGKILL')))
    const redis = new Redis(process.env.REDIS_URL!)
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
    redis.disconnect()
    await db?.close()
  })

  async function user(name: string) {
    const token = await signToken(SECRET, `${name}-${prefix}`)
    const me = (await (await fetch(`${p2.base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: number }
    return { token, id: me.id }
  }

  async function room(on: HuddleProcess, owner: { token: string }, members: { id: number }[]): Promise<number> {
    const res = await fetch(`${on.base}/chat/rooms/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ room_type: 'group', room_name: 'two processes', participant_ids: members.map((m) => m.id) }),
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { room_id: number }).room_id
  }

  async function join(on: HuddleProcess, roomId: number, who: { token: string }) {
    const s = await openSocket(`ws://127.0.0.1:${on.port}/chat/ws/${roomId}?token=${who.token}`)
    sockets.push(s)
    return s
  }

  const status = (userId: number, value: 'online' | 'offline') => (e: any) => e.type === 'user_status' && e.user_id === userId && e.status === value

  test("a room made on one process admits sockets on the other at once, and each side's events arrive exactly once", async () => {
    const [a, b, stranger] = await Promise.all([user('a'), user('b'), user('stranger')])
    const roomId = await room(p1, a, [b])
    const onP2 = await join(p2, roomId, b)
    const onP1 = await join(p1, roomId, a)
    await onP2.next(status(a.id, 'online'))

    onP1.send({ type: 'message', content: 'from p1', message_type: 'text' })
    await fetch(`${p2.base}/chat/rooms/${roomId}/messages/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message_content: 'from p2', message_type: 'text' }),
    })
    for (const s of [onP1, onP2]) {
      await s.next((e) => e.type === 'message' && e.content === 'from p1')
      await s.next((e) => e.type === 'message' && e.content === 'from p2')
    }
    // A sentinel after both: anything duplicated would have arrived before it.
    onP1.send({ type: 'typing', is_typing: true })
    await onP2.next((e) => e.type === 'typing' && e.user_id === a.id)
    for (const s of [onP1, onP2]) expect(s.events.filter((e) => e.type === 'message')).toHaveLength(2)

    // Membership lives in the shared database: a non-member is refused on either process.
    const refused = await openSocket(`ws://127.0.0.1:${p1.port}/chat/ws/${roomId}?token=${stranger.token}`).then(
      (s) => s.closed.then((c) => c.code),
      () => 'refused',
    )
    expect(['refused', 4003]).toContain(refused)
  })

  test('presence counts sum over processes: a user is offline only when the socket on each is closed', async () => {
    const [owner, x] = await Promise.all([user('owner'), user('x')])
    const roomId = await room(p1, owner, [x])
    const watcher = await join(p2, roomId, owner)
    const xOnP1 = await join(p1, roomId, x)
    await watcher.next(status(x.id, 'online'))
    const xOnP2 = await join(p2, roomId, x)

    await xOnP1.close()
    const online = (await (await fetch(`${p1.base}/chat/rooms/${roomId}/online-status/`, { headers: { authorization: `Bearer ${owner.token}` } })).json()) as any[]
    expect(online.find((u) => u.user_id === x.id).is_online).toBe(true)
    expect((await watcher.quiet(300)).filter(status(x.id, 'offline'))).toEqual([])

    await xOnP2.close()
    await watcher.next(status(x.id, 'offline'))
    expect(watcher.events.filter((e) => e.type === 'user_status' && e.user_id === x.id).map((e) => e.status)).toEqual(['online', 'offline'])
  })

  test('rate limits are counted once for every process', async () => {
    const r = await user('limited')
    const codes: number[] = []
    for (const p of [p1, p2, p1, p2]) {
      const res = await fetch(`${p.base}/api/documents?id=999999&source=x`, { method: 'DELETE', headers: { authorization: `Bearer ${r.token}` } })
      codes.push(res.status)
    }
    expect(codes.slice(0, 3).every((c) => c !== 429)).toBe(true)
    expect(codes[3]).toBe(429)
  })

  test("SIGTERM: the other process's clients hear each of the stopped process's users go offline within two seconds", async () => {
    const [watcherUser, u1, u2] = await Promise.all([user('watcher'), user('u1'), user('u2')])
    const roomId = await room(p2, watcherUser, [u1, u2])
    const watcher = await join(p2, roomId, watcherUser)
    const leaving = [await join(p1, roomId, u1), await join(p1, roomId, u2)]
    await watcher.next(status(u1.id, 'online'))
    await watcher.next(status(u2.id, 'online'))

    const stopped = p1.stop('SIGTERM')
    await watcher.next(status(u1.id, 'offline'), 2000)
    await watcher.next(status(u2.id, 'offline'), 2000)
    expect(await stopped).toBe(0)
    for (const s of leaving) expect((await s.closed).code).toBe(1001)
  })

  test("SIGKILL: the survivors announce the dead process's users once its presence lapses (TTL plus one check)", async () => {
    const [watcherUser, k1, k2] = await Promise.all([user('watcher2'), user('k1'), user('k2')])
    const roomId = await room(p2, watcherUser, [k1, k2])
    const watcher = await join(p2, roomId, watcherUser)
    await join(p3, roomId, k1)
    await join(p3, roomId, k2)
    await watcher.next(status(k1.id, 'online'))
    await watcher.next(status(k2.id, 'online'))

    // A second over the lapse for a busy machine's scheduling.
    const bound = LAPSE_MS + 1000
    const killedAt = Date.now()
    await p3.stop('SIGKILL')
    await watcher.next(status(k1.id, 'offline'), bound)
    await watcher.next(status(k2.id, 'offline'), Math.max(1, bound - (Date.now() - killedAt)))
    expect(Date.now() - killedAt).toBeLessThanOrEqual(bound)
  }, 20_000)
})

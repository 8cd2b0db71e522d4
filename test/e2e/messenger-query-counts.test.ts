import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../support/app'
import { openSocket } from '../support/ws-client'

// The hot path's database cost: a socket send costs no query but its share of one INSERT,
// and concurrent sends share that INSERT (group commit).
let t: TestApp
let base: string
let roomId: number
let tokens: string[]

beforeAll(async () => {
  t = await createTestApp({ WS_MESSAGES_PER_SECOND: '1000' })
  base = (await t.listen()).replace('http', 'ws')
  const people = await Promise.all(['q1', 'q2', 'q3'].map((s) => t.user(s)))
  tokens = people.map((p) => p.token)
  const room = await t.request('POST', '/chat/rooms/', { token: tokens[0], json: { room_type: 'group', participant_ids: [people[1]!.id, people[2]!.id] } })
  roomId = (await room.json()).room_id
})
afterAll(() => t.close())

// The REST case runs first: closing the sockets of the other case records last-seen times
// asynchronously, which would land among its queries.
test('a REST send costs one membership read and its INSERT', async () => {
  t.queries.length = 0
  const res = await t.request('POST', `/chat/rooms/${roomId}/messages/`, { token: tokens[0], json: { message_content: 'one', message_type: 'text' } })
  expect(res.status).toBe(201)
  expect(t.queries).toHaveLength(2)
  expect(t.queries[1]).toStartWith('insert into "messages"')
})

test('60 concurrent socket sends are stored by a few multi-row INSERTs and no other query', async () => {
  // Authentication and the membership check run before the upgrade is answered; opening
  // a socket (no `since`) queries nothing more.
  const sockets = await Promise.all(tokens.map((tk) => openSocket(`${base}/chat/ws/${roomId}?token=${tk}`)))
  t.queries.length = 0
  for (let i = 0; i < 20; i++) for (const s of sockets) s.send({ type: 'message', content: `burst ${i}` })
  const listener = sockets[0]!
  for (let i = 0; i < 60; i++) await listener.next((e) => e.type === 'message')
  const inserts = t.queries.filter((q) => q.startsWith('insert into "messages"'))
  expect(t.queries.length).toBe(inserts.length)
  expect(inserts.length).toBeGreaterThanOrEqual(1)
  expect(inserts.length).toBeLessThan(20)
  for (const s of sockets) await s.close()
})

test('sends to several rooms at once: every room gets its messages in send order, with rising ids, on every database', async () => {
  // On a PostgreSQL server the app stores rooms in two group-commit lanes at once; a room's
  // messages must still be committed and broadcast in the order they were sent.
  const people = await Promise.all(['q1', 'q2', 'q3'].map((s) => t.user(s)))
  const roomIds: number[] = []
  for (let r = 0; r < 4; r++) {
    const res = await t.request('POST', '/chat/rooms/', { token: tokens[0], json: { room_type: 'group', room_name: `lane ${r}`, participant_ids: [people[1]!.id] } })
    roomIds.push((await res.json()).room_id)
  }
  const senders = await Promise.all(roomIds.map((id) => openSocket(`${base}/chat/ws/${id}?token=${tokens[0]}`)))
  const listeners = await Promise.all(roomIds.map((id) => openSocket(`${base}/chat/ws/${id}?token=${tokens[1]}`)))
  for (let i = 0; i < 15; i++) senders.forEach((s, r) => s.send({ type: 'message', content: `room ${r} #${i}` }))
  for (const [r, listener] of listeners.entries()) {
    const seen: { id: number; content: string }[] = []
    for (let i = 0; i < 15; i++) {
      const e = (await listener.next((e) => e.type === 'message')) as { message_id: number; content: string }
      seen.push({ id: e.message_id, content: e.content })
    }
    expect(seen.map((m) => m.content)).toEqual(Array.from({ length: 15 }, (_, i) => `room ${r} #${i}`))
    expect(seen.map((m) => m.id)).toEqual([...seen.map((m) => m.id)].sort((a, b) => a - b))
    const page = await (await t.request('GET', `/chat/rooms/${roomIds[r]}/messages/?page=1&size=50`, { token: tokens[1] })).json()
    expect(page.messages.map((m: { message_content: string }) => m.message_content)).toEqual(seen.map((m) => m.content))
  }
  for (const s of [...senders, ...listeners]) await s.close()
})

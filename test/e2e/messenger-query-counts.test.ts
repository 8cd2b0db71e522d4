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

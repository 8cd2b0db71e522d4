import { afterAll, beforeAll, expect, test } from 'bun:test'
import { MESSAGE_NOT_STORED } from '../../src/modules/realtime/protocol'
import { createTestApp, type TestApp } from '../support/app'
import { openSocket, type TestSocket } from '../support/ws-client'

// A database outage under open sockets: the app's own database is closed while both
// sockets are connected, so every write fails the way a lost database fails it.
let t: TestApp
let ws: string
let messenger: TestSocket | undefined
let couples: TestSocket | undefined

beforeAll(async () => {
  t = await createTestApp()
  ws = (await t.listen()).replace('http', 'ws')
})

afterAll(async () => {
  await messenger?.close()
  await couples?.close()
  // The database is already closed; closing it again must not hide a test failure.
  await t.close().catch(() => {})
})

/** A messenger and a couples socket, each of which has stored a message. */
async function connectBoth() {
  const kim = await t.user('kim', '김철수')
  const lee = await t.user('lee', '이영희')
  const room = await t.request('POST', '/chat/rooms/', { token: kim.token, json: { room_type: 'group', room_name: 'outage', participant_ids: [lee.id] } })
  messenger = await openSocket(`${ws}/chat/ws/${(await room.json()).room_id}?token=${kim.token}`)

  const partner = await t.token('42', { coupleId: 7 })
  const couple = await t.request('POST', '/api/rooms', { token: partner, json: { room_name: '커플', couple_id: 7 } })
  couples = await openSocket(`${ws}/api/sessions/ws/${(await couple.json()).room_id}?token=${partner}`)
  await couples.next((e) => e.type === 'session')

  // Both sockets store normally before the outage.
  messenger.send({ type: 'message', content: 'before' })
  await messenger.next((e) => e.type === 'message' && e.content === 'before')
  couples.send({ content: 'before' })
  await couples.next((e) => e.type === 'message' && e.content === 'before')
  return { messenger, couples }
}

test('during a database outage, a socket send is answered with an error saying the message was not stored', async () => {
  const { messenger, couples } = await connectBoth()
  await t.database.close()
  messenger.send({ type: 'message', content: 'during the outage', client_msg_id: 'm-1' })
  couples.send({ content: 'during the outage', client_msg_id: 'c-1' })
  expect(await messenger.next((e) => e.type === 'error')).toEqual({ type: 'error', detail: MESSAGE_NOT_STORED })
  expect(await couples.next((e) => e.type === 'error')).toEqual({ type: 'error', detail: MESSAGE_NOT_STORED })
  // No socket sees the message as if it had been stored.
  expect([...messenger.events, ...couples.events].filter((e) => e.content === 'during the outage')).toEqual([])
})

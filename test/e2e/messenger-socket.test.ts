import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../support/app'
import { openSocket, refusal } from '../support/ws-client'

let t: TestApp
let base: string
let kim: Awaited<ReturnType<TestApp['user']>>
let lee: Awaited<ReturnType<TestApp['user']>>
let park: Awaited<ReturnType<TestApp['user']>>
let roomId: number

beforeAll(async () => {
  t = await createTestApp({ WS_MAX_FRAME_BYTES: '65536', WS_MESSAGES_PER_SECOND: '50' })
  base = await t.listen()
  kim = await t.user('kim', '김철수')
  lee = await t.user('lee', '이영희')
  park = await t.user('park', '박주호')
  const room = await t.request('POST', '/chat/rooms/', { token: kim.token, json: { room_type: 'group', room_name: 'ws', participant_ids: [lee.id] } })
  roomId = (await room.json()).room_id
})
afterAll(() => t.close())

const wsUrl = (token: string, extra = '') => `${base.replace('http', 'ws')}/chat/ws/${roomId}?token=${token}${extra}`

describe('messenger WebSocket', () => {
  test('a refused socket is accepted, then closed with 4001/4003/4004/4000 and a reason; nothing else is sent', async () => {
    const member = await openSocket(wsUrl(kim.token))
    const wsBase = base.replace('http', 'ws')
    for (const [url, code] of [
      [`${wsBase}/chat/ws/${roomId}?token=garbage`, 4001],
      [`${wsBase}/chat/ws/${roomId}`, 4001],
      [`${wsBase}/chat/ws/abc`, 4001],
      [wsUrl(park.token), 4003],
      [`${wsBase}/chat/ws/999999?token=${kim.token}`, 4004],
      [`${wsBase}/chat/ws/0x10?token=${kim.token}`, 4000],
      [wsUrl(kim.token, '&since=1e3'), 4000],
    ] as const) {
      const refused = await refusal(url)
      expect(refused).toEqual({ opened: true, code, reason: expect.any(String), frames: [] })
      expect(refused.reason.length).toBeGreaterThan(0)
    }
    // The refused non-member never showed as online in the room: a sentinel message from a
    // member arrives with nothing about park before it.
    const lee1 = await openSocket(wsUrl(lee.token))
    lee1.send({ type: 'message', content: 'sentinel after refusals' })
    await member.next((e) => e.type === 'message' && e.content === 'sentinel after refusals')
    expect(member.events.filter((e) => e.user_id === park.id)).toEqual([])
    await lee1.close()
    await member.close()
  })

  test('a message is stored, then broadcast to the room with the sender included', async () => {
    const a = await openSocket(wsUrl(kim.token))
    const b = await openSocket(wsUrl(lee.token))
    a.send({ type: 'message', content: '안녕하세요!', message_type: 'text' })
    const mine = await a.next((e) => e.type === 'message')
    const theirs = await b.next((e) => e.type === 'message')
    expect(theirs).toEqual(mine)
    expect(mine).toMatchObject({ type: 'message', sender_id: kim.id, sender_name: '김철수', content: '안녕하세요!', message_type: 'text', reply_to_message_id: null })
    expect(typeof mine.message_id).toBe('number')
    expect(mine.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
    const stored = await (await t.request('GET', `/chat/rooms/${roomId}/messages/`, { token: lee.token })).json()
    expect(stored.messages.at(-1)).toMatchObject({ message_id: mine.message_id, message_content: '안녕하세요!' })
    await a.close()
    await b.close()
  })

  test('typing goes to the others, presence follows the first and last tab', async () => {
    // A room of its own: earlier tests' sockets close asynchronously, and their late presence
    // events would land in a shared room.
    const own = (await (await t.request('POST', '/chat/rooms/', { token: kim.token, json: { room_type: 'group', room_name: 'presence', participant_ids: [lee.id] } })).json()).room_id
    const url = (token: string) => `${base.replace('http', 'ws')}/chat/ws/${own}?token=${token}`
    const a1 = await openSocket(url(kim.token))
    const b = await openSocket(url(lee.token))
    expect(await a1.next((e) => e.type === 'user_status' && e.user_id === lee.id && e.status === 'online')).toMatchObject({ user_name: '이영희' })
    const a2 = await openSocket(url(kim.token))
    b.send({ type: 'typing', is_typing: true })
    expect(await a1.next((e) => e.type === 'typing')).toEqual({ type: 'typing', user_id: lee.id, user_name: '이영희', is_typing: true })
    expect(await a2.next((e) => e.type === 'typing')).toMatchObject({ user_id: lee.id })
    const online = await (await t.request('GET', `/chat/rooms/${own}/online-status/`, { token: kim.token })).json()
    expect(online.find((u: { user_id: number }) => u.user_id === kim.id).is_online).toBe(true)
    // Closing one of two tabs says nothing; closing the last one says offline. A read receipt
    // from the remaining tab is the sentinel: a wrong offline event would come before it.
    const mark = b.events.length
    await a2.close()
    a1.send({ type: 'message_read' })
    const beforeReceipt = await b.before(mark, (e) => e.type === 'message_read' && e.user_id === kim.id)
    expect(beforeReceipt.filter((e) => e.type === 'user_status')).toEqual([])
    // The typist's own indicator was published with the others'; it never came back to it.
    expect(b.events.filter((e) => e.type === 'typing')).toEqual([])
    await a1.close()
    expect(await b.next((e) => e.type === 'user_status' && e.status === 'offline')).toMatchObject({ user_id: kim.id })
    // Exactly one offline event for the user with two tabs, by the next sentinel.
    const mark2 = b.events.length
    await t.request('POST', `/chat/rooms/${own}/read/`, { token: lee.token })
    await b.before(mark2, (e) => e.type === 'message_read' && e.user_id === lee.id)
    expect(b.events.filter((e) => e.type === 'user_status' && e.user_id === kim.id && e.status === 'offline')).toHaveLength(1)
    await b.close()
  })

  test('read receipts from a frame and from REST reach the room', async () => {
    const a = await openSocket(wsUrl(kim.token))
    const b = await openSocket(wsUrl(lee.token))
    b.send({ type: 'message_read' })
    expect(await a.next((e) => e.type === 'message_read')).toMatchObject({ room_id: roomId, user_id: lee.id })
    await t.request('POST', `/chat/rooms/${roomId}/read/`, { token: kim.token })
    const read = await b.next((e) => e.type === 'message_read' && e.user_id === kim.id)
    expect(read.last_read_at).toMatch(/^\d{4}-/)
    await a.close()
    await b.close()
  })

  test('REST sends, edits and deletes reach socket clients', async () => {
    const b = await openSocket(wsUrl(lee.token))
    const sent = await (await t.request('POST', `/chat/rooms/${roomId}/messages/`, { token: kim.token, json: { message_content: 'via rest', message_type: 'text' } })).json()
    expect(await b.next((e) => e.type === 'message' && e.content === 'via rest')).toMatchObject({ message_id: sent.message_id })
    await t.request('PUT', `/chat/rooms/${roomId}/messages/${sent.message_id}/`, { token: kim.token, json: { message_content: 'edited' } })
    expect(await b.next((e) => e.type === 'message_updated')).toMatchObject({ message_id: sent.message_id, message_content: 'edited', is_edited: true })
    await t.request('DELETE', `/chat/rooms/${roomId}/messages/${sent.message_id}/`, { token: kim.token })
    expect(await b.next((e) => e.type === 'message_deleted')).toEqual({ type: 'message_deleted', message_id: sent.message_id })
    await b.close()
  })

  test('a duplicate client_msg_id is acknowledged with the first message and stored once', async () => {
    const a = await openSocket(wsUrl(kim.token))
    a.send({ type: 'message', content: 'dup', client_msg_id: 'abc-1' })
    const first = await a.next((e) => e.type === 'message' && e.client_msg_id === 'abc-1')
    const mark = a.events.length
    a.send({ type: 'message', content: 'dup', client_msg_id: 'abc-1' })
    a.send({ type: 'message', content: 'after dup', client_msg_id: 'abc-2' })
    expect((await a.before(mark, (e) => e.type === 'message' && e.client_msg_id === 'abc-2')).filter((e) => e.type === 'message')).toEqual([])
    const list = await (await t.request('GET', `/chat/rooms/${roomId}/messages/?size=200`, { token: kim.token })).json()
    expect(list.messages.filter((m: { message_id: number }) => m.message_id === first.message_id)).toHaveLength(1)
    expect(list.messages.filter((m: { message_content: string }) => m.message_content === 'dup')).toHaveLength(1)
    await a.close()
  })

  test('the same client_msg_id twice in one group commit is stored and broadcast once', async () => {
    const a = await openSocket(wsUrl(kim.token))
    const b = await openSocket(wsUrl(lee.token))
    const mark = b.events.length
    // Frames back to back reach the batcher together and share one INSERT.
    for (let i = 0; i < 3; i++) a.send({ type: 'message', content: 'twice in a batch', client_msg_id: 'batch-dup' })
    a.send({ type: 'message', content: 'batch sentinel', client_msg_id: 'batch-sentinel' })
    const seen = await b.before(mark, (e) => e.type === 'message' && e.client_msg_id === 'batch-sentinel')
    expect(seen.filter((e) => e.type === 'message').map((e) => e.content)).toEqual(['twice in a batch'])
    const list = await (await t.request('GET', `/chat/rooms/${roomId}/messages/?size=200`, { token: kim.token })).json()
    expect(list.messages.filter((m: { message_content: string }) => m.message_content === 'twice in a batch')).toHaveLength(1)
    await a.close()
    await b.close()
  })

  test('?since= replays what a reconnecting client missed, in order', async () => {
    const a = await openSocket(wsUrl(kim.token))
    a.send({ type: 'message', content: 'before' })
    const last = await a.next((e) => e.content === 'before')
    await a.close()
    for (const c of ['missed 1', 'missed 2', 'missed 3'])
      await t.request('POST', `/chat/rooms/${roomId}/messages/`, { token: lee.token, json: { message_content: c, message_type: 'text' } })
    const back = await openSocket(wsUrl(kim.token, `&since=${last.message_id}`))
    const replayed = [await back.next((e) => e.type === 'message'), await back.next((e) => e.type === 'message'), await back.next((e) => e.type === 'message')]
    expect(replayed.map((e) => e.content)).toEqual(['missed 1', 'missed 2', 'missed 3'])
    await back.close()
  })

  test('bad frames get an error event and the socket stays usable', async () => {
    const a = await openSocket(wsUrl(kim.token))
    a.send('this is not json')
    expect(await a.next((e) => e.type === 'error')).toMatchObject({ detail: expect.stringContaining('JSON') })
    a.send({ type: 'dance' })
    expect((await a.next((e) => e.type === 'error')).detail).toBeString()
    a.send({ type: 'message', content: '   ' })
    expect((await a.next((e) => e.type === 'error')).detail).toContain('empty')
    a.send({ type: 'message', content: 'x'.repeat(70 * 1024) })
    expect((await a.next((e) => e.type === 'error')).detail).toContain('65536')
    a.send({ type: 'message', content: 'still here' })
    expect(await a.next((e) => e.type === 'message')).toMatchObject({ content: 'still here' })
    await a.close()
  })

  test('a client that floods frames is told to slow down, then closed with 4008', async () => {
    const a = await openSocket(wsUrl(kim.token))
    for (let i = 0; i < 400; i++) a.send({ type: 'typing', is_typing: i % 2 === 0 })
    expect((await a.next((e) => e.type === 'error' && /slow down/.test(e.detail))).type).toBe('error')
    expect((await a.closed).code).toBe(4008)
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createMessageRepo } from '../../src/modules/messaging/message-repo'
import { createTestApp, type TestApp } from '../support/app'

// Page boundaries (a total that is an exact multiple of the page size) and requests that race
// for the same row: the places where an off-by-one or a lost race stays invisible to the
// usual one-request-at-a-time tests.
let t: TestApp
let kim: Awaited<ReturnType<TestApp['user']>>
let lee: Awaited<ReturnType<TestApp['user']>>

beforeAll(async () => {
  t = await createTestApp()
  kim = await t.user('paging-kim', '김')
  lee = await t.user('paging-lee', '이')
})
afterAll(() => t.close())

/** has_more and item counts of pages 1..n of `path` (which takes `page` and `size`). */
async function pages(token: string, path: string, size: number, count: number) {
  const out: { items: number; has_more: boolean; total: number }[] = []
  for (let page = 1; page <= count; page++) {
    const sep = path.includes('?') ? '&' : '?'
    const res = await t.request('GET', `${path}${sep}page=${page}&size=${size}`, { token })
    expect(res.status).toBe(200)
    const body = await res.json()
    out.push({ items: body.messages.length, has_more: body.has_more, total: body.total_count })
  }
  return out
}

describe('has_more at a page boundary', () => {
  test('messenger history and search: six messages in pages of three, two and six', async () => {
    const room = (await (await t.request('POST', '/chat/rooms/', { token: kim.token, json: { room_type: 'group', room_name: 'paging', participant_ids: [lee.id] } })).json()).room_id
    for (let i = 0; i < 6; i++) {
      const res = await t.request('POST', `/chat/rooms/${room}/messages/`, { token: kim.token, json: { message_content: `page word ${i}`, message_type: 'text' } })
      expect(res.status).toBe(201)
    }
    for (const path of [`/chat/rooms/${room}/messages/`, `/chat/rooms/${room}/search?query=${encodeURIComponent('page word')}`]) {
      expect(await pages(kim.token, path, 3, 3)).toEqual([
        { items: 3, has_more: true, total: 6 },
        { items: 3, has_more: false, total: 6 },
        { items: 0, has_more: false, total: 6 },
      ])
      expect(await pages(kim.token, path, 2, 3)).toEqual([
        { items: 2, has_more: true, total: 6 },
        { items: 2, has_more: true, total: 6 },
        { items: 2, has_more: false, total: 6 },
      ])
      expect(await pages(kim.token, path, 6, 1)).toEqual([{ items: 6, has_more: false, total: 6 }])
    }
  })

  test('couples history: four messages in pages of two and four', async () => {
    const token = await t.token('paging-couple-a', { coupleId: 71 })
    const created = await t.request('POST', '/api/rooms', { token, json: { room_name: 'paging', couple_id: 71 } })
    expect(created.status).toBe(201)
    const room = (await created.json()).room_id
    const me = await (await t.request('GET', '/api/auth/me', { token })).json()
    // Stored directly: sending through the socket would add the couple AI's replies.
    await createMessageRepo({ db: t.database.db }).insertMany(
      Array.from({ length: 4 }, (_, i) => ({ roomId: room, senderId: me.id, content: `couple ${i}`, speaker: 'A' })),
    )
    const path = `/api/rooms/${room}/messages`
    expect(await pages(token, path, 2, 3)).toEqual([
      { items: 2, has_more: true, total: 4 },
      { items: 2, has_more: false, total: 4 },
      { items: 0, has_more: false, total: 4 },
    ])
    expect(await pages(token, path, 4, 1)).toEqual([{ items: 4, has_more: false, total: 4 }])
  })
})

describe('races', () => {
  test('both people creating their direct room at once get the same one room', async () => {
    const a = await t.user('race-a')
    const b = await t.user('race-b')
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0
          ? t.request('POST', '/chat/rooms/', { token: a.token, json: { room_type: 'direct', participant_ids: [b.id] } })
          : t.request('POST', '/chat/rooms/', { token: b.token, json: { room_type: 'direct', participant_ids: [a.id] } }),
      ),
    )
    const bodies = await Promise.all(responses.map((r) => r.json()))
    expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([])
    expect(new Set(bodies.map((r) => r.room_id)).size).toBe(1)
    expect(bodies[0].participant_count).toBe(2)
    for (const token of [a.token, b.token]) {
      const rooms = await (await t.request('GET', '/chat/rooms/', { token })).json()
      expect(rooms.rooms.map((r: { room_id: number }) => r.room_id)).toEqual([bodies[0].room_id])
    }
  })

  test('the same client_msg_id twice in one INSERT stores one row and answers both with it', async () => {
    const room = (await (await t.request('POST', '/chat/rooms/', { token: kim.token, json: { room_type: 'group', room_name: 'dedupe', participant_ids: [lee.id] } })).json()).room_id
    const repo = createMessageRepo({ db: t.database.db })
    const one = { roomId: room, senderId: kim.id, content: 'once', clientMsgId: 'same-batch' }
    const results = await repo.insertMany([one, { ...one }, { roomId: room, senderId: lee.id, content: 'other sender', clientMsgId: 'same-batch' }])
    expect(results.map((r) => r.duplicate)).toEqual([false, true, false])
    expect(results[1]!.message.id).toBe(results[0]!.message.id)
    expect(results[2]!.message.id).not.toBe(results[0]!.message.id)
    const again = await repo.insertMany([{ ...one, content: 'changed' }])
    expect(again[0]).toMatchObject({ duplicate: true, message: { id: results[0]!.message.id, content: 'once' } })
    const list = await (await t.request('GET', `/chat/rooms/${room}/messages/`, { token: kim.token })).json()
    expect(list.messages.map((m: { message_content: string }) => m.message_content)).toEqual(['once', 'other sender'])
  })
})

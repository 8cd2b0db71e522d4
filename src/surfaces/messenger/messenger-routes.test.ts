import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../../../test/support/app'

let t: TestApp
let kim: Awaited<ReturnType<TestApp['user']>>
let lee: Awaited<ReturnType<TestApp['user']>>
let park: Awaited<ReturnType<TestApp['user']>>
let stranger: Awaited<ReturnType<TestApp['user']>>

beforeAll(async () => {
  t = await createTestApp({ UPLOAD_MAX_BYTES: String(64 * 1024) })
  kim = await t.user('kim', '김철수')
  lee = await t.user('lee', '이영희')
  park = await t.user('park', '박주호')
  stranger = await t.user('stranger', '낯선이')
})
afterAll(() => t.close())

const createRoom = (token: string, body: unknown) => t.request('POST', '/chat/rooms/', { token, json: body })
const send = (token: string, roomId: number, body: unknown) => t.request('POST', `/chat/rooms/${roomId}/messages/`, { token, json: body })

describe('rooms', () => {
  test('a direct room has the seed shape and is reused for the same pair', async () => {
    const res = await createRoom(kim.token, { room_name: '새로운 채팅방', room_type: 'direct', participant_ids: [lee.id] })
    expect(res.status).toBe(201)
    const room = await res.json()
    expect(Object.keys(room).sort()).toEqual(
      ['created_at', 'created_by', 'is_active', 'last_message', 'participant_count', 'room_id', 'room_name', 'room_type', 'unread_count', 'updated_at'].sort(),
    )
    expect(room).toMatchObject({ room_name: '새로운 채팅방', room_type: 'direct', created_by: kim.id, is_active: true, participant_count: 2, last_message: null, unread_count: 0 })
    expect(room.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
    const again = await (await createRoom(lee.token, { room_type: 'direct', participant_ids: [kim.id] })).json()
    expect(again.room_id).toBe(room.room_id)
  })

  test('group rooms enforce max_participants and unknown ids', async () => {
    const res = await createRoom(kim.token, { room_name: '팀', room_type: 'group', participant_ids: [lee.id, park.id], max_participants: 3 })
    expect(res.status).toBe(201)
    expect((await res.json()).participant_count).toBe(3)
    const over = await createRoom(kim.token, { room_type: 'group', participant_ids: [lee.id, park.id], max_participants: 2 })
    expect(over.status).toBe(422)
    expect(typeof (await over.json()).detail).toBe('string')
    const unknown = await createRoom(kim.token, { room_type: 'group', participant_ids: [lee.id, 999999] })
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).detail).toContain('999999')
    expect((await createRoom(kim.token, { room_type: 'circle', participant_ids: [lee.id] })).status).toBe(422)
  })

  test('room details, participants and list with unread counts', async () => {
    const room = await (await createRoom(kim.token, { room_name: '세명', room_type: 'group', participant_ids: [lee.id, park.id] })).json()
    const detail = await (await t.request('GET', `/chat/rooms/${room.room_id}/`, { token: lee.token })).json()
    expect(detail).toEqual({
      room_id: room.room_id, room_name: '세명', room_type: 'group', room_description: null, max_participants: 100,
      created_by: kim.id, is_active: true, created_at: room.created_at, updated_at: room.updated_at,
    })
    const parts = await (await t.request('GET', `/chat/rooms/${room.room_id}/participants/`, { token: lee.token })).json()
    expect(parts.total_count).toBe(3)
    expect(parts.participants[0]).toMatchObject({ room_id: room.room_id, user_id: kim.id, user_name: '김철수', last_read_at: null, is_active: true })
    expect(typeof parts.participants[0].id).toBe('number')

    await send(kim.token, room.room_id, { message_content: '안녕하세요! 반갑습니다 😊', message_type: 'text' })
    await send(kim.token, room.room_id, { message_content: '두 번째', message_type: 'text' })
    const list = await (await t.request('GET', '/chat/rooms/', { token: lee.token })).json()
    const item = list.rooms.find((r: { room_id: number }) => r.room_id === room.room_id)
    expect(list.rooms[0].room_id).toBe(room.room_id)
    expect(item).toMatchObject({ last_message: '두 번째', unread_count: 2, participant_count: 3 })
    expect(list.total_count).toBe(list.rooms.length)
    const read = await (await t.request('POST', `/chat/rooms/${room.room_id}/read/`, { token: lee.token })).json()
    expect(read.room_id).toBe(room.room_id)
    expect(read.last_read_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
    const after = await (await t.request('GET', '/chat/rooms/', { token: lee.token })).json()
    expect(after.rooms.find((r: { room_id: number }) => r.room_id === room.room_id).unread_count).toBe(0)
    const kimList = await (await t.request('GET', '/chat/rooms/', { token: kim.token })).json()
    expect(kimList.rooms.find((r: { room_id: number }) => r.room_id === room.room_id).unread_count).toBe(0)
  })
})

describe('messages', () => {
  let roomId: number
  beforeAll(async () => {
    roomId = (await (await createRoom(kim.token, { room_type: 'direct', participant_ids: [park.id] })).json()).room_id
  })

  test('send answers 201 with the list-item shape; pages are newest-first, oldest-first within', async () => {
    const res = await send(kim.token, roomId, { message_content: '안녕하세요!', message_type: 'text' })
    expect(res.status).toBe(201)
    const m = await res.json()
    expect(m).toMatchObject({
      room_id: roomId, sender_id: kim.id, sender_name: '김철수', message_content: '안녕하세요!', message_type: 'text',
      file_url: null, file_name: null, file_size: null, reply_to_message_id: null, is_edited: false, is_deleted: false, edited_at: null,
    })
    for (let i = 1; i <= 4; i++) await send(park.token, roomId, { message_content: `m${i}`, message_type: 'text' })
    const page1 = await (await t.request('GET', `/chat/rooms/${roomId}/messages/?page=1&size=2`, { token: kim.token })).json()
    expect(page1.messages.map((x: { message_content: string }) => x.message_content)).toEqual(['m3', 'm4'])
    expect(page1).toMatchObject({ total_count: 5, has_more: true })
    const page3 = await (await t.request('GET', `/chat/rooms/${roomId}/messages/?page=3&size=2`, { token: kim.token })).json()
    expect(page3.messages.map((x: { message_content: string }) => x.message_content)).toEqual(['안녕하세요!'])
    expect(page3.has_more).toBe(false)
  })

  test('replies must point into the same room', async () => {
    const first = await (await send(kim.token, roomId, { message_content: '원문', message_type: 'text' })).json()
    const reply = await send(park.token, roomId, { message_content: '답장입니다!', message_type: 'text', reply_to_message_id: first.message_id })
    expect((await reply.json()).reply_to_message_id).toBe(first.message_id)
    const other = (await (await createRoom(lee.token, { room_type: 'direct', participant_ids: [park.id] })).json()).room_id
    const cross = await send(park.token, other, { message_content: 'x', message_type: 'text', reply_to_message_id: first.message_id })
    expect(cross.status).toBe(422)
  })

  test('a repeated client_msg_id returns the first message', async () => {
    const a = await (await send(kim.token, roomId, { message_content: 'once', message_type: 'text', client_msg_id: 'c-1' })).json()
    const b = await (await send(kim.token, roomId, { message_content: 'once', message_type: 'text', client_msg_id: 'c-1' })).json()
    expect(b.message_id).toBe(a.message_id)
    const all = await (await t.request('GET', `/chat/rooms/${roomId}/messages/?size=200`, { token: kim.token })).json()
    expect(all.messages.filter((x: { message_content: string }) => x.message_content === 'once')).toHaveLength(1)
  })

  test('a stored message records its wait in every send stage; a resend records none', async () => {
    const stageCounts = async () => {
      const text = await (await t.request('GET', '/metrics')).text()
      return Object.fromEntries(
        ['accept', 'queue', 'insert', 'resume', 'publish'].map((stage) => {
          const m = new RegExp(`^huddle_message_stage_seconds_count\\{stage="${stage}"\\} (\\d+)$`, 'm').exec(text)
          return [stage, Number(m?.[1] ?? 0)]
        }),
      )
    }
    const before = await stageCounts()
    const body = { message_content: 'traced', message_type: 'text', client_msg_id: 'trace-1' }
    expect((await send(kim.token, roomId, body)).status).toBe(201)
    expect((await send(kim.token, roomId, body)).status).toBe(201)
    const after = await stageCounts()
    for (const stage of Object.keys(before)) expect(after[stage]! - before[stage]!).toBe(1)
  })

  test('edit: sender only, sets is_edited and edited_at', async () => {
    const m = await (await send(kim.token, roomId, { message_content: '원래', message_type: 'text' })).json()
    expect((await t.request('PUT', `/chat/rooms/${roomId}/messages/${m.message_id}/`, { token: park.token, json: { message_content: 'hack' } })).status).toBe(403)
    const res = await t.request('PUT', `/chat/rooms/${roomId}/messages/${m.message_id}/`, { token: kim.token, json: { message_content: '수정된 메시지입니다' } })
    expect(res.status).toBe(200)
    const edited = await res.json()
    expect(edited).toMatchObject({ message_id: m.message_id, message_content: '수정된 메시지입니다', is_edited: true })
    expect(edited.edited_at).toMatch(/^\d{4}-/)
    expect((await t.request('PUT', `/chat/rooms/${roomId}/messages/${m.message_id}/`, { token: kim.token, json: { message_content: '  ' } })).status).toBe(422)
  })

  test('delete: sender or room creator; soft delete hides the content from everyone', async () => {
    const m = await (await send(park.token, roomId, { message_content: '비밀', message_type: 'text' })).json()
    const res = await t.request('DELETE', `/chat/rooms/${roomId}/messages/${m.message_id}/`, { token: kim.token })
    expect(res.status).toBe(204)
    const all = await (await t.request('GET', `/chat/rooms/${roomId}/messages/?size=200`, { token: park.token })).json()
    const gone = all.messages.find((x: { message_id: number }) => x.message_id === m.message_id)
    expect(gone).toMatchObject({ is_deleted: true, message_content: '' })
    expect((await t.request('DELETE', `/chat/rooms/${roomId}/messages/${m.message_id}/`, { token: kim.token })).status).toBe(404)
    const own = await (await send(kim.token, roomId, { message_content: 'x', message_type: 'text' })).json()
    expect((await t.request('DELETE', `/chat/rooms/${roomId}/messages/${own.message_id}/`, { token: park.token })).status).toBe(403)
  })

  test('search finds Korean substrings with a highlight', async () => {
    await send(kim.token, roomId, { message_content: '안녕하세요! 반갑습니다', message_type: 'text' })
    await send(kim.token, roomId, { message_content: '100% 확실', message_type: 'text' })
    const res = await (await t.request('GET', `/chat/rooms/${roomId}/search/?query=${encodeURIComponent('반갑')}`, { token: park.token })).json()
    expect(res.total_count).toBe(1)
    expect(res.messages[0]).toMatchObject({ sender_name: '김철수', message_content: '안녕하세요! 반갑습니다', highlight: '반갑습니다' })
    expect(Object.keys(res.messages[0]).sort()).toEqual(['created_at', 'highlight', 'message_content', 'message_id', 'sender_name'])
    const pct = await (await t.request('GET', `/chat/rooms/${roomId}/search/?query=${encodeURIComponent('%')}`, { token: park.token })).json()
    expect(pct.total_count).toBe(1)
    expect((await t.request('GET', `/chat/rooms/${roomId}/search/`, { token: park.token })).status).toBe(422)
  })

  test('bad input is answered clearly and stores nothing', async () => {
    const before = (await (await t.request('GET', `/chat/rooms/${roomId}/messages/`, { token: kim.token })).json()).total_count
    expect((await send(kim.token, roomId, { message_content: '', message_type: 'text' })).status).toBe(422)
    expect((await send(kim.token, roomId, { message_content: 'x', message_type: 'sticker' })).status).toBe(422)
    expect((await send(kim.token, roomId, { message_content: 'x', message_type: 'image' })).status).toBe(422)
    expect((await send(kim.token, roomId, { message_content: 'x'.repeat(10_001), message_type: 'text' })).status).toBe(422)
    const bad = await t.request('POST', `/chat/rooms/${roomId}/messages/`, { token: kim.token, body: '{nope', headers: { 'content-type': 'application/json' } })
    expect(bad.status).toBe(400)
    expect((await t.request('GET', `/chat/rooms/abc/messages/`, { token: kim.token })).status).toBe(422)
    const after = (await (await t.request('GET', `/chat/rooms/${roomId}/messages/`, { token: kim.token })).json()).total_count
    expect(after).toBe(before)
  })

  test('settings: members set their notifications, the creator the room-wide ones', async () => {
    const s = await (await t.request('GET', `/chat/rooms/${roomId}/settings/`, { token: park.token })).json()
    expect(s).toEqual({ room_id: roomId, notification_enabled: true, message_retention_days: 365, auto_delete_enabled: false, read_receipt_enabled: true })
    const mine = await t.request('PUT', `/chat/rooms/${roomId}/settings/`, { token: park.token, json: { notification_enabled: false } })
    expect((await mine.json()).notification_enabled).toBe(false)
    expect((await (await t.request('GET', `/chat/rooms/${roomId}/settings/`, { token: kim.token })).json()).notification_enabled).toBe(true)
    expect((await t.request('PUT', `/chat/rooms/${roomId}/settings/`, { token: park.token, json: { read_receipt_enabled: false } })).status).toBe(403)
    const creator = await t.request('PUT', `/chat/rooms/${roomId}/settings/`, { token: kim.token, json: { read_receipt_enabled: false } })
    expect((await creator.json()).read_receipt_enabled).toBe(false)
  })

  test('online status lists members, offline without sockets', async () => {
    const res = await (await t.request('GET', `/chat/rooms/${roomId}/online-status/`, { token: kim.token })).json()
    expect(res).toHaveLength(2)
    expect(res[0]).toMatchObject({ user_id: kim.id, user_name: '김철수', is_online: false })
    expect('last_seen' in res[0]).toBe(true)
  })
})

describe('files', () => {
  const png = () => {
    const bytes = new Uint8Array(64)
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    return bytes
  }
  const upload = (token: string, roomId: number, file: Blob, name: string, type = 'image', content = '사진을 보내드려요') => {
    const form = new FormData()
    form.append('message_content', content)
    form.append('message_type', type)
    form.append('file', file, name)
    return t.request('POST', `/chat/rooms/${roomId}/messages/`, { token, body: form })
  }

  test('an image upload is stored and downloadable by members only (Bearer, ?token=)', async () => {
    const roomId = (await (await createRoom(kim.token, { room_type: 'direct', participant_ids: [lee.id] })).json()).room_id
    const res = await upload(kim.token, roomId, new Blob([png()], { type: 'image/png' }), '../../etc/사진.png')
    expect(res.status).toBe(201)
    const m = await res.json()
    expect(m).toMatchObject({ message_type: 'image', message_content: '사진을 보내드려요', file_name: '사진.png', file_size: 64 })
    expect(m.file_url).toMatch(/^\/chat\/files\/[0-9a-f-]{36}$/)
    const dl = await t.request('GET', m.file_url, { token: lee.token })
    expect(dl.status).toBe(200)
    expect(dl.headers.get('content-type')).toBe('image/png')
    expect(dl.headers.get('x-content-type-options')).toBe('nosniff')
    expect(new Uint8Array(await dl.arrayBuffer())).toEqual(png())
    expect((await t.request('GET', `${m.file_url}?token=${lee.token}`)).status).toBe(200)
    expect((await t.request('GET', m.file_url, { token: stranger.token })).status).toBe(404)
    expect((await t.request('GET', m.file_url)).status).toBe(401)
  })

  test('oversize files, mismatched bytes and non-images are refused, nothing stored', async () => {
    const roomId = (await (await createRoom(kim.token, { room_type: 'direct', participant_ids: [stranger.id] })).json()).room_id
    const big = new Uint8Array(64 * 1024 + 1)
    big.set(png())
    expect((await upload(kim.token, roomId, new Blob([big]), 'big.png')).status).toBe(413)
    const zipBytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    const liar = await upload(kim.token, roomId, new Blob([zipBytes], { type: 'image/png' }), 'cat.png')
    expect(liar.status).toBe(422)
    expect((await liar.json()).detail).toContain('does not match')
    const notImage = await upload(kim.token, roomId, new Blob(['plain text']), 'notes.txt', 'image')
    expect(notImage.status).toBe(422)
    const asFile = await upload(kim.token, roomId, new Blob(['plain text']), 'notes.txt', 'file', '')
    expect(asFile.status).toBe(201)
    expect((await asFile.json()).file_name).toBe('notes.txt')
    const list = await (await t.request('GET', `/chat/rooms/${roomId}/messages/`, { token: kim.token })).json()
    expect(list.total_count).toBe(1)
  })
})

describe('authorization', () => {
  test('a non-member gets 404 on every room route', async () => {
    const room = await (await createRoom(kim.token, { room_type: 'direct', participant_ids: [lee.id] })).json()
    const msg = await (await send(kim.token, room.room_id, { message_content: 'private', message_type: 'text' })).json()
    const id = room.room_id
    const calls: [string, string, unknown?][] = [
      ['GET', `/chat/rooms/${id}/`], ['GET', `/chat/rooms/${id}/participants/`], ['GET', `/chat/rooms/${id}/messages/`],
      ['POST', `/chat/rooms/${id}/messages/`, { message_content: 'x', message_type: 'text' }],
      ['PUT', `/chat/rooms/${id}/messages/${msg.message_id}/`, { message_content: 'x' }], ['DELETE', `/chat/rooms/${id}/messages/${msg.message_id}/`],
      ['POST', `/chat/rooms/${id}/read/`], ['GET', `/chat/rooms/${id}/search/?query=private`], ['GET', `/chat/rooms/${id}/settings/`],
      ['PUT', `/chat/rooms/${id}/settings/`, { notification_enabled: false }], ['GET', `/chat/rooms/${id}/online-status/`],
    ]
    for (const [method, path, json] of calls) {
      const res = await t.request(method, path, { token: stranger.token, json })
      expect([method, path, res.status]).toEqual([method, path, 404])
      expect(await res.json()).toHaveProperty('detail')
    }
    const mine = await (await t.request('GET', '/chat/rooms/', { token: stranger.token })).json()
    expect(mine.rooms.some((r: { room_id: number }) => r.room_id === id)).toBe(false)
    expect((await t.request('GET', `/chat/rooms/${id}/messages/`)).status).toBe(401)
  })
})

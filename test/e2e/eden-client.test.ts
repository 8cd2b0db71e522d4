/**
 * A typed TypeScript client for huddle: `treaty<App>` from @elysiajs/eden against a listening
 * app, one call on each surface. The calls are type-checked (`bun run typecheck` covers this
 * file): a route whose shape changes breaks the build of a client written against it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { treaty } from '@elysiajs/eden'
import type { App } from '../../src/app'
import { createTestApp, type TestApp } from '../support/app'

let t: TestApp
let api: ReturnType<typeof treaty<App>>
let headers: { authorization: string }
let user: { id: number; uid: string }

beforeAll(async () => {
  t = await createTestApp()
  api = treaty<App>(await t.listen())
  const u = await t.user('eden-user', 'Eden')
  user = u
  headers = { authorization: `Bearer ${u.token}` }
})
afterAll(() => t.close())

describe('typed client (Eden treaty)', () => {
  test('account: the signed-in user, typed', async () => {
    const { data, error } = await api.api.auth.me.get({ headers })
    expect(error).toBeNull()
    expect(data!.uid).toBe(user.uid)
    const denied = await api.api.auth.me.get()
    expect(denied.status).toBe(401)
  })

  test('messenger: create a group room, send, and read the page back', async () => {
    const other = await t.user('eden-other', 'Other')
    const created = await api.chat.rooms.post({ room_name: 'eden', room_type: 'group', participant_ids: [other.id] }, { headers })
    expect(created.status).toBe(201)
    const roomId = created.data!.room_id
    const sent = await api.chat.rooms({ room_id: roomId }).messages.post({ message_content: 'typed hello', message_type: 'text' }, { headers })
    expect(sent.status).toBe(201)
    const page = await api.chat.rooms({ room_id: roomId }).messages.get({ headers, query: { page: 1, size: 10 } })
    expect(page.data!.messages.map((m) => m.message_content)).toContain('typed hello')
  })

  test('advisor: a session and a card question', async () => {
    const room = await api.api.v1.chat.make_room.post({}, { headers })
    expect(room.status).toBe(201)
    const answer = await api.api.v1.chat.send_message.post({ session_id: room.data!.session_id, question: '주유 할인 카드' }, { headers })
    expect(answer.data!.type).toBe('CARD_INFO')
  })

  test('docs: conversations are typed', async () => {
    const created = await api.api.conversations.post({ title: 'eden' }, { headers })
    expect(created.data!.title).toBe('eden')
    const list = await api.api.conversations.get({ headers })
    expect(list.data!.map((c) => c.id)).toContain(created.data!.id)
  })

  test('petcare: sign in with a cafe24 token, then list chats', async () => {
    const signedIn = await api.api.users.post({ cafe24_token: 'eden-cafe24', pets: [{ petnm: '콩이', pet_info: { species: 'dog', weight_kg: 5 } }] })
    expect([200, 201]).toContain(signedIn.status)
    const chats = await api.api.chats.get({ headers: { authorization: `Bearer ${signedIn.data!.access_token}` }, query: { userId: signedIn.data!.id, petnm: '콩이' } })
    expect(chats.status).toBe(200)
  })

  test('couples: create a room and list it', async () => {
    const coupleHeaders = { authorization: `Bearer ${await t.token('eden-couple', { coupleId: 7001 })}` }
    const room = await api.api.rooms.post({ room_name: 'eden', couple_id: 7001 }, { headers: coupleHeaders })
    expect(room.status).toBe(201)
    const list = await api.api.rooms.get({ headers: coupleHeaders })
    expect(list.data!.map((r) => r.room_id)).toContain(room.data!.room_id)
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../support/app'
import { createUserRepo } from '../../src/modules/auth/user-repo'
import { createChatRepo } from '../../src/modules/petcare/chat-repo'
import { createPetRepo } from '../../src/modules/petcare/pet-repo'

const DOG = { species: 'dog', age: 3, weight_kg: 10, neutered: true, activity: 'normal', allergies: ['닭고기'] }
const CAT = { species: 'cat', age: 5, weight_kg: 4, neutered: true }

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** Registers a cafe24 user with pets; returns the body and the token. */
async function register(token: string, pets: unknown[] = []) {
  const res = await t.request('POST', '/api/users/', { json: { cafe24_token: token, pets } })
  return { status: res.status, body: await res.json() }
}

/** Sends a message as SSE and returns the parsed events. */
async function send(path: string, json: unknown, token?: string) {
  const res = await t.request('POST', path, { json, token })
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const text = await res.text()
  return text
    .split('\n\n')
    .filter((b) => b.startsWith('data: '))
    .map((b) => JSON.parse(b.slice(6)))
}

describe('POST /api/users', () => {
  test('creates the user (201), then signs in (200) merging pets by name', async () => {
    const first = await register('cafe24-token-users', [{ petnm: '초코', pet_info: DOG }])
    expect(first.status).toBe(201)
    expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(first.body.pets).toEqual([{ id: expect.stringMatching(/^pet-[0-9a-f-]{36}$/), petnm: '초코' }])
    expect(typeof first.body.access_token).toBe('string')

    const again = await register('cafe24-token-users', [{ petnm: '초코', pet_info: { ...DOG, weight_kg: 12 } }, { petnm: '나비', pet_info: CAT }])
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(first.body.id)
    expect(again.body.pets.map((p: { petnm: string }) => p.petnm)).toEqual(['초코', '나비'])
    expect(again.body.pets[0].id).toBe(first.body.pets[0].id)

    // The opaque token is stored only as a hash in the subject.
    const user = await createUserRepo({ db: t.database.db }).findByUid(first.body.id)
    expect(user!.subject).toMatch(/^cafe24:[0-9a-f]{64}$/)
    const pet = await createPetRepo({ db: t.database.db }).findByName(user!.id, '초코')
    expect((pet!.info as { weight_kg: number }).weight_kg).toBe(12)

    // The access token it returns authenticates the petcare routes.
    const list = await t.request('GET', `/api/chats/?userId=${first.body.id}&petnm=초코`, { token: first.body.access_token })
    expect(list.status).toBe(200)
    expect(await list.json()).toEqual({ results: [], next_cursor: null, has_next: false })
  })

  test('a missing token or a bad pet_info is 400 {error} and stores nothing', async () => {
    const missing = await register('')
    expect(missing.status).toBe(400)
    expect(typeof missing.body.error).toBe('string')
    const bad = await register('cafe24-bad-pet', [{ petnm: '콩이', pet_info: { species: 'hamster', weight_kg: 1 } }])
    expect(bad.status).toBe(400)
    expect(bad.body.error).toContain('species')
    const noName = await register('cafe24-bad-pet', [{ pet_info: DOG }])
    expect(noName.status).toBe(400)
    expect((await register('cafe24-bad-pet')).status).toBe(201)
  })

  test('a form post with the pets list as JSON text works too', async () => {
    const form = new URLSearchParams({ cafe24_token: 'cafe24-form', pets: JSON.stringify([{ petnm: '콩', pet_info: JSON.stringify(DOG) }]) })
    const res = await t.request('POST', '/api/users', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(res.status).toBe(201)
    expect((await res.json()).pets.map((p: { petnm: string }) => p.petnm)).toEqual(['콩'])
    const bad = await t.request('POST', '/api/users', { body: 'cafe24_token=x&pets=%5B', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(bad.status).toBe(400)
  })
})

describe('chats', () => {
  test('cursor paging over 23 chats with one shared timestamp returns each chat exactly once', async () => {
    const { body: u } = await register('cafe24-paging', [{ petnm: '초코', pet_info: DOG }, { petnm: '나비', pet_info: CAT }])
    const owner = (await createUserRepo({ db: t.database.db }).findByUid(u.id))!
    const pets = createPetRepo({ db: t.database.db })
    const choco = (await pets.findByName(owner.id, '초코'))!
    const nabi = (await pets.findByName(owner.id, '나비'))!
    const chats = createChatRepo({ db: t.database.db })
    const at = new Date('2025-03-13T12:34:56.000Z')
    const created: string[] = []
    for (let i = 0; i < 23; i++) created.push(`chat-${(await chats.create({ ownerId: owner.id, petId: choco.id, title: `chat ${i}`, createdAt: at })).publicId}`)
    await chats.create({ ownerId: owner.id, petId: nabi.id, title: 'other pet', createdAt: at })

    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const q: string = `/api/chats/?userId=${u.id}&petnm=${encodeURIComponent('초코')}&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const res = await t.request('GET', q, { token: u.access_token })
      expect(res.status).toBe(200)
      const page = await res.json()
      expect(page.results.length).toBeLessThanOrEqual(5)
      for (const c of page.results) {
        expect(c).toMatchObject({ title: expect.any(String), created_at: at.toISOString(), is_shared: false, petnm: '초코' })
        seen.push(c.id)
      }
      expect(page.has_next).toBe(page.next_cursor !== null)
      cursor = page.next_cursor
      pages++
    } while (cursor && pages < 10)
    expect(pages).toBe(5)
    expect(new Set(seen).size).toBe(23)
    expect([...seen].sort()).toEqual([...created].sort())

    // Default limit 5; a plain ISO 8601 cursor means "older than this instant".
    const first = await (await t.request('GET', `/api/chats?petnm=초코`, { token: u.access_token })).json()
    expect(first.results).toHaveLength(5)
    const later = await (await t.request('GET', `/api/chats?petnm=초코&limit=50&cursor=2025-03-13T12:34:57Z`, { token: u.access_token })).json()
    expect(later.results).toHaveLength(23)
    const before = await (await t.request('GET', `/api/chats?petnm=초코&cursor=2025-03-13T12:34:56Z`, { token: u.access_token })).json()
    expect(before.results).toHaveLength(0)
    // Without petnm every pet's chats are listed.
    const all = await (await t.request('GET', `/api/chats?limit=50`, { token: u.access_token })).json()
    expect(all.results).toHaveLength(24)
  })

  test('bad paging input is 400 {error}', async () => {
    const { body: u } = await register('cafe24-paging-bad', [{ petnm: '초코', pet_info: DOG }])
    for (const q of ['limit=0', 'limit=500', 'limit=abc', 'cursor=yesterday', 'cursor=2025-13-45T99:00:00Z', 'cursor=2025-03-13T12:00:00Z~nope']) {
      const res = await t.request('GET', `/api/chats?${q}`, { token: u.access_token })
      expect(`${q} → ${res.status}`).toBe(`${q} → 400`)
      expect(typeof (await res.json()).error).toBe('string')
    }
    expect((await t.request('GET', '/api/recipes?limit=0', { token: u.access_token })).status).toBe(400)
    expect((await t.request('GET', '/api/recipes?cursor=x', { token: u.access_token })).status).toBe(400)
    expect((await t.request('GET', '/api/chats?limit=50', { token: u.access_token })).status).toBe(200)
  })

  test('detail, share, shared view, fork and delete', async () => {
    const { body: u } = await register('cafe24-share', [{ petnm: '초코', pet_info: DOG }])
    const events = await send('/api/messages/', { userId: u.id, petnm: '초코', content: { message: '안녕하세요' } })
    const chatId: string = events[0].chat_id
    expect(chatId).toMatch(/^chat-[0-9a-f-]{36}$/)

    const detail = await (await t.request('GET', `/api/chats/${chatId}/?userId=${u.id}&petnm=초코`, { token: u.access_token })).json()
    expect(detail).toMatchObject({ id: chatId, title: '안녕하세요', is_shared: false })
    expect(detail.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'tool', 'assistant'])
    expect(detail.messages[0]).toMatchObject({ id: expect.stringMatching(/^msg-/), content: { message: '안녕하세요' }, token_count: expect.any(Object) })

    expect((await t.request('GET', `/api/shared/${chatId}/`)).status).toBe(404)
    const shared = await t.request('POST', `/api/chats/${chatId}/share/?userId=${u.id}&petnm=초코`, { token: u.access_token })
    expect(shared.status).toBe(200)
    expect(await shared.json()).toMatchObject({ id: chatId, is_shared: true })

    const view = await t.request('GET', `/api/shared/${chatId}/`)
    expect(view.status).toBe(200)
    const viewed = await view.json()
    expect(viewed).toMatchObject({ chat_id: chatId, title: '안녕하세요', is_shared: true })
    expect(viewed.messages).toEqual(detail.messages)

    const { body: other } = await register('cafe24-forker', [{ petnm: '나비', pet_info: CAT }])
    const fork = await t.request('POST', `/api/shared/${chatId}/`, { token: other.access_token, json: { userId: other.id, petnm: '나비', message: '우리 고양이는요?' } })
    expect(fork.status).toBe(201)
    const forked = await fork.json()
    expect(forked).toMatchObject({ success: true, message: '새 채팅이 생성되었습니다.', user_id: other.id, petnm: '나비' })
    expect(forked.chat_id).toMatch(/^chat-/)
    expect(forked.redirect_url).toBe(`/chat?id=${forked.chat_id}&userId=${other.id}&petnm=${encodeURIComponent('나비')}`)
    const copy = await (await t.request('GET', `/api/chats/${forked.chat_id}`, { token: other.access_token })).json()
    expect(copy.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'tool', 'assistant', 'user'])
    expect(copy.messages.at(-1).content).toEqual({ message: '우리 고양이는요?' })
    expect(copy.title).toBe('우리 고양이는요?')
    // Forking needs a pet of the caller, and a shared chat.
    expect((await t.request('POST', `/api/shared/${chatId}/`, { token: other.access_token, json: { petnm: '초코', message: 'x' } })).status).toBe(400)
    expect((await t.request('POST', `/api/shared/${forked.chat_id}/`, { token: u.access_token, json: { petnm: '초코', message: 'x' } })).status).toBe(404)

    expect((await t.request('DELETE', `/api/chats/${chatId}/?userId=${u.id}&petnm=초코`, { token: u.access_token })).status).toBe(204)
    expect((await t.request('GET', `/api/chats/${chatId}/`, { token: u.access_token })).status).toBe(404)
    expect((await t.request('GET', `/api/shared/${chatId}/`)).status).toBe(404)
    expect((await t.request('GET', `/api/chats/${forked.chat_id}`, { token: other.access_token })).status).toBe(200)
  })
})

describe('isolation', () => {
  test("another user's chat, recipe or pet answers 404, never their data", async () => {
    const { body: a } = await register('cafe24-owner-a', [{ petnm: '초코', pet_info: DOG }])
    const { body: b } = await register('cafe24-owner-b', [{ petnm: '보리', pet_info: DOG }])
    const events = await send('/api/messages', { userId: a.id, petnm: '초코', content: { message: '소고기랑 고구마로 레시피 만들어줘' } })
    const chatId: string = events[0].chat_id
    const recipeId: string = events.find((e) => e.type === 'new_recipe_message').recipe_id

    const asB = { token: b.access_token }
    expect((await t.request('GET', `/api/chats/${chatId}`, asB)).status).toBe(404)
    expect((await t.request('GET', `/api/chats/${chatId}?userId=${a.id}`, asB)).status).toBe(404)
    expect((await t.request('GET', `/api/chats?userId=${a.id}`, asB)).status).toBe(404)
    expect((await t.request('GET', `/api/chats?petnm=초코`, asB)).status).toBe(404)
    expect((await t.request('POST', `/api/chats/${chatId}/share`, asB)).status).toBe(404)
    expect((await t.request('DELETE', `/api/chats/${chatId}`, asB)).status).toBe(404)
    expect((await t.request('GET', `/api/recipes/${recipeId}`, asB)).status).toBe(404)
    expect((await t.request('GET', `/api/recipes?userId=${a.id}`, asB)).status).toBe(404)
    const bRecipes = await (await t.request('GET', `/api/recipes`, asB)).json()
    expect(bRecipes.results).toEqual([])
    // Guessed and malformed ids read as not found.
    expect((await t.request('GET', `/api/chats/chat-00000000-0000-4000-8000-000000000000`, asB)).status).toBe(404)
    expect((await t.request('GET', `/api/chats/${chatId.slice(5)}`, asB)).status).toBe(404)
    expect((await t.request('GET', `/api/recipes/recipe-nope`, asB)).status).toBe(404)

    // AllowAny message routes: without a token the userId must own the chat; with one, the token wins.
    const post = (path: string, json: unknown, token?: string) => t.request('POST', path, { json, token })
    expect((await post(`/api/chats/${chatId}/messages`, { userId: b.id, petnm: '보리', content: { message: '안녕' } })).status).toBe(404)
    expect((await post(`/api/chats/${chatId}/messages`, { userId: a.id, content: { message: '안녕' } }, b.access_token)).status).toBe(404)
    expect((await post('/api/messages', { userId: a.id, petnm: '초코', content: { message: '안녕' } }, b.access_token)).status).toBe(404)
    expect((await post('/api/messages', { userId: b.id, petnm: '초코', content: { message: '안녕' } })).status).toBe(400)
    expect((await post('/api/messages', { userId: '00000000-0000-4000-8000-000000000000', petnm: '초코', content: { message: '안녕' } })).status).toBe(404)

    // A's data is untouched.
    const own = await (await t.request('GET', `/api/chats/${chatId}`, { token: a.access_token })).json()
    expect(own.messages.filter((m: { role: string }) => m.role === 'user')).toHaveLength(1)
    const recipe = await t.request('GET', `/api/recipes/${recipeId}`, { token: a.access_token })
    expect(recipe.status).toBe(200)
    expect((await recipe.json()).user_id).toBe(a.id)
  })
})

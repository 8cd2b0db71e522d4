import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { createTestApp, type TestApp } from '../support/app'
import { kstDate } from '../../src/modules/docs/conversation-service'
import { queryRows } from '../../src/platform/db/client'

let t: TestApp
let alice: { token: string }
let bob: { token: string }

beforeAll(async () => {
  t = await createTestApp()
  alice = await t.user('conv-alice', 'Alice')
  bob = await t.user('conv-bob', 'Bob')
})
afterAll(async () => t.close())

const create = async (token: string, json?: unknown) => (await t.request('POST', '/api/conversations', { token, json: json ?? {} })).json()
const post = (token: string, id: string, json: unknown) => t.request('POST', `/api/conversations/${id}/messages`, { token, json })

describe('docs conversations and messages', () => {
  test('create with and without a title, list most recently updated first', async () => {
    const a = await create(alice.token, { title: '문서 분석 요청' })
    expect(a).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), title: '문서 분석 요청', created_at: expect.any(String), updated_at: a.created_at })
    const b = await create(alice.token)
    expect(b.title).toBe('새 대화')
    let list = await (await t.request('GET', '/api/conversations', { token: alice.token })).json()
    expect(list.map((c: { id: string }) => c.id)).toEqual([b.id, a.id])
    const m = await post(alice.token, a.id, { role: 'user', content: '이 문서의 핵심 내용을 요약해 주세요.' })
    expect(m.status).toBe(200)
    expect(await m.json()).toEqual({ id: expect.any(String), role: 'user', content: '이 문서의 핵심 내용을 요약해 주세요.', created_at: expect.any(String) })
    list = await (await t.request('GET', '/api/conversations', { token: alice.token })).json()
    expect(list.map((c: { id: string }) => c.id)).toEqual([a.id, b.id])
    expect(list[0].updated_at >= list[0].created_at).toBe(true)
    expect(await (await t.request('GET', '/api/conversations', { token: bob.token })).json()).toEqual([])
  })

  test('messages are listed oldest first; bad messages answer 400; someone else’s conversation 404', async () => {
    const c = await create(alice.token, { title: 'order' })
    await post(alice.token, c.id, { role: 'user', content: 'first' })
    await post(alice.token, c.id, { role: 'assistant', content: 'second' })
    const items = await (await t.request('GET', `/api/conversations/${c.id}/messages`, { token: alice.token })).json()
    expect(items.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([['user', 'first'], ['assistant', 'second']])
    for (const bad of [{ role: 'system', content: 'x' }, { role: 'user', content: '  ' }, { role: 'user' }, {}]) {
      const res = await post(alice.token, c.id, bad)
      expect(res.status).toBe(400)
      expect(typeof (await res.json()).error).toBe('string')
    }
    expect((await t.request('GET', `/api/conversations/${c.id}/messages`, { token: bob.token })).status).toBe(404)
    expect((await post(bob.token, c.id, { role: 'user', content: 'intrude' })).status).toBe(404)
    expect((await t.request('GET', '/api/conversations/not-a-uuid/messages', { token: alice.token })).status).toBe(404)
    expect((await t.request('GET', `/api/export/${c.id}`, { token: bob.token })).status).toBe(404)
  })

  test('delete cascades to messages; invalid id 400; someone else’s 404', async () => {
    const c = await create(alice.token, { title: 'gone' })
    await post(alice.token, c.id, { role: 'user', content: 'bye-cascade-marker' })
    expect((await t.request('DELETE', '/api/conversations', { token: alice.token, json: { id: 'nope' } })).status).toBe(400)
    expect((await t.request('DELETE', '/api/conversations', { token: alice.token, json: {} })).status).toBe(400)
    expect((await t.request('DELETE', '/api/conversations', { token: bob.token, json: { id: c.id } })).status).toBe(404)
    const res = await t.request('DELETE', '/api/conversations', { token: alice.token, json: { id: c.id } })
    expect(await res.json()).toEqual({ success: true })
    expect((await t.request('GET', `/api/conversations/${c.id}/messages`, { token: alice.token })).status).toBe(404)
    const [row] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from messages where content = 'bye-cascade-marker'`)
    expect(Number(row!.n)).toBe(0)
  })

  test('export is the seed’s markdown with an RFC 5987 attachment name', async () => {
    const c = await create(alice.token, { title: '문서 분석 요청' })
    await post(alice.token, c.id, { role: 'user', content: '이 문서의 핵심 내용을 요약해 주세요.' })
    await post(alice.token, c.id, { role: 'assistant', content: '문서의 핵심 내용은 다음과 같습니다...' })
    const res = await t.request('GET', `/api/export/${c.id}`, { token: alice.token })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toStartWith('text/markdown')
    const disposition = res.headers.get('content-disposition')!
    expect(disposition).toStartWith('attachment;')
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('문서 분석 요청.md')}`)
    expect(/filename="[\x20-\x7e]+"/.test(disposition)).toBe(true)
    const body = await res.text()
    expect(body).toMatch(
      /^# 문서 분석 요청\n\n> 내보내기: \d{4}\. \d{2}\. \d{2}\. \d{2}:\d{2} KST\n\n---\n\n\*\*사용자\*\*: 이 문서의 핵심 내용을 요약해 주세요\.\n\n---\n\n\*\*어시스턴트\*\*: 문서의 핵심 내용은 다음과 같습니다\.\.\.\n$/,
    )
    const evil = await create(alice.token, { title: '../../etc/passwd\r\nX: y' })
    const d2 = (await t.request('GET', `/api/export/${evil.id}`, { token: alice.token })).headers.get('content-disposition')!
    expect(d2).not.toContain('/')
    expect(d2).not.toContain('\n')
  })

  test('stats count the caller’s data with seven KST days, empty days included', async () => {
    const carol = await t.user('conv-carol', 'Carol')
    const c = await create(carol.token, { title: 'stats' })
    for (const content of ['a', 'b', 'c']) await post(carol.token, c.id, { role: 'user', content })
    await t.database.db.execute(
      sql`update messages set created_at = now() - interval '3 days' where content = 'b' and room_id = (select id from rooms where public_id = ${c.id}::uuid)`,
    )
    await t.database.db.execute(
      sql`update messages set created_at = now() - interval '10 days' where content = 'c' and room_id = (select id from rooms where public_id = ${c.id}::uuid)`,
    )
    const stats = await (await t.request('GET', '/api/stats', { token: carol.token })).json()
    expect(stats).toMatchObject({ totalConversations: 1, totalMessages: 3, totalDocuments: 0, totalChunks: 0 })
    expect(stats.recentActivity).toHaveLength(7)
    const today = kstDate(new Date())
    const threeAgo = kstDate(new Date(Date.now() - 3 * 86_400_000))
    expect(stats.recentActivity[6]).toEqual({ date: today, count: 1 })
    expect(stats.recentActivity.find((d: { date: string }) => d.date === threeAgo)).toEqual({ date: threeAgo, count: 1 })
    expect(stats.recentActivity.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBe(2)
    const dates = stats.recentActivity.map((d: { date: string }) => d.date)
    expect([...dates].sort()).toEqual(dates)
  })

  test('without a session every docs route answers 401 {error}', async () => {
    for (const [m, p] of [['GET', '/api/conversations'], ['GET', '/api/stats'], ['GET', '/api/documents'], ['POST', '/api/chat']] as const) {
      const res = await t.request(m, p, m === 'POST' ? { json: {} } : {})
      expect(res.status).toBe(401)
      expect(typeof (await res.json()).error).toBe('string')
    }
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../support/app'

const MESSAGE = '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.'
let t: TestApp

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

/** Sends `n` allowed requests, then one more that must be refused with the seed's 429. */
async function expectLimit(n: number, send: () => Promise<Response>) {
  for (let i = 0; i < n; i++) expect((await send()).status).not.toBe(429)
  const refused = await send()
  expect(refused.status).toBe(429)
  expect(await refused.json()).toEqual({ error: MESSAGE })
  const retryAfter = Number(refused.headers.get('retry-after'))
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(60)
}

describe('docs rate limits (seed 004 table, per user)', () => {
  test('POST /api/chat: 20 per minute', async () => {
    const u = await t.user('rl-chat')
    await expectLimit(20, () => t.request('POST', '/api/chat', { token: u.token, json: { messages: [] } }))
    const other = await t.user('rl-chat-other')
    expect((await t.request('POST', '/api/chat', { token: other.token, json: { messages: [] } })).status).not.toBe(429)
  })

  test('POST /api/ingest: 5 per minute', async () => {
    const u = await t.user('rl-ingest')
    await expectLimit(5, () => {
      const form = new FormData()
      form.append('text', 'rate limit probe text')
      return t.request('POST', '/api/ingest', { token: u.token, body: form })
    })
  })

  test('DELETE /api/documents: 10 per minute', async () => {
    const u = await t.user('rl-delete')
    await expectLimit(10, () => t.request('DELETE', '/api/documents?id=999999&source=x', { token: u.token }))
  })
})

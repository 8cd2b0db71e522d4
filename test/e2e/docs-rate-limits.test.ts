import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../support/app'
import { testDatabaseHasVector } from '../support/db'

const MESSAGE = '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.'
/** A minute boundary; every burst below is sent 30 s into that minute. */
const MINUTE_START = 1_700_000_040_000
const T = MINUTE_START + 30_000
const SECOND = 1000

// The app's rate limits read this clock, so windows are tested at exact instants rather than
// depending on when the test runs (a real clock can straddle a minute in the middle of a burst).
let now = T
let t: TestApp

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => now })
})
afterAll(async () => t.close())

/** Status and Retry-After of one request at instant `at`. */
async function at(instant: number, send: () => Promise<Response>) {
  now = instant
  const res = await send()
  const retryAfter = res.headers.get('retry-after')
  if (res.status === 429) expect(await res.json()).toEqual({ error: MESSAGE })
  return { status: res.status, retryAfter: retryAfter === null ? null : Number(retryAfter) }
}

/**
 * `n` requests at T are answered with `allowed` (the route's own answer, never a 429 or a
 * 500); the next one is the seed's 429 with `retryAfter`.
 */
async function burst(n: number, send: () => Promise<Response>, allowed: number, retryAfter: number) {
  for (let i = 0; i < n; i++) expect(await at(T, send)).toEqual({ status: allowed, retryAfter: null })
  expect(await at(T, send)).toEqual({ status: 429, retryAfter })
}

const chat = (token: string) => () => t.request('POST', '/api/chat', { token, json: { messages: [] } })
const ingest = (token: string) => () => {
  const form = new FormData()
  form.append('text', 'rate limit probe text')
  return t.request('POST', '/api/ingest', { token, body: form })
}
const remove = (token: string) => () => t.request('DELETE', '/api/documents?id=999999&source=x', { token })
// Ingest and chat answer 503 where the database has no pgvector (after counting the hit);
// with it, this chat body is refused as invalid.
const INGESTED = testDatabaseHasVector() ? 200 : 503
const CHATTED = testDatabaseHasVector() ? 400 : 503

describe('docs rate limits (seed 004 table, per user)', () => {
  test('POST /api/chat: 20 per sliding minute, per user', async () => {
    const u = await t.user('rl-chat')
    await burst(20, chat(u.token), CHATTED, 60)
    // Sliding: the burst at T still counts at T+59 s (a fixed window would have reset at T+30 s)…
    expect(await at(T + 31 * SECOND, chat(u.token))).toEqual({ status: 429, retryAfter: 29 })
    expect(await at(T + 59 * SECOND, chat(u.token))).toEqual({ status: 429, retryAfter: 1 })
    // …and has left the window at T+61 s.
    expect(await at(T + 61 * SECOND, chat(u.token))).toEqual({ status: CHATTED, retryAfter: null })
    const other = await t.user('rl-chat-other')
    expect(await at(T, chat(other.token))).toEqual({ status: CHATTED, retryAfter: null })
  })

  test('POST /api/ingest: 5 per fixed (calendar) minute', async () => {
    const u = await t.user('rl-ingest')
    await burst(5, ingest(u.token), INGESTED, 30)
    expect(await at(MINUTE_START + 59 * SECOND, ingest(u.token))).toEqual({ status: 429, retryAfter: 1 })
    // Fixed: the next minute starts afresh, though the burst is only 31 s old (sliding would refuse).
    expect(await at(MINUTE_START + 61 * SECOND, ingest(u.token))).toEqual({ status: INGESTED, retryAfter: null })
  })

  test('DELETE /api/documents: 10 per sliding minute', async () => {
    const u = await t.user('rl-delete')
    await burst(10, remove(u.token), 404, 60)
    expect(await at(T + 59 * SECOND, remove(u.token))).toEqual({ status: 429, retryAfter: 1 })
    expect(await at(T + 61 * SECOND, remove(u.token))).toEqual({ status: 404, retryAfter: null })
  })

  test('the three limits count separately', async () => {
    const u = await t.user('rl-separate')
    await burst(10, remove(u.token), 404, 60)
    expect(await at(T, chat(u.token))).toEqual({ status: CHATTED, retryAfter: null })
    expect(await at(T, ingest(u.token))).toEqual({ status: INGESTED, retryAfter: null })
  })
})

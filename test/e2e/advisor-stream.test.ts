import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { createTestApp, type TestApp } from '../support/app'
import { startFakeOpenAi } from '../fakes/fake-openai'
import { repeatedText, type FakeServer } from '../fakes/fake-script'
import { messages } from '../../src/platform/db/schema'

const AI_TIMEOUT_MS = 400

let fake: FakeServer
let t: TestApp
let base: string

beforeAll(async () => {
  fake = startFakeOpenAi()
  t = await createTestApp({ AI_PROVIDER: 'openai', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url, AI_TIMEOUT_MS: String(AI_TIMEOUT_MS) })
  base = await t.listen()
})
afterAll(async () => {
  await t.close()
  await fake.stop()
})
beforeEach(() => fake.setScript({}))

/** Reads an SSE body event by event as the bytes arrive. */
async function* readSse(res: Response): AsyncGenerator<any> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      if (block.startsWith('data: ')) yield JSON.parse(block.slice(6))
    }
  }
}

const post = (path: string, token: string, json: unknown, signal?: AbortSignal) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
    signal,
  })
/** A response's JSON, untyped: the tests assert shapes rather than declare them. */
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json()
const history = (token: string) => json(fetch(`${base}/api/v1/chat/`, { headers: { authorization: `Bearer ${token}` } }))

describe('finance chat through the OpenAI provider', () => {
  test('the answer is streamed event by event, grounded in the spending facts, and stored', async () => {
    const user = await t.user('e2e-stream', '스트림')
    await post('/api/v1/transactions/', user.token, { amount: 77000, category: '외식', merchant: '고깃집', occurred_at: new Date(Date.now() - 1000).toISOString() })
    fake.setScript({ text: '이번 달 외식에 77,000원을 쓰셨어요. 주 1회로 줄여 보세요.', tokensPerChunk: 1, chunkDelayMs: 5 })
    const res = await post('/api/v1/chat/stream/', user.token, { message: '외식비 어때?' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toStartWith('text/event-stream')
    const events: any[] = []
    for await (const e of readSse(res)) events.push(e)
    expect(events[0].type).toBe('start')
    const deltas = events.filter((e) => e.type === 'delta')
    expect(deltas.length).toBeGreaterThanOrEqual(5)
    const end = events.at(-1)
    expect(end.type).toBe('end')
    expect(end.ai_message.message).toBe('이번 달 외식에 77,000원을 쓰셨어요. 주 1회로 줄여 보세요.')
    expect(deltas.map((d) => d.content).join('')).toBe(end.ai_message.message)

    // The model was told the figures and the question, with the finance-advisor prompt.
    const sent = fake.requests.at(-1)!.body
    const system = sent.messages.find((m: any) => m.role === 'system').content
    expect(system).toContain('금융 상담사')
    expect(system).toContain('77,000원')
    expect(system).toContain('외식')
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: '외식비 어때?' })
    expect(sent.stream).toBe(true)

    expect(await history(user.token)).toEqual([end.user_message, end.ai_message])
  })

  test('POST /api/v1/chat/ answers in one piece and the next question carries the conversation', async () => {
    const user = await t.user('e2e-json', '제이슨')
    fake.setScript({ text: '첫 답변입니다.' })
    const first = await json(post('/api/v1/chat/', user.token, { message: '첫 질문' }))
    expect(first.ai_message.message).toBe('첫 답변입니다.')
    fake.setScript({ text: '두 번째 답변입니다.' })
    await post('/api/v1/chat/', user.token, { message: '두 번째 질문' })
    const turns = fake.requests.at(-1)!.body.messages.filter((m: any) => m.role !== 'system')
    expect(turns).toEqual([
      { role: 'user', content: '첫 질문' },
      { role: 'assistant', content: '첫 답변입니다.' },
      { role: 'user', content: '두 번째 질문' },
    ])
  })

  test('a silent model ends in 504 AI_RESPONSE_TIMEOUT and the question is kept', async () => {
    const user = await t.user('e2e-timeout', '타임아웃')
    fake.setScript({ firstChunkDelayMs: 5_000 })
    const res = await post('/api/v1/chat/', user.token, { message: '느린 질문' })
    expect(res.status).toBe(504)
    expect(await json(res)).toEqual({ error_code: 'AI_RESPONSE_TIMEOUT', message: expect.any(String) })
    const list = await history(user.token)
    expect(list.map((m: any) => [m.message, m.is_user])).toEqual([['느린 질문', true]])
  })

  test('send_message ends in 504 AI_RESPONSE_TIMEOUT when the model is silent', async () => {
    const user = await t.user('e2e-card-timeout', '카드지연')
    const { session_id } = await json(post('/api/v1/chat/make_room/', user.token, {}))
    fake.setScript({ firstChunkDelayMs: 5_000 })
    const res = await post('/api/v1/chat/send_message/', user.token, { question: '교통 카드', session_id })
    expect(res.status).toBe(504)
    expect((await json(res)).error_code).toBe('AI_RESPONSE_TIMEOUT')
    fake.setScript({ text: '교통 카드를 추천합니다.' })
    const ok = await json(post('/api/v1/chat/send_message/', user.token, { question: '교통 카드', session_id }))
    expect(ok.type).toBe('CARD_INFO')
    expect(ok.message).toBe('교통 카드를 추천합니다.')
  })

  test('a stream whose model goes silent ends with an error event', async () => {
    const user = await t.user('e2e-stream-timeout', '스트림지연')
    fake.setScript({ firstChunkDelayMs: 5_000 })
    const res = await post('/api/v1/chat/stream', user.token, { message: '느린 스트림' })
    const events: any[] = []
    for await (const e of readSse(res)) events.push(e)
    expect(events.map((e) => e.type)).toEqual(['start', 'error'])
    expect(events[1]).toEqual({ type: 'error', error_code: 'AI_RESPONSE_TIMEOUT', message: expect.any(String) })
  })

  test('an upstream failure mid-stream sends an error event and stores what was streamed', async () => {
    const user = await t.user('e2e-fail', '실패')
    fake.setScript({ text: 'one two three four five six', tokensPerChunk: 1, failAfterChunks: 3 })
    const res = await post('/api/v1/chat/stream/', user.token, { message: '중간에 끊겨요' })
    const events: any[] = []
    for await (const e of readSse(res)) events.push(e)
    expect(events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'error'])
    expect(events.at(-1).error_code).toBe('AI_SERVICE_ERROR')
    expect(JSON.stringify(events.at(-1))).not.toContain('fake upstream')
    const list = await history(user.token)
    expect(list.map((m: any) => [m.message, m.is_user])).toEqual([
      ['중간에 끊겨요', true],
      ['one two three ', false],
    ])
  })

  test('a client that disconnects cancels the model call; what it saw is stored as aborted', async () => {
    const user = await t.user('e2e-abort', '중단')
    fake.setScript({ text: repeatedText(200), tokensPerChunk: 1, chunkDelayMs: 20 })
    const abortsBefore = fake.aborted()
    const controller = new AbortController()
    const res = await post('/api/v1/chat/stream/', user.token, { message: '길게 말해줘' }, controller.signal)
    let deltas = 0
    // The read must end by the abort: a stream that ran to its end would mean nothing was cancelled.
    const ended = await (async () => {
      for await (const e of readSse(res)) {
        if (e.type === 'delta' && ++deltas === 3) controller.abort()
      }
      return 'completed'
    })().catch((e: unknown) => (e as Error).name)
    expect(ended).toBe('AbortError')
    expect(deltas).toBe(3)
    await fake.waitForAborts(abortsBefore + 1, 3_000)
    // The partial answer is written after the disconnect; poll the database for it.
    const deadline = Date.now() + 3_000
    let stored: (typeof messages.$inferSelect)[] = []
    while (Date.now() < deadline) {
      const room = (await t.database.db.select().from(messages).where(eq(messages.content, '길게 말해줘')))[0]!
      stored = await t.database.db.select().from(messages).where(eq(messages.roomId, room.roomId)).orderBy(messages.id)
      if (stored.length === 2) break
      await Bun.sleep(20)
    }
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant'])
    expect(stored[1]!.content).toStartWith('token0 token1 token2')
    expect(stored[1]!.content.length).toBeLessThan(repeatedText(200).length)
    expect(stored[1]!.payload).toMatchObject({ status: 'aborted', provider: 'openai' })
  })
})

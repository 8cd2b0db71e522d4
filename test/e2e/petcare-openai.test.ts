import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../support/app'
import { startFakeOpenAi } from '../fakes/fake-openai'
import { repeatedText, type FakeServer, type RecordedRequest } from '../fakes/fake-script'

const DOG = { species: 'dog', age: 3, weight_kg: 10, neutered: true, allergies: [] }

let fake: FakeServer
let t: TestApp
let user: { id: string; access_token: string }
beforeAll(async () => {
  fake = startFakeOpenAi()
  t = await createTestApp({ AI_PROVIDER: 'openai', OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.url })
  user = await (await t.request('POST', '/api/users', { json: { cafe24_token: 'cafe24-openai', pets: [{ petnm: '보리', pet_info: DOG }] } })).json()
})
afterAll(async () => {
  await t.close()
  await fake.stop()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Event = Record<string, any>

async function ask(message: string): Promise<Event[]> {
  const res = await t.request('POST', '/api/messages', { json: { userId: user.id, petnm: '보리', content: { message } } })
  expect(res.status).toBe(200)
  return (await res.text())
    .split('\n\n')
    .filter((b) => b.startsWith('data: '))
    .map((b) => JSON.parse(b.slice(6)))
}

const offersTools = (r: RecordedRequest) => Array.isArray(r.body?.tools) && r.body.tools.length > 0

test('the model picks the tool and its search query; the answer and usage come from the model', async () => {
  fake.setScript((r) =>
    offersTools(r)
      ? { toolCall: { name: 'rag', arguments: { search_query: '포도 독성' } } }
      : { text: '포도는 개에게 급성 신부전을 일으킬 수 있어 주면 안 됩니다 [1].', usage: { promptTokens: 321, completionTokens: 17 } },
  )
  const before = fake.requests.length
  const events = await ask('우리 보리한테 포도 줘도 돼?')
  expect(events.map((e) => e.type)).toEqual(['start', 'tool_selection', 'tool_selection', 'rag_flow', 'rag_flow', 'rag_flow', 'end'])
  expect(events[2]!.content).toEqual({ role: 'assistant', content: 'rag' })
  expect(events[4]!.content.search_query).toBe('포도 독성')
  // The fake's embeddings carry no meaning, so only the keyword half of the hybrid ranking is predictable.
  expect(events[4]!.content.search_result.map((h: Event) => h.source)).toContain('toxic-foods.md')
  expect(events[5]!.content).toEqual({ role: 'assistant', content: '포도는 개에게 급성 신부전을 일으킬 수 있어 주면 안 됩니다 [1].' })
  const end = events.at(-1)!
  expect(end.result.usage).toEqual({ prompt_tokens: 321, completion_tokens: 17 })
  expect(end.result.messages.at(-1).token_count).toEqual({ prompt_tokens: 321, completion_tokens: 17, total_tokens: 338 })

  // The tool call offered the three flows; the answer call carried the retrieved passages.
  const calls = fake.requests.slice(before)
  const toolCall = calls.find(offersTools)!
  expect(toolCall.body.tools.map((x: Event) => x.function.name).sort()).toEqual(['basic', 'rag', 'recipe'])
  const answerCall = calls.find((r) => r.path === '/v1/chat/completions' && !offersTools(r))!
  expect(JSON.stringify(answerCall.body.messages)).toContain('급성 신부전')
  expect(answerCall.body.stream).toBe(true)
})

test('an upstream failure after the stream opened ends it with an error event', async () => {
  fake.setScript((r) => (offersTools(r) ? { toolCall: { name: 'basic', arguments: {} } } : { errorStatus: 500, errorMessage: 'upstream broke' }))
  const events = await ask('안녕')
  expect(events.slice(0, 4).map((e) => e.type)).toEqual(['start', 'tool_selection', 'tool_selection', 'basic_flow'])
  const last = events.at(-1)!
  expect(last).toEqual({ type: 'error', error: '메시지 처리 중 오류 발생', detail: expect.any(String) })
  expect(events.map((e) => e.type)).not.toContain('end')
  // The user message stays stored.
  const chat = await (await t.request('GET', `/api/chats/${events[0]!.chat_id}`, { token: user.access_token })).json()
  expect(chat.messages[0]).toMatchObject({ role: 'user', content: { message: '안녕' } })

  // A stream cut after some text keeps that text as a partial answer.
  fake.setScript((r) =>
    offersTools(r) ? { toolCall: { name: 'basic', arguments: {} } } : { text: 'one two three four five six', tokensPerChunk: 1, failAfterChunks: 2 },
  )
  const cut = await ask('반가워')
  expect(cut.at(-1)!.type).toBe('error')
  const stored = await (await t.request('GET', `/api/chats/${cut[0]!.chat_id}`, { token: user.access_token })).json()
  expect(stored.messages.map((m: Event) => m.role)).toEqual(['user', 'tool', 'assistant'])
  expect(stored.messages[2].content).toEqual({ message: 'one two ', status: 'partial' })
})

test('a client that disconnects mid-answer cancels the model call', async () => {
  fake.setScript((r) =>
    offersTools(r) ? { toolCall: { name: 'basic', arguments: {} } } : { text: repeatedText(200), tokensPerChunk: 1, chunkDelayMs: 50 },
  )
  const base = await t.listen()
  const aborted = fake.aborted()
  const controller = new AbortController()
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: user.id, petnm: '보리', content: { message: '안녕' } }),
    signal: controller.signal,
  })
  const reader = res.body!.getReader()
  let text = ''
  while (!text.includes('답변 생성 중...')) {
    const { value, done } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  expect(text).toContain('"type":"basic_flow"')
  controller.abort()
  await fake.waitForAborts(aborted + 1, 10_000)
  expect(fake.aborted()).toBeGreaterThan(aborted)
})

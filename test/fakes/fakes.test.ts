import { afterAll, describe, expect, test } from 'bun:test'
import { startFakeGemini } from './fake-gemini'
import { startFakeOpenAi } from './fake-openai'
import { chunkText, fakeVector, repeatedText } from './fake-script'

const post = (url: string, body: unknown, signal?: AbortSignal) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal })

// Untyped on purpose: the tests check the wire bodies field by field.
const postJson = async (url: string, body: unknown): Promise<any> => (await post(url, body)).json()

const dataLines = (text: string) =>
  text
    .split(/\r?\n\r?\n/)
    .filter(Boolean)
    .map((event) => event.replace(/^data: /, ''))

describe('fake OpenAI wire format', () => {
  const fake = startFakeOpenAi()
  afterAll(() => fake.stop())

  test('streams chat.completion.chunk frames, the usage chunk when asked, then [DONE]', async () => {
    fake.setScript({ text: 'a b c', tokensPerChunk: 2, usage: { promptTokens: 5, completionTokens: 3 } })
    const response = await post(`${fake.url}/chat/completions`, {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const lines = dataLines(await response.text())
    expect(lines.at(-1)).toBe('[DONE]')
    const chunks = lines.slice(0, -1).map((l) => JSON.parse(l))
    for (const c of chunks) expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'm' })
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null })
    expect(chunks.slice(1, 3).map((c) => c.choices[0].delta.content)).toEqual(['a b ', 'c'])
    expect(chunks[3].choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' })
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })
    expect(chunks.length).toBe(5)
  })

  test('sends no usage chunk unless include_usage, and answers JSON when not streaming', async () => {
    fake.setScript({ text: 'plain answer' })
    const streamed = dataLines(await (await post(`${fake.url}/chat/completions`, { model: 'm', messages: [], stream: true })).text())
    expect(streamed.some((l) => l.includes('"usage"'))).toBe(false)
    const completion = await postJson(`${fake.url}/chat/completions`, { model: 'm', messages: [] })
    expect(completion).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: 'plain answer' }, finish_reason: 'stop' }],
      usage: { completion_tokens: 2 },
    })
  })

  test('streams tool calls when tools are offered', async () => {
    fake.setScript({ toolCall: { name: 'lookup', arguments: { q: 'x' } } })
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: {} } }]
    const lines = dataLines(await (await post(`${fake.url}/chat/completions`, { model: 'm', messages: [], tools, stream: true })).text())
    const chunks = lines.slice(0, -1).map((l) => JSON.parse(l))
    const args = chunks.map((c) => c.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? '').join('')
    expect(chunks[0].choices[0].delta.tool_calls[0].function.name).toBe('lookup')
    expect(JSON.parse(args)).toEqual({ q: 'x' })
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls')
  })

  test('embeds as float or base64 with the requested dimensions', async () => {
    const float = await postJson(`${fake.url}/embeddings`, { model: 'e', input: ['x', 'y'], dimensions: 4 })
    expect(float.data.map((d: { embedding: number[] }) => d.embedding)).toEqual([fakeVector('x', 4), fakeVector('y', 4)])
    const b64 = await postJson(`${fake.url}/embeddings`, { model: 'e', input: 'x', dimensions: 4, encoding_format: 'base64' })
    const bytes = new Uint8Array(Buffer.from(b64.data[0].embedding, 'base64'))
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual(fakeVector('x', 4))
  })

  test('answers errors in OpenAI shape and records requests', async () => {
    fake.setScript({ errorStatus: 429, errorMessage: 'slow down' })
    const response = await post(`${fake.url}/chat/completions`, { model: 'm', messages: [] })
    expect(response.status).toBe(429)
    expect(await response.json()).toEqual({ error: { message: 'slow down', type: 'rate_limit_exceeded', param: null, code: 'rate_limit_exceeded' } })
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'm' } })
  })

  test('counts a client that leaves a slow stream as an abort', async () => {
    fake.setScript({ text: repeatedText(10), tokensPerChunk: 1, chunkDelayMs: 200 })
    const before = fake.aborted()
    const controller = new AbortController()
    const response = await post(`${fake.url}/chat/completions`, { model: 'm', messages: [], stream: true }, controller.signal)
    await response.body!.getReader().read()
    controller.abort()
    await fake.waitForAborts(before + 1)
  })

  test('chooses the script per request when given a function', async () => {
    fake.setScript((req) => ({ text: req.body?.model === 'a' ? 'for a' : 'for others' }))
    const a = await postJson(`${fake.url}/chat/completions`, { model: 'a', messages: [] })
    const b = await postJson(`${fake.url}/chat/completions`, { model: 'b', messages: [] })
    expect([a.choices[0].message.content, b.choices[0].message.content]).toEqual(['for a', 'for others'])
  })
})

describe('fake Gemini wire format', () => {
  const fake = startFakeGemini()
  afterAll(() => fake.stop())

  test('streams GenerateContentResponse frames with the usage on the last one', async () => {
    fake.setScript({ text: 'un deux trois', tokensPerChunk: 1 })
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }
    const lines = dataLines(await (await post(`${fake.url}/v1beta/models/g:streamGenerateContent?alt=sse`, body)).text())
    const frames = lines.map((l) => JSON.parse(l))
    expect(frames.map((f) => f.candidates[0].content.parts[0].text)).toEqual(['un ', 'deux ', 'trois'])
    expect(frames.map((f) => f.candidates[0].content.role)).toEqual(['model', 'model', 'model'])
    expect(frames[2].candidates[0].finishReason).toBe('STOP')
    expect(frames[2].usageMetadata.candidatesTokenCount).toBe(3)
  })

  test('answers function calls, embeddings and errors in Gemini shape', async () => {
    fake.setScript({})
    const withTools = await postJson(`${fake.url}/v1/models/g:generateContent`, {
      contents: [],
      tools: [{ functionDeclarations: [{ name: 'search' }] }],
    })
    expect(withTools.candidates[0].content.parts[0]).toEqual({ functionCall: { name: 'search', args: {} } })

    const embedded = await postJson(`${fake.url}/v1beta/models/e:batchEmbedContents`, {
      requests: [{ model: 'models/e', content: { parts: [{ text: 'x' }] }, outputDimensionality: 5 }],
    })
    expect(embedded).toEqual({ embeddings: [{ values: fakeVector('x', 5) }] })

    fake.setScript({ errorStatus: 400, errorMessage: 'bad' })
    const failed = await post(`${fake.url}/v1beta/models/g:generateContent`, { contents: [] })
    expect(failed.status).toBe(400)
    expect(await failed.json()).toEqual({ error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } })
  })

  test('fails mid-stream with an error frame', async () => {
    fake.setScript({ text: 'a b c', tokensPerChunk: 1, failAfterChunks: 1 })
    const lines = dataLines(await (await post(`${fake.url}/v1beta/models/g:streamGenerateContent?alt=sse`, { contents: [] })).text())
    expect(JSON.parse(lines[1] as string)).toEqual({ error: { code: 500, message: 'The fake upstream failed.', status: 'INTERNAL' } })
    expect(lines.length).toBe(2)
  })
})

test('chunkText keeps every character', () => {
  expect(chunkText(' a  b\nc ', 2).join('')).toBe(' a  b\nc ')
  expect(chunkText(repeatedText(5), 2).length).toBe(3)
})

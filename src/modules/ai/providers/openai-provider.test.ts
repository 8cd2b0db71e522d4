import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { startFakeOpenAi } from '../../../../test/fakes/fake-openai'
import { fakeVector } from '../../../../test/fakes/fake-script'
import { drainChat } from '../../../../test/support/drain-chat'
import { AppError } from '../../../platform/errors'
import { createOpenAiChat, createOpenAiEmbedder } from './openai-provider'

const fake = startFakeOpenAi()
afterAll(() => fake.stop())
beforeEach(() => {
  fake.setScript({})
  fake.requests.length = 0
})

const connection = () => ({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0, timeoutMs: 2000 })
const question = [{ role: 'user' as const, content: 'What is the refund policy?' }]

const drain = drainChat

describe('openai chat provider', () => {
  test('streams the text in chunks and reports the upstream usage last', async () => {
    fake.setScript({ text: 'Refunds are possible within thirty days.', tokensPerChunk: 2, usage: { promptTokens: 21, completionTokens: 7 } })
    const chat = createOpenAiChat({ ...connection(), model: 'gpt-test' })
    const { chunks, text, error } = await drain(chat.stream({ messages: question }))
    expect(error).toBeUndefined()
    expect(text).toBe('Refunds are possible within thirty days.')
    expect(chunks.filter((c) => c.type === 'text').length).toBe(3)
    expect(chunks.at(-1)).toEqual({ type: 'usage', promptTokens: 21, completionTokens: 7 })
    const body = fake.requests[0]?.body
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions')
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-test')
    expect(body.model).toBe('gpt-test')
    expect(body.stream).toBe(true)
    expect(body.stream_options).toEqual({ include_usage: true })
    expect(chat.model).toBe('gpt-test')
  })

  test('puts system text and numbered grounding into the system message', async () => {
    const chat = createOpenAiChat(connection())
    await chat.complete({
      system: 'You are a helpful assistant.',
      messages: question,
      grounding: { passages: [{ index: 1, source: 'policy.pdf', content: 'Refunds within 30 days.' }], facts: ['Plan: premium'] },
    })
    const messages = fake.requests[0]?.body.messages
    expect(messages[0].role).toBe('system')
    expect(messages[0].content).toContain('You are a helpful assistant.')
    expect(messages[0].content).toContain('[1] (source: policy.pdf)')
    expect(messages[0].content).toContain('Refunds within 30 days.')
    expect(messages[0].content).toContain('- Plan: premium')
    expect(messages[0].content).toContain('[n]')
    expect(messages[1]).toEqual({ role: 'user', content: 'What is the refund policy?' })
  })

  test('complete joins the stream', async () => {
    fake.setScript({ text: 'One two three four five.', usage: { promptTokens: 3, completionTokens: 5 } })
    const result = await createOpenAiChat(connection()).complete({ messages: question })
    expect(result).toEqual({ text: 'One two three four five.', usage: { promptTokens: 3, completionTokens: 5 } })
  })

  test('an error event mid-stream is UPSTREAM_FAILED with the text so far', async () => {
    fake.setScript({ text: 'alpha beta gamma delta epsilon', tokensPerChunk: 1, failAfterChunks: 2 })
    const { text, error } = await drain(createOpenAiChat(connection()).stream({ messages: question }))
    expect(text).toBe('alpha beta ')
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
    expect((error as AppError).details?.partialText).toBe('alpha beta ')
    expect((error as AppError).message).not.toContain('fake upstream')
  })

  test('a dropped connection mid-stream is UPSTREAM_FAILED too', async () => {
    fake.setScript({ text: 'alpha beta gamma delta', tokensPerChunk: 1, failAfterChunks: 1, failMode: 'disconnect' })
    const { error } = await drain(createOpenAiChat(connection()).stream({ messages: question }))
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
    expect((error as AppError).details?.partialText).toBe('alpha ')
  })

  test('an HTTP error status is UPSTREAM_FAILED with the status', async () => {
    fake.setScript({ errorStatus: 401, errorMessage: 'Incorrect API key provided: sk-test' })
    const { error } = await drain(createOpenAiChat(connection()).stream({ messages: question }))
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
    expect((error as AppError).details?.upstreamStatus).toBe(401)
    expect((error as AppError).message).not.toContain('sk-test')
  })

  test('a first chunk slower than the timeout is TIMEOUT and the upstream is abandoned', async () => {
    fake.setScript({ firstChunkDelayMs: 1500 })
    const { error } = await drain(createOpenAiChat(connection()).stream({ messages: question, timeoutMs: 100 }))
    expect((error as AppError).code).toBe('TIMEOUT')
    await fake.waitForAborts(1)
  })

  test('a stall between chunks is TIMEOUT with the text so far', async () => {
    // The timeout must cover opening the request on a busy machine, so the stall is far longer than it.
    fake.setScript({ text: 'one two three', tokensPerChunk: 1, chunkDelayMs: 20_000 })
    const { error } = await drain(createOpenAiChat(connection()).stream({ messages: question, timeoutMs: 1000 }))
    expect((error as AppError).code).toBe('TIMEOUT')
    expect((error as AppError).details?.partialText).toBe('one ')
  })

  test('a consumer slower than the timeout never times a prompt upstream out, and a stall after it still does', async () => {
    // Chunks are ready at once; the consumer takes 1.5 timeouts over the first. The idle timer
    // runs only while a chunk is awaited, so its tick during the consumer's work must not count.
    fake.setScript({ text: 'one two three four', tokensPerChunk: 1 })
    const texts: string[] = []
    for await (const chunk of createOpenAiChat(connection()).stream({ messages: question, timeoutMs: 1000 })) {
      if (chunk.type === 'text') texts.push(chunk.text)
      if (texts.length === 1) await Bun.sleep(1500)
    }
    expect(texts.join('')).toBe('one two three four')

    fake.setScript({ text: 'one two three', tokensPerChunk: 1, chunkDelayMs: 20_000 })
    const seen: string[] = []
    let error: unknown
    try {
      for await (const chunk of createOpenAiChat(connection()).stream({ messages: question, timeoutMs: 1000 })) {
        if (chunk.type === 'text') seen.push(chunk.text)
        await Bun.sleep(1500)
      }
    } catch (e) {
      error = e
    }
    expect((error as AppError).code).toBe('TIMEOUT')
    expect(seen).toEqual(['one '])
  })

  test('aborting the signal cancels the upstream request', async () => {
    fake.setScript({ text: 'one two three four', tokensPerChunk: 1, chunkDelayMs: 300 })
    const controller = new AbortController()
    const chunks: string[] = []
    let error: unknown
    try {
      for await (const chunk of createOpenAiChat(connection()).stream({ messages: question, signal: controller.signal })) {
        if (chunk.type === 'text') chunks.push(chunk.text)
        controller.abort()
      }
    } catch (e) {
      error = e
    }
    expect(chunks).toEqual(['one '])
    expect((error as Error).name).toBe('AbortError')
    await fake.waitForAborts(1)
  })

  test('a consumer that stops iterating cancels the upstream request', async () => {
    fake.setScript({ text: 'one two three four', tokensPerChunk: 1, chunkDelayMs: 300 })
    for await (const chunk of createOpenAiChat(connection()).stream({ messages: question })) {
      if (chunk.type === 'text') break
    }
    await fake.waitForAborts(1)
  })

  test('chooseTool uses function calling with tool_choice required', async () => {
    fake.setScript({ toolCall: { name: 'recipe', arguments: { ingredients: ['apple'] } } })
    const choice = await createOpenAiChat(connection()).chooseTool({
      messages: question,
      tools: [
        { name: 'basic', description: 'Small talk' },
        { name: 'recipe', description: 'Make a recipe', parameters: { type: 'object', properties: { ingredients: { type: 'array' } } } },
      ],
    })
    expect(choice).toEqual({ tool: 'recipe', arguments: { ingredients: ['apple'] } })
    const body = fake.requests[0]?.body
    expect(body.tool_choice).toBe('required')
    expect(body.tools[1]).toEqual({
      type: 'function',
      function: { name: 'recipe', description: 'Make a recipe', parameters: { type: 'object', properties: { ingredients: { type: 'array' } } } },
    })
    expect(body.tools[0].function.parameters).toEqual({ type: 'object', properties: {} })
  })

  test('chooseTool times out as TIMEOUT', async () => {
    fake.setScript({ firstChunkDelayMs: 1500 })
    const error = await createOpenAiChat(connection())
      .chooseTool({ messages: question, tools: [{ name: 'basic', description: 'x' }], timeoutMs: 100 })
      .catch((e) => e)
    expect((error as AppError).code).toBe('TIMEOUT')
    await fake.waitForAborts(1)
  })
})

describe('openai embedder', () => {
  const texts = ['first text', 'second text', 'third text']

  test('decodes base64 embeddings of the configured dimension', async () => {
    const embedder = createOpenAiEmbedder({ ...connection(), dim: 8 })
    const vectors = await embedder.embed(texts)
    const body = fake.requests[0]?.body
    expect(body.encoding_format).toBe('base64')
    expect(body.dimensions).toBe(8)
    expect(body.model).toBe('text-embedding-3-small')
    expect(vectors.length).toBe(3)
    vectors.forEach((v, i) => {
      const expected = fakeVector(texts[i] as string, 8)
      v.forEach((x, j) => expect(x).toBeCloseTo(expected[j] as number, 5))
    })
  })

  test('reads float embeddings as well, with the same numbers', async () => {
    const asFloat = await createOpenAiEmbedder({ ...connection(), dim: 16, encodingFormat: 'float' }).embed(texts)
    const asBase64 = await createOpenAiEmbedder({ ...connection(), dim: 16 }).embed(texts)
    expect(fake.requests[0]?.body.encoding_format).toBe('float')
    asFloat.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(asBase64[i]?.[j] as number, 6)))
    for (const v of asFloat) expect(Math.hypot(...v)).toBeCloseTo(1, 6)
  })

  test('sends large inputs in batches and keeps the order', async () => {
    const many = Array.from({ length: 7 }, (_, i) => `text number ${i}`)
    const vectors = await createOpenAiEmbedder({ ...connection(), dim: 4, batchSize: 3 }).embed(many)
    expect(fake.requests.map((r) => r.body.input.length)).toEqual([3, 3, 1])
    vectors.forEach((v, i) => expect(v[0]).toBeCloseTo(fakeVector(many[i] as string, 4)[0] as number, 5))
  })

  test('a server answering another dimension is UPSTREAM_FAILED', async () => {
    fake.setScript({ embeddingDim: 12 })
    const error = await createOpenAiEmbedder({ ...connection(), dim: 8 }).embed(['x']).catch((e) => e)
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
    expect((error as AppError).details).toMatchObject({ expected: 8, received: 12 })
  })

  test('an upstream error is UPSTREAM_FAILED', async () => {
    fake.setScript({ errorStatus: 500 })
    const error = await createOpenAiEmbedder({ ...connection(), dim: 4 }).embed(['x']).catch((e) => e)
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
    expect((error as AppError).details?.upstreamStatus).toBe(500)
  })
})

import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { startFakeGemini } from '../../../../test/fakes/fake-gemini'
import { fakeVector } from '../../../../test/fakes/fake-script'
import { drainChat } from '../../../../test/support/drain-chat'
import { AppError } from '../../../platform/errors'
import { createGeminiChat, createGeminiEmbedder } from './gemini-provider'

const fake = startFakeGemini()
afterAll(() => fake.stop())
beforeEach(() => {
  fake.setScript({})
  fake.requests.length = 0
})

const connection = () => ({ apiKey: 'gm-test', baseURL: fake.url, timeoutMs: 2000 })
const conversation = [
  { role: 'user' as const, content: '안녕하세요' },
  { role: 'assistant' as const, content: '무엇을 도와드릴까요?' },
  { role: 'user' as const, content: '환불 규정이 어떻게 되나요?' },
]

const drain = drainChat

describe('gemini chat provider', () => {
  test('streams through :streamGenerateContent?alt=sse on v1beta with usage from usageMetadata', async () => {
    fake.setScript({ text: '30일 이내에 환불이 가능합니다.', tokensPerChunk: 1, usage: { promptTokens: 40, completionTokens: 9 } })
    const chat = createGeminiChat({ ...connection(), model: 'gemini-test' })
    const { chunks, text, error } = await drain(chat.stream({ messages: conversation, system: '친절하게 답하세요.' }))
    expect(error).toBeUndefined()
    expect(text).toBe('30일 이내에 환불이 가능합니다.')
    expect(chunks.filter((c) => c.type === 'text').length).toBe(4)
    expect(chunks.at(-1)).toEqual({ type: 'usage', promptTokens: 40, completionTokens: 9 })
    expect(chunks.filter((c) => c.type === 'usage').length).toBe(1)

    const request = fake.requests[0]
    expect(request?.path).toBe('/v1beta/models/gemini-test:streamGenerateContent')
    expect(request?.query.alt).toBe('sse')
    expect(request?.headers['x-goog-api-key']).toBe('gm-test')
    expect(request?.body.contents.map((c: { role: string }) => c.role)).toEqual(['user', 'model', 'user'])
    expect(request?.body.systemInstruction.parts[0].text).toContain('친절하게 답하세요.')
  })

  test('puts the grounding into the system instruction', async () => {
    await createGeminiChat(connection()).complete({
      messages: conversation,
      grounding: { passages: [{ index: 2, source: 'policy.pdf', content: '환불은 30일 이내' }], emptyNotice: '관련 문서가 없습니다.' },
    })
    const system = fake.requests[0]?.body.systemInstruction.parts[0].text as string
    expect(system).toContain('[2] (source: policy.pdf)')
    expect(system).toContain('환불은 30일 이내')
    expect(system).toContain('관련 문서가 없습니다.')
  })

  test('an error event mid-stream is UPSTREAM_FAILED with the text so far', async () => {
    fake.setScript({ text: 'alpha beta gamma delta', tokensPerChunk: 1, failAfterChunks: 2 })
    const { text, error } = await drain(createGeminiChat(connection()).stream({ messages: conversation }))
    expect(text).toBe('alpha beta ')
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
    expect((error as AppError).details?.partialText).toBe('alpha beta ')
    expect((error as AppError).details?.upstreamStatus).toBe(500)
  })

  test('an HTTP error status is UPSTREAM_FAILED with the status', async () => {
    fake.setScript({ errorStatus: 429, errorMessage: 'Quota exceeded' })
    const { error } = await drain(createGeminiChat(connection()).stream({ messages: conversation }))
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
    expect((error as AppError).details?.upstreamStatus).toBe(429)
  })

  test('a first chunk slower than the timeout is TIMEOUT and the upstream is abandoned', async () => {
    fake.setScript({ firstChunkDelayMs: 1500 })
    const { error } = await drain(createGeminiChat(connection()).stream({ messages: conversation, timeoutMs: 100 }))
    expect((error as AppError).code).toBe('TIMEOUT')
    await fake.waitForAborts(1)
  })

  test('aborting the signal cancels the upstream request', async () => {
    fake.setScript({ text: 'one two three four', tokensPerChunk: 1, chunkDelayMs: 300 })
    const controller = new AbortController()
    let error: unknown
    try {
      for await (const chunk of createGeminiChat(connection()).stream({ messages: conversation, signal: controller.signal })) {
        if (chunk.type === 'text') controller.abort()
      }
    } catch (e) {
      error = e
    }
    expect((error as Error).name).toBe('AbortError')
    await fake.waitForAborts(1)
  })

  test('a consumer that stops iterating cancels the upstream request', async () => {
    fake.setScript({ text: 'one two three four', tokensPerChunk: 1, chunkDelayMs: 300 })
    for await (const chunk of createGeminiChat(connection()).stream({ messages: conversation })) {
      if (chunk.type === 'text') break
    }
    await fake.waitForAborts(1)
  })

  test('chooseTool declares functions with calling mode ANY', async () => {
    fake.setScript({ toolCall: { name: 'rag', arguments: { search_query: '환불 규정' } } })
    const choice = await createGeminiChat(connection()).chooseTool({
      messages: conversation,
      tools: [
        { name: 'basic', description: 'Small talk' },
        { name: 'rag', description: 'Search documents', parameters: { type: 'object', properties: { search_query: { type: 'string' } } } },
      ],
    })
    expect(choice).toEqual({ tool: 'rag', arguments: { search_query: '환불 규정' } })
    const body = fake.requests[0]?.body
    expect(fake.requests[0]?.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent')
    expect(body.toolConfig.functionCallingConfig.mode).toBe('ANY')
    expect(body.tools[0].functionDeclarations[1]).toEqual({
      name: 'rag',
      description: 'Search documents',
      parametersJsonSchema: { type: 'object', properties: { search_query: { type: 'string' } } },
    })
  })

  test('chooseTool maps upstream errors', async () => {
    fake.setScript({ errorStatus: 400 })
    const error = await createGeminiChat(connection())
      .chooseTool({ messages: conversation, tools: [{ name: 'basic', description: 'x' }] })
      .catch((e) => e)
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
    expect((error as AppError).details?.upstreamStatus).toBe(400)
  })
})

describe('gemini embedder', () => {
  test('embeds through :batchEmbedContents with outputDimensionality, unit length, in order', async () => {
    const texts = ['교통카드 혜택', '반려견 사료', 'refund policy']
    const vectors = await createGeminiEmbedder({ ...connection(), dim: 6 }).embed(texts)
    const request = fake.requests[0]
    expect(request?.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents')
    expect(request?.body.requests.length).toBe(3)
    expect(request?.body.requests[0].outputDimensionality).toBe(6)
    expect(request?.body.requests[1].content.parts[0].text).toBe('반려견 사료')
    vectors.forEach((v, i) => {
      expect(v.length).toBe(6)
      const expected = fakeVector(texts[i] as string, 6)
      v.forEach((x, j) => expect(x).toBeCloseTo(expected[j] as number, 5))
    })
  })

  test('batches at most 100 texts a request', async () => {
    const texts = Array.from({ length: 130 }, (_, i) => `text ${i}`)
    const vectors = await createGeminiEmbedder({ ...connection(), dim: 3, batchSize: 500 }).embed(texts)
    expect(fake.requests.map((r) => r.body.requests.length)).toEqual([100, 30])
    expect(vectors.length).toBe(130)
  })

  test('a wrong dimension is UPSTREAM_FAILED', async () => {
    fake.setScript({ embeddingDim: 10 })
    const error = await createGeminiEmbedder({ ...connection(), dim: 6 }).embed(['x']).catch((e) => e)
    expect((error as AppError).code).toBe('UPSTREAM_FAILED')
  })
})

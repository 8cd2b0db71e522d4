import { afterAll, describe, expect, test } from 'bun:test'
import { startFakeGemini } from '../../../test/fakes/fake-gemini'
import { startFakeOpenAi } from '../../../test/fakes/fake-openai'
import { AppError } from '../../platform/errors'
import { type AiConfig, chooseProvider, createAi } from './provider-factory'

const openaiFake = startFakeOpenAi({ script: { text: 'from openai' } })
const geminiFake = startFakeGemini({ script: { text: 'from gemini' } })
afterAll(async () => {
  await openaiFake.stop()
  await geminiFake.stop()
})

const base: AiConfig = { openai: {}, gemini: {}, embeddingDim: 16, timeoutMs: 2000 }
const question = { messages: [{ role: 'user' as const, content: 'hello' }] }

describe('chooseProvider', () => {
  test('follows the default rule, and an explicit choice wins', () => {
    expect(chooseProvider(base)).toBe('offline')
    expect(chooseProvider({ ...base, gemini: { apiKey: 'g' } })).toBe('gemini')
    expect(chooseProvider({ ...base, openai: { apiKey: 'o' }, gemini: { apiKey: 'g' } })).toBe('openai')
    expect(chooseProvider({ ...base, provider: 'offline', openai: { apiKey: 'o' } })).toBe('offline')
  })
})

describe('createAi', () => {
  test('offline by default, with the configured embedding size', async () => {
    const ai = await createAi(base)
    expect(ai.chat.name).toBe('offline')
    expect(ai.chat.model).toBe('offline')
    expect(ai.embedder.dim).toBe(16)
    expect((await ai.embedder.embed(['x']))[0]?.length).toBe(16)
  })

  test('openai with a key, pointed at its base URL, for chat and embeddings', async () => {
    const ai = await createAi({ ...base, openai: { apiKey: 'o', baseURL: openaiFake.url, maxRetries: 0 } })
    expect(ai.chat.name).toBe('openai')
    expect(ai.chat.model).toBe('gpt-4o-mini')
    expect(ai.embedder.model).toBe('text-embedding-3-small')
    expect((await ai.chat.complete(question)).text).toBe('from openai')
    expect((await ai.embedder.embed(['a', 'b'])).map((v) => v.length)).toEqual([16, 16])
  })

  test('an OpenAI-compatible server without a key is fine when chosen explicitly', async () => {
    const ai = await createAi({ ...base, provider: 'openai', openai: { baseURL: openaiFake.url, model: 'llama3', maxRetries: 0 } })
    expect((await ai.chat.complete(question)).text).toBe('from openai')
    expect(openaiFake.requests.at(-1)?.body.model).toBe('llama3')
  })

  test('gemini with a key, pointed at its base URL', async () => {
    const ai = await createAi({ ...base, gemini: { apiKey: 'g', baseURL: geminiFake.url, model: 'gemini-x', embeddingModel: 'emb-x' } })
    expect(ai.chat.name).toBe('gemini')
    expect((await ai.chat.complete(question)).text).toBe('from gemini')
    expect((await ai.embedder.embed(['a']))[0]?.length).toBe(16)
    expect(geminiFake.requests.map((r) => r.path)).toEqual([
      '/v1beta/models/gemini-x:streamGenerateContent',
      '/v1beta/models/emb-x:batchEmbedContents',
    ])
  })

  test('a network provider chosen without key or base URL fails at start', async () => {
    for (const provider of ['openai', 'gemini'] as const) {
      let error: unknown
      try {
        await createAi({ ...base, provider })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(AppError)
    }
  })
})

import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { startFakeOpenAi } from '../../../test/fakes/fake-openai'
import { AppError } from '../../platform/errors'
import { createOfflineChat } from './providers/offline-provider'
import { createOpenAiChat } from './providers/openai-provider'
import { routeMessage } from './tool-router'
import type { ToolSpec } from './types'

const tools: ToolSpec[] = [
  { name: 'basic_flow', description: 'Answer directly' },
  { name: 'recipe_flow', description: 'Create a recipe', keywords: ['레시피', 'recipe'] },
  { name: 'rag_flow', description: 'Search the knowledge base', keywords: ['영양', 'nutrition'] },
]
const messages = [{ role: 'user' as const, content: '강아지 영양 정보 알려줘' }]

const fake = startFakeOpenAi()
afterAll(() => fake.stop())
beforeEach(() => {
  fake.setScript({})
  fake.requests.length = 0
})
const openai = () => createOpenAiChat({ apiKey: 'k', baseURL: fake.url, maxRetries: 0, timeoutMs: 2000 })

describe('routeMessage', () => {
  test('routes with the offline rules', async () => {
    const routed = await routeMessage({ chat: createOfflineChat(), tools, messages })
    expect(routed).toEqual({ tool: 'rag_flow', arguments: {}, fallback: false }) // keywords decide when no tool has examples
  })

  test('takes the model choice when it names a known tool', async () => {
    fake.setScript({ toolCall: { name: 'recipe_flow', arguments: { dish: 'stew' } } })
    const routed = await routeMessage({ chat: openai(), tools, messages })
    expect(routed).toEqual({ tool: 'recipe_flow', arguments: { dish: 'stew' }, fallback: false })
  })

  test('falls back to the first tool when the model names an unknown tool', async () => {
    fake.setScript({ toolCall: { name: 'delete_everything', arguments: {} } })
    const routed = await routeMessage({ chat: openai(), tools, messages })
    expect(routed).toMatchObject({ tool: 'basic_flow', arguments: {}, fallback: true })
    expect(String(routed.error)).toContain('delete_everything')
  })

  test('falls back to the first tool when the choice fails or times out', async () => {
    fake.setScript({ errorStatus: 503 })
    const failed = await routeMessage({ chat: openai(), tools, messages })
    expect(failed).toMatchObject({ tool: 'basic_flow', fallback: true })
    expect((failed.error as AppError).code).toBe('UPSTREAM_FAILED')

    fake.setScript({ firstChunkDelayMs: 1000 })
    const slow = await routeMessage({ chat: openai(), tools, messages, timeoutMs: 50 })
    expect(slow).toMatchObject({ tool: 'basic_flow', fallback: true })
    expect((slow.error as AppError).code).toBe('TIMEOUT')
  })

  test('rethrows an abort instead of routing', async () => {
    fake.setScript({ firstChunkDelayMs: 1000 })
    const controller = new AbortController()
    const pending = routeMessage({ chat: openai(), tools, messages, signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    const error = await pending.catch((e) => e)
    expect((error as Error).name).toBe('AbortError')
    await fake.waitForAborts(1)
  })

  test('refuses an empty tool list', async () => {
    const error = await routeMessage({ chat: createOfflineChat(), tools: [], messages }).catch((e) => e)
    expect((error as AppError).code).toBe('INTERNAL')
  })
})

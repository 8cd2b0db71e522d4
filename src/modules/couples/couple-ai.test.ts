import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { startFakeOpenAi } from '../../../test/fakes/fake-openai'
import { createOfflineChat } from '../ai/providers/offline-provider'
import { createOpenAiChat } from '../ai/providers/openai-provider'
import type { Message } from '../messaging/message-repo'
import { addressedQuestion, createCoupleAi, TOPIC_SUGGESTIONS } from './couple-ai'
import type { CoupleSession } from './couple-repo'

const at = new Date('2025-06-01T10:00:00Z')
let nextId = 1
const said = (speaker: 'A' | 'B' | 'AI', content: string): Message =>
  ({ id: nextId++, roomId: 1, senderId: speaker === 'AI' ? null : 1, speaker, content, sessionId: 1, createdAt: at }) as Message
const session = (over: Partial<CoupleSession> = {}): CoupleSession =>
  ({ id: 1, roomId: 1, topic: null, status: 'active', turnCount: 3, pendingQuestion: null, ...over }) as CoupleSession

const conversation = [
  said('A', '다음 달 여행은 제주도 어때?'),
  said('B', '제주도 좋아, 바다 보고 싶어'),
  said('A', '그럼 비행기표 알아볼게'),
  said('B', '@ai 제주도에서 뭐 하면 좋을까?'),
]

describe('addressedQuestion', () => {
  test('@ai and AI야 at the start address the AI; the question is what follows', () => {
    expect(addressedQuestion('@ai 제주도에서 뭐 하지?')).toBe('제주도에서 뭐 하지?')
    expect(addressedQuestion('  @AI, 추천해 줘')).toBe('추천해 줘')
    expect(addressedQuestion('AI야 오늘 뭐 먹을까')).toBe('오늘 뭐 먹을까')
    expect(addressedQuestion('ai야')).toBe('ai야')
  })

  test('anything else does not', () => {
    for (const text of ['안녕 @ai', '@aide 하나', 'AI가 좋아', '오늘 AI야 얘기했어']) expect(addressedQuestion(text)).toBeNull()
  })
})

describe('the AI participant, offline', () => {
  const ai = createCoupleAi({ chat: createOfflineChat() })

  test('answers from what the partners said, citing them, never from the question itself', async () => {
    const answer = await ai.answer('제주도에서 뭐 하면 좋을까?', conversation, session())
    expect(answer).toContain('제주도 좋아, 바다 보고 싶어')
    expect(answer).toMatch(/\[\d\]/)
    expect(answer).not.toContain('뭐 하면 좋을까')
  })

  test('with nothing said yet, says so instead of inventing', async () => {
    expect(await ai.answer('우리 뭐 할까?', [], session())).toContain('아직 나눈 대화가 없어서')
  })

  test('a summary is grounded in the conversation and counts who said what', async () => {
    const summary = await ai.summarise(conversation, session({ topic: '함께 가 보고 싶은 여행지' }))
    expect(summary).toContain('제주도')
    expect(summary).toContain('A 2개, B 2개')
    expect(summary).toContain('함께 가 보고 싶은 여행지')
  })

  test('the question names the turns and the topic; topic suggestions rotate and never repeat the current one', () => {
    expect(ai.question(session({ topic: '요즘 서로에게 가장 고마웠던 순간', turnCount: 6 }))).toBe(
      "'요즘 서로에게 가장 고마웠던 순간'에 대해 지금까지 6번 이야기를 나누셨어요. 대화를 계속하시겠습니까? (네/아니오)",
    )
    const seen = new Set<string>()
    for (let turns = 0; turns < 20; turns++) {
      for (const topic of [null, ...TOPIC_SUGGESTIONS]) {
        const next = ai.suggestTopic(session({ turnCount: turns, topic }))
        expect(next).not.toBe(topic as string)
        seen.add(next)
      }
    }
    expect(seen.size).toBe(TOPIC_SUGGESTIONS.length)
  })
})

describe('the AI participant over a network provider', () => {
  const fake = startFakeOpenAi()
  afterAll(() => fake.stop())
  beforeEach(() => {
    fake.setScript({})
    fake.requests.length = 0
  })
  const ai = createCoupleAi({ chat: createOpenAiChat({ apiKey: 'test', baseURL: fake.url, maxRetries: 0, timeoutMs: 2000 }) })

  test('the model gets the question as the user turn and the conversation as cited passages', async () => {
    fake.setScript({ text: '바다가 보이는 카페에 가 보세요.' })
    expect(await ai.answer('제주도에서 뭐 하면 좋을까?', conversation, session())).toBe('바다가 보이는 카페에 가 보세요.')
    const messages = fake.requests[0]!.body.messages as { role: string; content: string }[]
    expect(messages.at(-1)).toEqual({ role: 'user', content: '제주도에서 뭐 하면 좋을까?' })
    const system = messages.find((m) => m.role === 'system')!.content
    expect(system).toContain('[2] (source: B)')
    expect(system).toContain('제주도 좋아, 바다 보고 싶어')
    expect(system).not.toContain('@ai')
  })

  test('a failing upstream fails the answer, but the summary falls back to the counts', async () => {
    fake.setScript({ errorStatus: 500, errorMessage: 'upstream down' })
    await expect(ai.answer('뭐 할까?', conversation, session())).rejects.toMatchObject({ code: 'UPSTREAM_FAILED' })
    expect(await ai.summarise(conversation, session())).toBe('이번 세션 요약: 주고받은 메시지: A 2개, B 2개.')
    expect(await ai.summarise([], session())).toBe('이번 세션에서는 나눈 대화가 없습니다.')
  })
})

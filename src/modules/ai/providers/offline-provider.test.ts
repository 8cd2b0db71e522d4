import { describe, expect, test } from 'bun:test'
import type { ChatChunk, ChatRequest } from '../types'
import { composeOfflineAnswer } from './offline-answer'
import { splitSentences } from './offline-passage-weighing'
import { createOfflineChat, splitIntoPieces } from './offline-provider'

const chat = createOfflineChat()

const passages = [
  {
    index: 1,
    source: 'card-guide.pdf',
    content: '이 카드는 대중교통 이용 시 10% 할인을 제공합니다. 연회비는 1만 원입니다. 해외 결제 수수료는 1%입니다.',
  },
  { index: 2, source: 'pet.md', content: '반려견 사료는 체중에 맞춰 급여합니다.' },
]

async function collect(req: ChatRequest) {
  const chunks: ChatChunk[] = []
  for await (const chunk of chat.stream(req)) chunks.push(chunk)
  return chunks
}

describe('offline chat provider', () => {
  test('answers from the relevant passage sentences, cites them and lists the sources', () => {
    const answer = composeOfflineAnswer([{ role: 'user', content: '대중교통 할인은 얼마인가요?' }], { passages })
    expect(answer.startsWith('이 카드는 대중교통 이용 시 10% 할인을 제공합니다. [1]')).toBe(true)
    expect(answer).not.toContain('반려견')
    expect(answer).not.toContain('해외 결제')
    expect(answer).toContain('출처: [1] card-guide.pdf')
  })

  test('answers in English when the question has no Hangul', () => {
    const answer = composeOfflineAnswer([{ role: 'user', content: 'How long is the refund window?' }], {
      passages: [{ index: 3, source: 'policy.md', content: 'Shipping takes 3 days. The refund window is 30 days from delivery.' }],
    })
    expect(answer).toBe('The refund window is 30 days from delivery. [3]\n\nSources: [3] policy.md')
  })

  test('states facts as lines', () => {
    const answer = composeOfflineAnswer([{ role: 'user', content: '이번 달 지출은?' }], {
      facts: ['이번 달 총지출: 1,250,000원', '가장 큰 항목: 식비 420,000원'],
    })
    expect(answer).toBe('확인된 정보는 다음과 같습니다.\n\n- 이번 달 총지출: 1,250,000원\n- 가장 큰 항목: 식비 420,000원')
  })

  test('says the empty notice when nothing grounds the answer', () => {
    const question = [{ role: 'user' as const, content: '환불 규정은?' }]
    expect(composeOfflineAnswer(question, { passages: [], emptyNotice: '관련 문서를 찾지 못했습니다.' })).toBe(
      '관련 문서를 찾지 못했습니다.',
    )
    expect(composeOfflineAnswer(question, undefined)).toBe('제공된 문서에서 이 질문의 답을 찾지 못했습니다. 문서에 없는 내용은 추측해서 답하지 않습니다.')
    expect(composeOfflineAnswer([{ role: 'user', content: 'refunds?' }], { emptyNotice: '관련 문서를 찾지 못했습니다.' })).toBe(
      'The provided documents do not answer this question, so I will not guess.',
    )
  })

  test('abstains instead of stringing unrelated sentences together', () => {
    const answer = composeOfflineAnswer([{ role: 'user', content: 'xyz?' }], { passages })
    expect(answer).toBe('The provided documents do not answer this question, so I will not guess.')
    expect(chat.answers!([{ role: 'user', content: '이 카드 해외 결제 수수료는 얼마예요?' }], { passages })).toBe(true)
    expect(chat.answers!([{ role: 'user', content: '이 카드로 공항 라운지 무료로 들어갈 수 있나요?' }], { passages })).toBe(false)
  })

  test('streams the answer in pieces of a few words, then the usage', async () => {
    const req: ChatRequest = { messages: [{ role: 'user', content: '대중교통 할인은 얼마인가요?' }], grounding: { passages } }
    const chunks = await collect(req)
    const texts = chunks.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text)
    const answer = composeOfflineAnswer(req.messages, req.grounding)
    expect(texts.join('')).toBe(answer)
    expect(texts.length).toBeGreaterThan(3)
    for (const t of texts) expect(t.trim().split(/\s+/).length).toBeLessThanOrEqual(3)
    expect(chunks.at(-1)).toMatchObject({ type: 'usage', completionTokens: Math.ceil(answer.length / 4) })
    expect((chunks.at(-1) as { promptTokens: number }).promptTokens).toBeGreaterThan(0)
    expect(await collect(req)).toEqual(chunks)
    expect(chat.name).toBe('offline')
    expect(chat.model).toBe('offline')
  })

  test('complete returns the same text', async () => {
    const result = await chat.complete({ messages: [{ role: 'user', content: 'hi' }], grounding: { facts: ['One fact'] } })
    expect(result.text).toBe('Here is what I found.\n\n- One fact')
    expect(result.usage.completionTokens).toBe(Math.ceil(result.text.length / 4))
  })

  test('stops with the abort reason when the signal aborts mid-stream', async () => {
    const controller = new AbortController()
    const seen: string[] = []
    let error: unknown
    try {
      for await (const chunk of chat.stream({ messages: [{ role: 'user', content: 'q' }], grounding: { passages }, signal: controller.signal })) {
        if (chunk.type === 'text') seen.push(chunk.text)
        controller.abort()
      }
    } catch (e) {
      error = e
    }
    expect(seen.length).toBe(1)
    expect((error as Error).name).toBe('AbortError')
  })

  test('splitting keeps every character', () => {
    const text = '첫 줄입니다.\n\n- 둘째  줄 [1]\n끝'
    expect(splitIntoPieces(text).join('')).toBe(text)
    expect(splitSentences('A first. A second!\n셋째 문장입니다. 넷째?')).toEqual(['A first.', 'A second!', '셋째 문장입니다.', '넷째?'])
  })
})

describe('offline tool choice', () => {
  const tools = [
    { name: 'basic', description: 'Small talk', keywords: [] },
    {
      name: 'recipe',
      description: 'Make a recipe',
      keywords: ['레시피', '만들어', 'recipe', 'cook'],
      parameters: { type: 'object', properties: { request: { type: 'string' }, servings: { type: 'number' } }, required: ['request'] },
    },
    {
      name: 'rag',
      description: 'Search knowledge',
      keywords: ['영양', '비타민', '알려줘', 'nutrition', 'vitamin'],
      parameters: { type: 'object', properties: { search_query: { type: 'string' } } },
    },
  ]

  test('picks the tool whose keywords the message contains, in Korean and English', async () => {
    const recipe = await chat.chooseTool({ messages: [{ role: 'user', content: '닭고기로 레시피 만들어 줘' }], tools })
    expect(recipe).toEqual({ tool: 'recipe', arguments: { request: '닭고기로 레시피 만들어 줘' } })
    const rag = await chat.chooseTool({ messages: [{ role: 'user', content: 'Which VITAMIN matters for dog nutrition?' }], tools })
    expect(rag).toEqual({ tool: 'rag', arguments: { search_query: 'Which VITAMIN matters for dog nutrition?' } })
  })

  test('matches keywords regardless of spacing and uses the last user message', async () => {
    const choice = await chat.chooseTool({
      messages: [
        { role: 'user', content: '레시피 만들어 줘' },
        { role: 'assistant', content: '네' },
        { role: 'user', content: '비 타민 이 뭐야? 알려 줘' },
      ],
      tools,
    })
    expect(choice.tool).toBe('rag')
  })

  test('defaults to the first tool when no keyword matches', async () => {
    const choice = await chat.chooseTool({ messages: [{ role: 'user', content: '안녕!' }], tools })
    expect(choice).toEqual({ tool: 'basic', arguments: {} })
  })
})

describe('offline intent model', () => {
  const tools = [
    { name: 'chat', description: 'Small talk', examples: ['hi', 'hello there', 'thanks a lot', '안녕하세요', '고마워요', '잘 자', 'good night', '반가워'] },
    {
      name: 'weather',
      description: 'Weather questions',
      examples: ['will it rain tomorrow?', 'how hot is it today', 'is it going to snow this weekend', '내일 비 와?', '오늘 날씨 어때?', '이번 주말에 눈 와요?', 'forecast for Seoul', '기온이 몇 도야?'],
    },
  ]

  test('routes by meaning learned from examples, not by a keyword list, in both languages', async () => {
    expect((await chat.chooseTool({ messages: [{ role: 'user', content: 'will it snow tomorrow?' }], tools })).tool).toBe('weather')
    expect((await chat.chooseTool({ messages: [{ role: 'user', content: '주말에 비 올까?' }], tools })).tool).toBe('weather')
    expect((await chat.chooseTool({ messages: [{ role: 'user', content: 'thanks, good night' }], tools })).tool).toBe('chat')
  })

  test("a tool's evidence moves the choice", async () => {
    const withEvidence = [tools[0]!, { ...tools[1]!, evidence: async () => 1 }]
    const without = [tools[0]!, { ...tools[1]!, evidence: async () => 0 }]
    const message = [{ role: 'user' as const, content: 'Busan' }]
    expect((await chat.chooseTool({ messages: message, tools: withEvidence })).tool).toBe('weather')
    expect((await chat.chooseTool({ messages: message, tools: without })).tool).toBe('chat')
  })
})

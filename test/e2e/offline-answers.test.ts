import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { processDataStream } from '@ai-sdk/ui-utils'
import { createTestApp, type TestApp } from '../support/app'
import { testDatabaseHasVector } from '../support/db'

let t: TestApp
let alice: { token: string }
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_DOCS_INGEST_PER_MINUTE: '1000', RATE_LIMIT_DOCS_CHAT_PER_MINUTE: '1000' })
  alice = await t.user('offline-alice', 'Alice')
  // A whole app stores the petcare knowledge base at start: seconds on a busy machine.
}, 30_000)
afterAll(() => t.close())

async function ask(question: string) {
  const res = await t.request('POST', '/api/chat', { token: alice.token, json: { messages: [{ role: 'user', content: question }] } })
  expect(res.status).toBe(200)
  let text = ''
  const annotations: unknown[] = []
  let finished = false
  await processDataStream({
    stream: res.body!,
    onTextPart: (p) => void (text += p),
    onMessageAnnotationsPart: (a) => void annotations.push(...a),
    onFinishMessagePart: () => void (finished = true),
  })
  return { text, sources: (annotations[0] as { sources: { source: string; used: boolean }[] }).sources, finished }
}

describe('offline answers through /api/chat', () => {
  // Answers come from document search, which needs pgvector: skipped (and counted) without it.
  test.skipIf(!testDatabaseHasVector())('the sentence that carries the asked-for amount comes first, cited; an unanswered question has its sources marked unused', async () => {
    const form = new FormData()
    form.append(
      'file',
      new File(
        [
          '# 한빛 요가 이용 안내\n\n## 요금\n\n한빛 요가 1개월 회원권은 89,000원입니다. 6개월 회원권은 450,000원입니다. 요가 매트 대여는 1회 2,000원입니다.\n\n## 문의\n\n상담 전화번호는 02-555-1234입니다.\n',
        ],
        'hanbit-yoga.md',
      ),
    )
    expect((await t.request('POST', '/api/ingest', { token: alice.token, body: form })).status).toBeLessThan(300)

    const fact = await ask('한빛 요가 6개월 끊으면 얼마예요?')
    expect(fact.text.startsWith('6개월 회원권은 450,000원입니다. [1]')).toBe(true)
    expect(fact.sources[0]).toMatchObject({ source: 'hanbit-yoga.md', used: true })
    expect(fact.finished).toBe(true)

    const phone = await ask('한빛 요가 연락처 알려줘')
    expect(phone.text).toContain('02-555-1234')

    const none = await ask('한빛 요가에 샤워실 있어요?')
    expect(none.text).toBe('제공된 문서에서 이 질문의 답을 찾지 못했습니다. 문서에 없는 내용은 추측해서 답하지 않습니다.')
    expect(none.sources.length).toBeGreaterThan(0)
    expect(none.sources.every((s) => !s.used)).toBe(true)
    expect(none.finished).toBe(true)
  })
})

describe('offline answers in the petcare stream', () => {
  test('a knowledge question is routed to rag and answered from the knowledge base; a greeting to basic', async () => {
    const user = await (await t.request('POST', '/api/users', {
      json: { cafe24_token: 'offline-answers', pets: [{ petnm: '보리', pet_info: { species: 'cat', age: 5, weight_kg: 4, neutered: true, activity: 'normal', allergies: [] } }] },
    })).json()
    const send = async (message: string) => {
      const res = await t.request('POST', '/api/messages/', { json: { userId: user.id, petnm: '보리', content: { message } } })
      return (await res.text()).split('\n\n').filter((b) => b.startsWith('data: ')).map((b) => JSON.parse(b.slice(6)))
    }
    const grape = await send('고양이가 포도를 조금 먹었는데 괜찮을까?')
    expect(grape[2].content.content).toBe('rag')
    const answer = grape.find((e) => e.type === 'rag_flow' && e.content?.role === 'assistant').content.content as string
    expect(answer).toContain('신부전')
    expect(answer).toMatch(/^[^\n]*\[\d\]/)

    const hello = await send('안녕, 반가워!')
    expect(hello[2].content.content).toBe('basic')
  })
})

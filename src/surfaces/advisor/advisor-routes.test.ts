import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { createTestApp, type TestApp } from '../../../test/support/app'
import { messages, rooms } from '../../platform/db/schema'
import { monthOf } from '../../modules/spending/summary'

let t: TestApp
let kim: Awaited<ReturnType<TestApp['user']>>
let lee: Awaited<ReturnType<TestApp['user']>>

beforeAll(async () => {
  t = await createTestApp()
  kim = await t.user('adv-kim', '김철수')
  lee = await t.user('adv-lee', '이영희')
})
afterAll(() => t.close())

const makeRoom = async (token: string) => (await t.request('POST', '/api/v1/chat/make_room/', { token })).json()
const ask = (token: string, body: unknown) => t.request('POST', '/api/v1/chat/send_message/', { token, json: body })
const finance = (token: string, message: unknown) => t.request('POST', '/api/v1/chat/', { token, json: { message } })

/** Parses a whole SSE body into its `data:` events, in order. */
function sseEvents(text: string): any[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)))
}

const KST_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/
const UTC_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

describe('make_room', () => {
  test('answers 201 in the seed shape, with a Korean-time timestamp and no body needed', async () => {
    const before = Date.now()
    const res = await t.request('POST', '/api/v1/chat/make_room/', { token: kim.token })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual(['message', 'session_id', 'timestamp', 'type', 'user_id'])
    expect(body).toMatchObject({ type: 'CONNECTION_ESTABLISHED', message: '챗봇과의 연결이 성공했습니다.', user_id: kim.id })
    expect(body.session_id).toMatch(/^sess-\d+$/)
    expect(body.timestamp).toMatch(KST_MICROS)
    // The zone-less timestamp is Korean wall-clock time: nine hours ahead of UTC.
    const asUtc = Date.parse(body.timestamp.slice(0, 23) + 'Z') - 9 * 3600_000
    expect(Math.abs(asUtc - before)).toBeLessThan(60_000)
  })

  test('accepts {} and works without the trailing slash; each call opens a new session', async () => {
    const a = await t.request('POST', '/api/v1/chat/make_room', { token: kim.token, json: {} })
    const b = await t.request('POST', '/api/v1/chat/make_room', { token: kim.token })
    expect(a.status).toBe(201)
    expect(b.status).toBe(201)
    expect((await a.json()).session_id).not.toBe((await b.json()).session_id)
  })

  test('refuses anonymous callers in the advisor error shape', async () => {
    const res = await t.request('POST', '/api/v1/chat/make_room/')
    expect(res.status).toBe(401)
    const body = await res.json()
    expect(body.error_code).toBe('UNAUTHORIZED')
    expect(typeof body.message).toBe('string')
  })
})

describe('send_message', () => {
  test('answers CARD_INFO in the seed shape and stores the question and the answer', async () => {
    const { session_id } = await makeRoom(kim.token)
    const res = await ask(kim.token, { question: '교통비 할인되는 카드 추천해줘', session_id })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual(['data', 'message', 'message_id', 'session_id', 'timestamp', 'type', 'user_id'])
    expect(body).toMatchObject({ type: 'CARD_INFO', session_id, user_id: kim.id })
    expect(body.message_id).toMatch(/^msg-[0-9a-f]{12}$/)
    expect(body.timestamp).toMatch(KST_MICROS)
    expect(body.data.cards.length).toBe(3)
    for (const card of body.data.cards) {
      expect(Object.keys(card).sort()).toEqual(
        ['annual_fee_domestic', 'annual_fee_overseas', 'benefits', 'card_id', 'card_image_url', 'card_name', 'company', 'fee_waiver_rule'].sort(),
      )
      expect(typeof card.card_id).toBe('number')
      expect(typeof card.annual_fee_domestic).toBe('number')
      for (const b of card.benefits) {
        expect(Object.keys(b).sort()).toEqual(['benefit_id', 'benefit_limit', 'benefit_rate', 'category_name'])
        expect(typeof b.benefit_limit).toBe('number')
        expect(b.benefit_rate).toMatch(/%$|원$/)
      }
    }
    // The offline model's comment names the first card it was handed.
    expect(body.message).toContain(body.data.cards[0].card_name)

    const roomId = Number(session_id.slice(5))
    const stored = await t.database.db.select().from(messages).where(eq(messages.roomId, roomId)).orderBy(messages.id)
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant'])
    expect(stored[0]!.content).toBe('교통비 할인되는 카드 추천해줘')
    expect(stored[0]!.senderId).toBe(kim.id)
    expect(stored[1]!.publicId.replace(/-/g, '').slice(0, 12)).toBe(body.message_id.slice(4))
    expect((stored[1]!.payload as { cards: { card_id: number }[] }).cards.map((c) => c.card_id)).toEqual(body.data.cards.map((c: any) => c.card_id))
  })

  test('ranks the card that fits the question first', async () => {
    const { session_id } = await makeRoom(kim.token)
    const cases: [string, string][] = [
      ['교통비 할인되는 카드 추천해줘', '교통'],
      ['지하철이랑 버스 많이 타요', '교통'],
      ['해외 결제 많이 하는데 좋은 카드 있어?', '해외'],
      ['커피를 매일 마셔요. 카페 할인 카드?', '카페'],
      ['주유 할인 카드 알려줘', '주유'],
    ]
    for (const [question, category] of cases) {
      const body = await (await ask(kim.token, { question, session_id })).json()
      const first = body.data.cards[0]
      expect({ question, categories: first.benefits.map((b: any) => b.category_name) }).toEqual({
        question,
        categories: expect.arrayContaining([category]),
      })
    }
  })

  test('a missing, empty or whitespace question is 400 EMPTY_QUESTION; an over-long one 400 QUESTION_TOO_LONG', async () => {
    const { session_id } = await makeRoom(kim.token)
    for (const body of [{ session_id }, { session_id, question: '' }, { session_id, question: '   \n\t ' }, { session_id, question: null }]) {
      const res = await ask(kim.token, body)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ error_code: 'EMPTY_QUESTION', message: expect.any(String) })
    }
    const long = await ask(kim.token, { session_id, question: '가'.repeat(2001) })
    expect(long.status).toBe(400)
    expect((await long.json()).error_code).toBe('QUESTION_TOO_LONG')
    const huge = await ask(kim.token, { session_id, question: 'x'.repeat(100 * 1024) })
    expect([400, 413]).toContain(huge.status)
    expect(huge.status).not.toBe(500)
  })

  test("unknown, malformed or someone else's session is 404 ROOM_NOT_FOUND", async () => {
    const mine = await makeRoom(kim.token)
    for (const session_id of [undefined, '', 'abc', 'sess-', 'sess-0', 'sess--1', 'sess-1.5', 'sess-99999999', 'sess-999999999999999999999', 42]) {
      const res = await ask(kim.token, { question: '카드 추천', session_id })
      expect({ session_id, status: res.status }).toEqual({ session_id, status: session_id === 42 ? 400 : 404 })
      if (session_id !== 42) expect((await res.json()).error_code).toBe('ROOM_NOT_FOUND')
    }
    const theirs = await ask(lee.token, { question: '카드 추천', session_id: mine.session_id })
    expect(theirs.status).toBe(404)
    expect(await theirs.json()).toEqual({ error_code: 'ROOM_NOT_FOUND', message: expect.any(String) })
  })

  test('bad JSON is 400 INVALID_REQUEST, never a 500 or a stack trace', async () => {
    const res = await t.request('POST', '/api/v1/chat/send_message/', {
      token: kim.token,
      body: '{"question":',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(JSON.parse(text).error_code).toBe('INVALID_REQUEST')
    expect(text).not.toContain('    at ')
  })
})

describe('finance chat', () => {
  const kstMonthStart = () => new Date(`${monthOf(new Date())}-01T00:00:00+09:00`)
  const lastMonth = () => new Date(kstMonthStart().getTime() - 24 * 3600_000).toISOString()
  const thisMonth = () => new Date(Date.now() - 1000).toISOString()

  test('history is empty before the first question', async () => {
    const res = await t.request('GET', '/api/v1/chat/', { token: lee.token })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([])
  })

  test("the answer states the caller's own figures: this month's total, categories and the change from last month", async () => {
    const owner = await t.user('adv-spender', '박지출')
    const txs = [
      { amount: 300000, category: '식비', merchant: '한식당', occurred_at: thisMonth() },
      { amount: 200000, category: '쇼핑', merchant: '백화점', occurred_at: thisMonth() },
      { amount: 23000, category: '교통', merchant: '지하철', occurred_at: thisMonth() },
      { amount: 400000, category: '식비', merchant: '한식당', occurred_at: lastMonth() },
    ]
    expect((await t.request('POST', '/api/v1/transactions/', { token: owner.token, json: { transactions: txs } })).status).toBe(201)

    const res = await finance(owner.token, '이번 달 얼마 썼어?')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual(['ai_message', 'user_message'])
    expect(body.user_message).toEqual({ user: owner.id, message: '이번 달 얼마 썼어?', is_user: true, created_at: expect.stringMatching(UTC_SECONDS) })
    expect(body.ai_message).toEqual({ user: owner.id, message: expect.any(String), is_user: false, created_at: expect.stringMatching(UTC_SECONDS) })
    const answer: string = body.ai_message.message
    expect(answer).toContain('523,000원')
    expect(answer).toContain('400,000원')
    expect(answer).toContain('123,000원')
    expect(answer).toContain('식비')
    expect(answer).toContain('쇼핑')

    // Another user's figures never reach this user, and the other way round.
    const other = await (await finance(lee.token, '이번 달 얼마 썼어?')).json()
    expect(other.ai_message.message).not.toContain('523,000원')
  })

  test('history is oldest first, per user, and never shows card sessions', async () => {
    const owner = await t.user('adv-history', '최기록')
    const { session_id } = await makeRoom(owner.token)
    await ask(owner.token, { question: '카페 카드 추천', session_id })
    await finance(owner.token, '첫 번째 질문')
    await finance(owner.token, '두 번째 질문')
    const list = await (await t.request('GET', '/api/v1/chat', { token: owner.token })).json()
    expect(list.map((m: any) => [m.message.startsWith('확인된') ? 'AI' : m.message, m.is_user])).toEqual([
      ['첫 번째 질문', true],
      ['AI', false],
      ['두 번째 질문', true],
      ['AI', false],
    ])
    for (const m of list) expect(Object.keys(m).sort()).toEqual(['created_at', 'is_user', 'message', 'user'])
    expect(list.every((m: any) => m.user === owner.id)).toBe(true)
    const strangers = await (await t.request('GET', '/api/v1/chat/', { token: kim.token })).json()
    expect(strangers.some((m: any) => m.message === '첫 번째 질문')).toBe(false)

    // A finance room's id is no card session: asking it as one is 404.
    const financeRoom = await t.database.db.select().from(messages).where(eq(messages.content, '첫 번째 질문'))
    const asSession = await ask(owner.token, { question: '카드', session_id: `sess-${financeRoom[0]!.roomId}` })
    expect(asSession.status).toBe(404)
  })

  test('first questions sent at once share the one finance room', async () => {
    const owner = await t.user('adv-race', '동시')
    const answers = await Promise.all(['하나', '둘', '셋'].map((m) => finance(owner.token, m)))
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200])
    const list = await (await t.request('GET', '/api/v1/chat/', { token: owner.token })).json()
    expect(list.filter((m: any) => m.is_user).map((m: any) => m.message).sort()).toEqual(['둘', '셋', '하나'])
    expect(list).toHaveLength(6)
    const rows = await t.database.db.select().from(rooms).where(eq(rooms.createdBy, owner.id))
    expect(rows.map((r) => r.kind)).toEqual(['finance'])
  })

  test('an empty or over-long message is 400 and stores nothing', async () => {
    const owner = await t.user('adv-empty', '빈칸')
    for (const message of ['', '  ', null, undefined]) {
      const res = await finance(owner.token, message)
      expect(res.status).toBe(400)
      expect((await res.json()).error_code).toBe('EMPTY_MESSAGE')
    }
    const long = await finance(owner.token, 'a'.repeat(2001))
    expect((await long.json()).error_code).toBe('MESSAGE_TOO_LONG')
    expect(await (await t.request('GET', '/api/v1/chat/', { token: owner.token })).json()).toEqual([])
  })

  test('the stream sends start, deltas and end, and stores the answer', async () => {
    const owner = await t.user('adv-stream', '정스트림')
    await t.request('POST', '/api/v1/transactions/', { token: owner.token, json: { amount: 52000, category: '카페', merchant: '스타벅스', occurred_at: thisMonth() } })
    const res = await t.request('POST', '/api/v1/chat/stream/', { token: owner.token, json: { message: '이번 달 카페에 얼마 썼어?' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toStartWith('text/event-stream')
    const events = sseEvents(await res.text())
    expect(events[0]).toEqual({ type: 'start', user_message: expect.objectContaining({ message: '이번 달 카페에 얼마 썼어?', is_user: true }) })
    const deltas = events.filter((e) => e.type === 'delta')
    expect(deltas.length).toBeGreaterThan(1)
    const end = events.at(-1)
    expect(end.type).toBe('end')
    expect(deltas.map((d) => d.content).join('')).toBe(end.ai_message.message)
    expect(end.ai_message.message).toContain('52,000원')
    const history = await (await t.request('GET', '/api/v1/chat/', { token: owner.token })).json()
    expect(history).toEqual([end.user_message, end.ai_message])
  })

  test('a stream with a bad message answers a plain 400, not a stream', async () => {
    const res = await t.request('POST', '/api/v1/chat/stream', { token: kim.token, json: { message: ' ' } })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error_code: 'EMPTY_MESSAGE', message: expect.any(String) })
  })
})

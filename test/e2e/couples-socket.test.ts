import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../support/app'
import { openSocket, refusal, type TestSocket } from '../support/ws-client'

// Two partners of couple 7 (Spring user ids 42 and 43), a third member of the same couple,
// and someone from couple 8. The AI participant (offline provider) asks every 3 turns.
let t: TestApp
let base: string
const tokens: Record<'a' | 'b' | 'third' | 'stranger', string> = { a: '', b: '', third: '', stranger: '' }

beforeAll(async () => {
  t = await createTestApp({ COUPLES_AI_EVERY_N_TURNS: '3', WS_MESSAGES_PER_SECOND: '50', CORS_ORIGINS: 'http://localhost:3000' })
  base = await t.listen()
  tokens.a = await t.token('42', { coupleId: 7, name: '민수' })
  tokens.b = await t.token('43', { coupleId: 7, name: '지영' })
  tokens.third = await t.token('44', { coupleId: 7 })
  tokens.stranger = await t.token('99', { coupleId: 8 })
})
afterAll(() => t.close())

const wsUrl = (roomId: number, token: string) => `${base.replace('http', 'ws')}/api/sessions/ws/${roomId}?token=${token}`

async function newRoom(name = '커플 대화방'): Promise<number> {
  const res = await t.request('POST', '/api/rooms', { token: tokens.a, json: { room_name: name, couple_id: 7 } })
  expect(res.status).toBe(201)
  return (await res.json()).room_id
}

/** Both partners connected to a new room, each holding the session event it got on connect. */
async function pair() {
  const roomId = await newRoom()
  const a = await openSocket(wsUrl(roomId, tokens.a))
  const aSession = await a.next((e) => e.type === 'session')
  const b = await openSocket(wsUrl(roomId, tokens.b))
  const bSession = await b.next((e) => e.type === 'session')
  return { roomId, a, b, sessionId: aSession.session_id as number, aSession, bSession }
}

const say = async (from: TestSocket, to: TestSocket, content: string) => {
  from.send({ content })
  await to.next((e) => e.type === 'message' && e.content === content)
  return from.next((e) => e.type === 'message' && e.content === content)
}

const get = async (path: string, token = tokens.a) => (await t.request('GET', path, { token })).json()

describe('couples session socket', () => {
  test('partners get the session on connect, messages are relayed with speaker types, a third person is refused', async () => {
    const { roomId, a, b, sessionId, aSession, bSession } = await pair()
    expect(aSession).toEqual({ type: 'session', session_id: sessionId, content: '채팅 세션에 연결되었습니다.', user_a_id: 42, user_b_id: null, topic: null })
    expect(bSession).toMatchObject({ session_id: sessionId, user_a_id: 42, user_b_id: 43 })
    expect(Number.isInteger(sessionId)).toBe(true)

    // Refused sockets are accepted, then closed at once with a code and a reason; nothing else arrives.
    const wsBase = base.replace('http', 'ws')
    for (const [url, code] of [
      [wsUrl(roomId, tokens.third), 4003],
      [wsUrl(roomId, tokens.stranger), 4003],
      [wsUrl(999999, tokens.a), 4004],
      [`${wsBase}/api/sessions/ws/${roomId}`, 4001],
      [wsUrl(roomId, 'garbage'), 4001],
      [`${wsBase}/api/sessions/ws/1e3?token=${tokens.a}`, 4000],
      [`${wsBase}/api/sessions/ws/1e3`, 4001],
    ] as const) {
      const refused = await refusal(url)
      expect(refused).toEqual({ opened: true, code, reason: expect.any(String), frames: [] })
      expect(refused.reason.length).toBeGreaterThan(0)
    }

    a.send({ content: '안녕, 오늘 날씨 좋네!' })
    const mine = await a.next((e) => e.type === 'message')
    expect(await b.next((e) => e.type === 'message')).toEqual(mine)
    expect(mine).toMatchObject({ content: '안녕, 오늘 날씨 좋네!', sender_id: 42, speaker_type: 'A', session_id: sessionId })
    expect(Number.isInteger(mine.message_id)).toBe(true)
    expect(Number.isNaN(Date.parse(mine.timestamp))).toBe(false)

    b.send({ type: 'message', content: '응, 산책 갈래?' })
    expect(await a.next((e) => e.type === 'message')).toMatchObject({ sender_id: 43, speaker_type: 'B', session_id: sessionId })
    await a.close()
    await b.close()
  })

  test('after N turns the AI asks; bad answers are refused with the session intact; 네 goes on with a topic', async () => {
    const { roomId, a, b, sessionId } = await pair()
    await say(a, b, '요즘 회사 일이 많아서 피곤해')
    await say(b, a, '그럼 이번 주말엔 푹 쉬자')
    await say(a, b, '좋아, 집에서 영화 보자')
    const question = await b.next((e) => e.type === 'system')
    expect(question).toEqual({ type: 'system', content: expect.stringContaining('대화를 계속하시겠습니까?'), session_id: sessionId })
    expect(await a.next((e) => e.type === 'system')).toEqual(question)
    expect((await get(`/api/rooms/${roomId}/sessions`)).sessions[0]).toMatchObject({ pending_question: question.content, turn_count: 3 })

    b.send({ type: 'response', content: '글쎄', session_id: sessionId })
    expect((await b.next((e) => e.type === 'error')).detail).toContain('네 or 아니오')
    b.send({ type: 'response', content: '네', session_id: sessionId + 1000 })
    expect((await b.next((e) => e.type === 'error')).detail).toContain('session_id')

    b.send({ type: 'response', content: '네', session_id: sessionId })
    const goOn = await a.next((e) => e.type === 'system')
    expect(goOn.session_id).toBe(sessionId)
    const [session] = (await get(`/api/rooms/${roomId}/sessions`)).sessions
    expect(session).toMatchObject({ session_id: sessionId, status: 'active', pending_question: null, ended_at: null })
    expect(goOn.content).toContain(session.topic)

    a.send({ type: 'response', content: '네', session_id: sessionId })
    expect((await a.next((e) => e.type === 'error')).detail).toContain('no question')
    a.send({ content: '그래, 이어서 얘기하자' })
    expect(await b.next((e) => e.type === 'message' && e.content === '그래, 이어서 얘기하자')).toMatchObject({ session_id: sessionId })
    await a.close()
    await b.close()
  })

  test('아니오 closes the session with a stored AI summary; the next connect starts a new session', async () => {
    const { roomId, a, b, sessionId } = await pair()
    await say(a, b, '다음 달 여행은 제주도 어때?')
    await say(b, a, '제주도 좋아, 바다 보고 싶어')
    await say(a, b, '그럼 비행기표 알아볼게')
    await b.next((e) => e.type === 'system')
    a.send({ type: 'response', content: '아니오', session_id: sessionId })
    const summary = await b.next((e) => e.type === 'system')
    expect(await a.next((e) => e.type === 'system' && e.content === summary.content)).toEqual(summary)
    expect(summary.session_id).toBe(sessionId)
    expect(summary.content).toContain('제주도')

    const [closed] = (await get(`/api/rooms/${roomId}/sessions`, tokens.b)).sessions
    expect(closed).toMatchObject({ session_id: sessionId, status: 'closed', summary: summary.content, pending_question: null })
    expect(Date.parse(closed.ended_at)).toBeGreaterThanOrEqual(Date.parse(closed.started_at))
    const history = await get(`/api/rooms/${roomId}/messages`)
    expect(history.messages.at(-1)).toMatchObject({ speaker_type: 'AI', sender_id: null, content: summary.content, session_id: sessionId })

    await a.close()
    const again = await openSocket(wsUrl(roomId, tokens.a))
    const fresh = await again.next((e) => e.type === 'session')
    expect(fresh.session_id).toBeGreaterThan(sessionId)
    expect(fresh).toMatchObject({ content: '채팅 세션에 연결되었습니다.', user_a_id: 42, user_b_id: 43 })
    // The partner still holds the closed session: it learns the new one without reconnecting.
    expect(await b.next((e) => e.type === 'session')).toMatchObject({ session_id: fresh.session_id, content: '새 채팅 세션이 시작되었습니다.' })
    expect((await again.quiet(100)).filter((e) => e.type === 'session')).toEqual([])
    again.send({ content: '새 대화!' })
    expect(await b.next((e) => e.type === 'message')).toMatchObject({ content: '새 대화!', session_id: fresh.session_id })
    const sessions = (await get(`/api/rooms/${roomId}/sessions`)).sessions
    expect(sessions.map((s: { status: string }) => s.status)).toEqual(['closed', 'active'])
    await again.close()
    await b.close()
  })

  test('@ai and AI야 address the AI, which answers from the conversation; they do not count as turns', async () => {
    const { roomId, a, b, sessionId } = await pair()
    await say(a, b, '주말에 한강에서 자전거 타고 싶어')
    b.send({ content: '@ai 주말에 자전거 어디서 타면 좋을까?' })
    expect(await a.next((e) => e.type === 'message')).toMatchObject({ speaker_type: 'B', content: '@ai 주말에 자전거 어디서 타면 좋을까?' })
    const answer = await a.next((e) => e.type === 'message' && e.speaker_type === 'AI')
    expect(await b.next((e) => e.type === 'message' && e.speaker_type === 'AI')).toEqual(answer)
    expect(answer).toMatchObject({ sender_id: null, session_id: sessionId })
    expect(Number.isInteger(answer.message_id)).toBe(true)
    expect(answer.content).toContain('한강')

    a.send({ content: 'AI야 우리 자전거 타고 나서 뭐 먹을까?' })
    expect(await b.next((e) => e.type === 'message' && e.speaker_type === 'AI' && e.message_id !== answer.message_id)).toMatchObject({ session_id: sessionId })
    await say(b, a, '치킨 먹자')
    // Two partner turns and two questions to the AI: the every-3-turns question is not due.
    expect((await a.quiet(150)).filter((e) => e.type === 'system')).toEqual([])
    expect((await get(`/api/rooms/${roomId}/sessions`)).sessions[0].turn_count).toBe(2)
    await a.close()
    await b.close()
  })

  test('a reconnecting client reads the history and the sessions; strangers get 403, missing rooms 404', async () => {
    const { roomId, a, b, sessionId } = await pair()
    for (const [from, to, text] of [[a, b, '하나'], [b, a, '둘'], [a, b, '셋'], [b, a, '넷']] as const) await say(from, to, text)
    await a.close()
    await b.close()

    const page1 = await get(`/api/rooms/${roomId}/messages?page=1&size=3`, tokens.b)
    // The fourth message is a system question, which is not stored as a message.
    expect(page1.total_count).toBe(4)
    expect(page1.has_more).toBe(true)
    expect(page1.messages.map((m: { content: string }) => m.content)).toEqual(['둘', '셋', '넷'])
    expect(page1.messages[0]).toMatchObject({ sender_id: 43, speaker_type: 'B', session_id: sessionId })
    const page2 = await get(`/api/rooms/${roomId}/messages/?page=2&size=3`)
    expect(page2).toMatchObject({ total_count: 4, has_more: false })
    expect(page2.messages.map((m: { content: string }) => m.content)).toEqual(['하나'])
    const { sessions } = await get(`/api/rooms/${roomId}/sessions/`)
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ session_id: sessionId, status: 'active', user_a_id: 42, user_b_id: 43, summary: null, ended_at: null })

    for (const path of [`/api/rooms/${roomId}/messages`, `/api/rooms/${roomId}/sessions`]) {
      const refused = await t.request('GET', path, { token: tokens.third })
      expect(refused.status).toBe(403)
      expect(await refused.json()).toEqual({ detail: expect.any(String) })
      expect((await t.request('GET', path.replace(String(roomId), '999999'), { token: tokens.a })).status).toBe(404)
      expect((await t.request('GET', path)).status).toBe(401)
    }
  })

  test('bad frames get an error event and leave the socket and the session intact; a resend is stored once', async () => {
    const { roomId, a, b, sessionId } = await pair()
    a.send('this is not json')
    expect((await a.next((e) => e.type === 'error')).detail).toContain('JSON')
    a.send({ type: 'dance', content: 'x' })
    expect((await a.next((e) => e.type === 'error')).detail).toContain('unknown frame type')
    a.send({ content: '   ' })
    expect((await a.next((e) => e.type === 'error')).detail).toContain('empty')
    a.send({ content: 'x'.repeat(70 * 1024) })
    expect((await a.next((e) => e.type === 'error')).detail).toContain('65536')
    a.send({ type: 'response', content: '네' })
    expect((await a.next((e) => e.type === 'error')).detail).toContain('no question')
    expect((await b.quiet(50)).filter((e) => e.type !== 'message')).toEqual([])

    a.send({ content: '한 번만', client_msg_id: 'c-1' })
    const first = await a.next((e) => e.type === 'message' && e.client_msg_id === 'c-1')
    expect(first.session_id).toBe(sessionId)
    await b.next((e) => e.message_id === first.message_id)
    a.send({ content: '한 번만', client_msg_id: 'c-1' })
    expect(await a.next((e) => e.type === 'message' && e.client_msg_id === 'c-1')).toEqual(first)
    expect((await b.quiet(150)).filter((e) => e.type === 'message')).toEqual([])
    const history = await get(`/api/rooms/${roomId}/messages`)
    expect(history.messages.filter((m: { content: string }) => m.content === '한 번만')).toHaveLength(1)
    expect((await get(`/api/rooms/${roomId}/sessions`)).sessions).toHaveLength(1)
    await a.close()
    await b.close()
  })

  test('a client that floods frames is told to slow down, then closed with 4008', async () => {
    const roomId = await newRoom()
    const a = await openSocket(wsUrl(roomId, tokens.a))
    for (let i = 0; i < 400; i++) a.send({ type: 'response', content: '네' })
    expect((await a.next((e) => e.type === 'error' && /slow down/.test(e.detail))).type).toBe('error')
    expect((await a.closed).code).toBe(4008)
  })
})

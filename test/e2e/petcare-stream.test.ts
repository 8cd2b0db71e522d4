import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestApp, type TestApp } from '../support/app'
import { parsePetInfo } from '../../src/modules/nutrition/energy'
import { calculateRecipe } from '../../src/modules/nutrition/recipe-calculator'

const DOG = { species: 'dog', age: 3, weight_kg: 10, neutered: true, activity: 'normal', allergies: ['닭고기'] }

let t: TestApp
let user: { id: string; access_token: string }
beforeAll(async () => {
  t = await createTestApp()
  const res = await t.request('POST', '/api/users', { json: { cafe24_token: 'cafe24-stream', pets: [{ petnm: '초코', pet_info: DOG }] } })
  user = await res.json()
})
afterAll(() => t.close())

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Event = Record<string, any>

/** Posts a message and parses the SSE body event by event (`data: {json}` blocks). */
async function stream(path: string, json: unknown, token?: string): Promise<Event[]> {
  const res = await t.request('POST', path, { json, token })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const blocks = (await res.text()).split('\n\n').filter((b) => b.trim() !== '' && !b.startsWith(':'))
  return blocks.map((b) => {
    expect(b.startsWith('data: ')).toBe(true)
    return JSON.parse(b.slice(6))
  })
}

const ask = (message: string) => stream('/api/messages/', { userId: user.id, petnm: '초코', content: { message } })

/** The events every flow starts and ends with, around its own. */
function expectFrame(events: Event[], tool: string) {
  expect(events[0]).toEqual({ type: 'start', chat_id: expect.stringMatching(/^chat-[0-9a-f-]{36}$/) })
  expect(events[1]).toEqual({ type: 'tool_selection', content: '도구를 선택 중입니다...' })
  expect(events[2]).toEqual({ type: 'tool_selection', content: { role: 'assistant', content: tool } })
  const end = events.at(-1)!
  expect(end.type).toBe('end')
  expect(end.chat_id).toBe(events[0]!.chat_id)
  expect(end.result.next_step).toBe(tool)
  expect(end.result.usage).toEqual({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) })
  expect(end.result.usage.completion_tokens).toBeGreaterThan(0)
  for (const m of end.result.messages) {
    expect(m.id).toMatch(/^msg-[0-9a-f-]{36}$/)
    expect(m.token_count).toEqual({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) })
  }
  return end
}

describe('message stream (offline provider)', () => {
  test('basic flow: progress, the answer, then end with the stored messages', async () => {
    const events = await ask('안녕하세요!')
    expect(events.map((e) => e.type)).toEqual(['start', 'tool_selection', 'tool_selection', 'basic_flow', 'basic_flow', 'end'])
    expectFrame(events, 'basic')
    expect(events[3]).toEqual({ type: 'basic_flow', content: '답변 생성 중...' })
    const answer = events[4]!.content
    expect(answer.role).toBe('assistant')
    expect(answer.content).toContain('630 kcal')
    const end = events.at(-1)!
    expect(end.result.messages.map((m: Event) => m.role)).toEqual(['user', 'tool', 'assistant'])
    expect(end.result.messages[2].content).toEqual({ message: answer.content })
  })

  test('recipe flow: screened ingredients, a stored recipe whose maths is the calculator’s, then the explanation', async () => {
    const events = await ask('소고기랑 고구마로 레시피 만들어줘')
    expect(events.map((e) => e.type)).toEqual(['start', 'tool_selection', 'tool_selection', 'recipe_flow', 'recipe_flow', 'new_recipe_message', 'recipe_flow', 'end'])
    const end = expectFrame(events, 'recipe')
    expect(events[3]).toEqual({ type: 'recipe_flow', content: '레시피 생성 중...' })
    const screened = events[4]!.content
    expect(screened.selected_ingredients).toEqual(['소고기', '고구마'])
    expect(screened.validation_ingredients.every((v: Event) => v.status === 'selected')).toBe(true)

    const created = events[5]!
    expect(created.recipe_id).toMatch(/^recipe-[0-9a-f-]{36}$/)
    const expected = calculateRecipe(
      parsePetInfo(DOG),
      screened.validation_ingredients.map((v: Event) => ({ name: v.name, ratio: v.ratio })),
    )
    expect(created.calculation_result).toEqual(JSON.parse(JSON.stringify(expected)))
    const kcal = [...expected.ingredients, ...expected.supplements].reduce((sum, i) => sum + i.kcal, 0)
    expect(Math.abs(kcal - expected.daily_energy_kcal)).toBeLessThan(1)
    expect(expected.balanced).toBe(true)
    expect(events[6]!.content.content).toContain(expected.profile.label)
    expect(events[6]!.content.content).toContain(`${expected.ingredients[0]!.grams} g`)
    expect(end.result.messages.map((m: Event) => m.role)).toEqual(['user', 'tool', 'tool_result', 'recipe', 'assistant'])
    expect(end.result.messages[3].content.recipe_id).toBe(created.recipe_id)

    const stored = await (await t.request('GET', `/api/recipes/${created.recipe_id}/`, { token: user.access_token })).json()
    expect(stored).toMatchObject({
      id: created.recipe_id,
      user_id: user.id,
      title: created.title,
      selected_ingredients: ['소고기', '고구마'],
      validation_ingredients: screened.validation_ingredients,
      calculation_result: created.calculation_result,
    })
    const list = await (await t.request('GET', `/api/recipes/?userId=${user.id}`, { token: user.access_token })).json()
    expect(list.results[0]).toMatchObject({ id: created.recipe_id, selected_ingredients: ['소고기', '고구마'] })
    expect(list.results[0].validation_ingredients).toBeUndefined()
  })

  test('a requested toxic ingredient is refused with its reason; an allergen too', async () => {
    const only = await ask('포도로 레시피 만들어줘')
    expect(only.map((e) => e.type)).not.toContain('new_recipe_message')
    const refused = only[4]!.content
    expect(refused.selected_ingredients).toEqual([])
    expect(refused.validation_ingredients).toEqual([{ name: '포도', status: 'rejected', kind: 'toxic', reason: expect.stringContaining('신부전') }])
    expect(only.at(-2)!.content.content).toContain('신부전')
    expectFrame(only, 'recipe')

    const mixed = await ask('포도랑 소고기로 레시피 만들어줘')
    const screened = mixed[4]!.content
    expect(screened.selected_ingredients).toEqual(['소고기'])
    expect(screened.validation_ingredients.find((v: Event) => v.name === '포도')).toMatchObject({ status: 'rejected', kind: 'toxic' })
    expect(mixed.find((e) => e.type === 'new_recipe_message')!.calculation_result.ingredients.map((i: Event) => i.ko)).toEqual(['소고기'])

    const allergic = await ask('닭고기랑 현미로 레시피 만들어줘')
    const check = allergic[4]!.content
    // The chicken is refused; a bowl of rice alone would miss every protein minimum, so a protein food the pet may eat is added and said.
    expect(check.selected_ingredients).toEqual(['현미밥', '칠면조'])
    expect(check.validation_ingredients.find((v: Event) => v.name === '칠면조')).toMatchObject({ status: 'selected', reason: expect.stringContaining('단백질') })
    expect(check.validation_ingredients.find((v: Event) => v.kind === 'allergy')).toMatchObject({
      name: expect.stringContaining('닭'),
      status: 'rejected',
      reason: expect.stringContaining('알레르기'),
    })
  })

  test('rag flow: the search and its results, then an answer citing them', async () => {
    const events = await ask('포도 먹어도 괜찮아?')
    expect(events.map((e) => e.type)).toEqual(['start', 'tool_selection', 'tool_selection', 'rag_flow', 'rag_flow', 'rag_flow', 'end'])
    const end = expectFrame(events, 'rag')
    expect(events[3]).toEqual({ type: 'rag_flow', content: '관련 정보를 검색 중...' })
    const found = events[4]!.content
    expect(found.search_query).toBe('포도 먹어도 괜찮아?')
    expect(found.search_result.length).toBeGreaterThan(0)
    expect(found.search_result[0]).toMatchObject({ source: 'toxic-foods.md', title: expect.stringContaining('위험한 음식') })
    expect(found.search_result[0].content).toContain('포도')
    const answer = events[5]!.content
    expect(answer.role).toBe('assistant')
    expect(answer.content).toContain('[1]')
    expect(end.result.messages.map((m: Event) => m.role)).toEqual(['user', 'tool', 'rag', 'assistant'])
  })

  test('a follow-up goes to the same chat, without a token, with the user message from `message`', async () => {
    const first = await ask('안녕')
    const chatId = first[0]!.chat_id
    const next = await stream(`/api/chats/${chatId}/messages/?userId=${user.id}`, { message: '고마워' })
    expect(next[0]).toEqual({ type: 'start', chat_id: chatId })
    const detail = await (await t.request('GET', `/api/chats/${chatId}`, { token: user.access_token })).json()
    expect(detail.title).toBe('안녕')
    expect(detail.messages.filter((m: Event) => m.role === 'user').map((m: Event) => m.content.message)).toEqual(['안녕', '고마워'])
  })

  test('a form post with content as JSON text is read like a JSON body', async () => {
    const form = new URLSearchParams({ userId: user.id, petnm: '초코', content: JSON.stringify({ message: '폼으로 보낸 인사' }) })
    const res = await t.request('POST', '/api/messages', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(res.status).toBe(200)
    const events = (await res.text()).split('\n\n').filter((b) => b.startsWith('data: ')).map((b) => JSON.parse(b.slice(6)))
    expect(events.at(-1)!.result.messages[0].content).toEqual({ message: '폼으로 보낸 인사' })
  })

  test('bad input before the stream is a plain 400 {error}; an unknown chat is 404', async () => {
    const cases: [string, unknown, number][] = [
      ['/api/messages', { userId: user.id, petnm: '초코', content: { message: '   ' } }, 400],
      ['/api/messages', { userId: user.id, petnm: '초코' }, 400],
      ['/api/messages', { userId: user.id, petnm: '없는펫', content: { message: '안녕' } }, 400],
      ['/api/messages', { userId: user.id, content: { message: '안녕' } }, 400],
      ['/api/messages', { petnm: '초코', content: { message: '안녕' } }, 400],
      ['/api/messages', { userId: user.id, petnm: '초코', content: { message: 'x'.repeat(4001) } }, 400],
      ['/api/chats/chat-00000000-0000-4000-8000-000000000000/messages', { userId: user.id, content: { message: '안녕' } }, 404],
    ]
    for (const [path, json, status] of cases) {
      const res = await t.request('POST', path, { json })
      expect(`${path} ${JSON.stringify(json).slice(0, 80)} → ${res.status}`).toBe(`${path} ${JSON.stringify(json).slice(0, 80)} → ${status}`)
      expect(res.headers.get('content-type')).toContain('application/json')
      expect(typeof (await res.json()).error).toBe('string')
    }
  })
})

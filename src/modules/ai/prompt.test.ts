import { describe, expect, test } from 'bun:test'
import { conversationTurns, groundingPrompt, systemText } from './prompt'

describe('grounding prompt', () => {
  test('numbers passages with their sources, lists facts and asks for [n] citations', () => {
    const prompt = groundingPrompt({
      passages: [
        { index: 1, source: 'a.pdf', content: 'Alpha content.' },
        { index: 2, source: 'b.md', content: 'Beta content.' },
      ],
      facts: ['Total: 3'],
      emptyNotice: 'Nothing found.',
    }) as string
    expect(prompt).toContain('[1] (source: a.pdf)\nAlpha content.')
    expect(prompt).toContain('[2] (source: b.md)\nBeta content.')
    expect(prompt).toContain('Facts:\n- Total: 3')
    expect(prompt).toContain('as [n]')
    expect(prompt).toContain('"Nothing found."')
  })

  test('tells the model to admit it when nothing was found, and stays out of plain chats', () => {
    expect(groundingPrompt({ passages: [], emptyNotice: '문서가 없습니다.' })).toContain('Tell the user: "문서가 없습니다."')
    expect(groundingPrompt({})).toContain('found no information')
    expect(groundingPrompt(undefined)).toBeUndefined()
  })

  test('the system text joins the system field, system turns and grounding; turns exclude system', () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi' },
    ]
    expect(systemText({ system: 'You are huddle.', messages })).toBe('You are huddle.\n\nBe brief.')
    expect(systemText({ messages: [{ role: 'user', content: 'x' }] })).toBeUndefined()
    expect(conversationTurns(messages)).toEqual([{ role: 'user', content: 'Hi' }])
  })
})

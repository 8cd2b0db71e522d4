import { describe, expect, test } from 'bun:test'
import { caseOf } from './offline-negation'
import { firstLine } from './offline-answer-testing'

describe('negation and contrast', () => {
  test('tells the case a text says a word in from the case the question says it in', () => {
    expect(caseOf('pass', 'without a pass, what does it cost?', 'pass holders pay 10p per minute')).toBe('other')
    expect(caseOf('pass', 'without a pass, what does it cost?', 'without a pass, rides cost 15p')).toBe('same')
    expect(caseOf('member', "i'm not an orchard lane member, how do i book?", 'non-members book by phone')).toBe('same')
    expect(caseOf('member', 'what do members pay?', 'non-members pay 22 pounds')).toBe('other')
    expect(caseOf('member', 'what do members pay?', 'members pay 8 pounds, non-members 22')).toBe('none')
    expect(caseOf('회원', '회원이 아니면 얼마예요?', '비회원은 1회 1만 원입니다')).toBe('same')
    expect(caseOf('회원', '회원이 아니면 얼마예요?', '회원은 무료입니다')).toBe('other')
    // "not" on a verb negates the verb, not the thing's case.
    expect(caseOf('fluoride', 'does it remove fluoride?', 'it does not remove fluoride')).toBe('none')
  })

  test('a question of the other case gets the sentence, or the column, of that case', () => {
    const club = {
      index: 1,
      source: 'club.md',
      content:
        '# Orchard Club\n\n## Lessons\n\nGroup lessons for members cost 9 pounds a session. Non-members pay 15 pounds a session.\n\n' +
        '## Courts\n\n| Court | Members per hour | Non-members per hour |\n|---|---|---|\n| Indoor court | 8 pounds | 22 pounds |',
    }
    const first = (q: string) => firstLine(q, club)
    expect(first('How much are Orchard Club group lessons without a membership?')).toContain('15 pounds')
    expect(first('How much are Orchard Club group lessons for members?')).toContain('9 pounds')
    expect(first("What does an indoor court cost at Orchard Club if I'm not a member?")).toBe('Indoor court — Non-members per hour: 22 pounds [1]')
    expect(first('What does an indoor court cost at Orchard Club for members?')).toBe('Indoor court — Members per hour: 8 pounds [1]')
    const leisure = {
      index: 1,
      source: '수영장.md',
      content: '# 늘봄 수영장 안내\n\n## 이용료\n\n회원은 자유수영을 무료로 이용합니다. 비회원은 자유수영 1회에 6,000원을 냅니다.',
    }
    expect(firstLine('늘봄 수영장 회원이 아니면 자유수영 얼마예요?', leisure)).toContain('6,000원')
  })
})

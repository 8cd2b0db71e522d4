import { describe, expect, test } from 'bun:test'
import { composeOfflineAnswer, groundingAnswers } from './offline-answer'
import { answerKinds, questionTerms } from './offline-evidence'

const ask = (content: string) => [{ role: 'user' as const, content }]
const policy = {
  index: 1,
  source: 'policy.md',
  content:
    '# Kestrel Travel Policy\n\n## Hotels and meals\n\nKestrel staff may book hotels of up to 180 dollars a night in most cities. ' +
    'The daily meal allowance is 55 dollars. Hotel bookings for Kestrel staff are made by the travel desk, led by Ana Ruiz.\n\n' +
    '## Claims\n\nClaims are filed by 15 March each year. The travel desk phone is 02-555-0101.',
}
const leave = {
  index: 2,
  source: '휴가.docx',
  content: '# 한빛상사 휴가 규정\n\n한빛상사 직원의 연차 휴가는 15일입니다. 한빛상사 직원의 병가는 연 10일까지 유급입니다. 휴가 신청은 인사팀 김도윤 매니저에게 합니다.',
}

describe('offline answerer', () => {
  test('reads what a question asks for, in Korean and English', () => {
    expect([...answerKinds('How much is the meal allowance?')]).toEqual(['amount'])
    expect([...answerKinds('연차 신청은 언제까지 해요?')]).toEqual(['time'])
    expect([...answerKinds('담당자가 누구예요?')]).toEqual(['person'])
    expect([...answerKinds('연락처 알려줘')]).toEqual(['phone'])
    expect(questionTerms('한빛상사 연차는 며칠이에요?').map((t) => t.stem)).toEqual(['한빛상사', '연차'])
  })

  test('answers with the sentence that carries the asked-for value, even when a neighbour shares more words', () => {
    const meal = composeOfflineAnswer(ask('How much do Kestrel staff get for food each day?'), { passages: [policy] })
    expect(meal.split('\n')[0]).toContain('The daily meal allowance is 55 dollars. [1]')
    const who = composeOfflineAnswer(ask('Who runs the Kestrel travel desk?'), { passages: [policy] })
    expect(who.split('\n')[0]).toContain('Ana Ruiz')
    const when = composeOfflineAnswer(ask('When are Kestrel claims due?'), { passages: [policy] })
    expect(when.split('\n')[0]).toContain('15 March')
    const sick = composeOfflineAnswer(ask('한빛상사 병가는 며칠까지 돼요?'), { passages: [leave, policy] })
    expect(sick.startsWith('한빛상사 직원의 병가는 연 10일까지 유급입니다. [2]')).toBe(true)
    expect(sick).toContain('출처: [2] 휴가.docx')
    expect(sick).not.toContain('Kestrel')
  })

  test('abstains in the question’s language when the passages do not answer it', () => {
    expect(groundingAnswers(ask('Does Kestrel pay for airport lounge access?'), { passages: [policy] })).toBe(false)
    expect(composeOfflineAnswer(ask('Does Kestrel pay for airport lounge access?'), { passages: [policy] })).toBe(
      'The provided documents do not answer this question, so I will not guess.',
    )
    expect(composeOfflineAnswer(ask('한빛상사 사내 식당 메뉴는 뭐예요?'), { passages: [leave] })).toStartWith('제공된 문서에서 이 질문의 답을 찾지 못했습니다.')
    expect(groundingAnswers(ask('한빛상사 연차 휴가는 며칠이에요?'), { passages: [leave] })).toBe(true)
  })

  test('a conversation is gathered turn by turn and never abstained on', () => {
    const turns = [
      { index: 1, source: 'A', content: '주말에 부산 갈까?' },
      { index: 2, source: 'B', content: '부산 좋아, 해운대 가자' },
      { index: 3, source: 'A', content: '저녁은 뭐 먹지' },
    ]
    const answer = composeOfflineAnswer(ask('부산에서 뭐 할까?'), { passages: turns, conversational: true })
    expect(answer).toContain('- 주말에 부산 갈까? [1]')
    expect(answer).toContain('- 부산 좋아, 해운대 가자 [2]')
    expect(answer).not.toContain('저녁')
  })
})

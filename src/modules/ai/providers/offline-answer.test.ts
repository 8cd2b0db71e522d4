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

  const lease = {
    index: 3,
    source: '임대.md',
    content:
      '# 미루하우스 임대 안내\n\n## 비용\n\n보증금은 500만 원이고 월 임대료는 48만 원이다. 관리비는 매월 6만 원이다. ' +
      '임대료는 매월 5일까지 낸다.\n\n## 생활 규칙\n\n반려동물은 고양이 한 마리까지 허용된다. 실내에서 흡연하면 1회에 5만 원의 위약금을 문다. ' +
      '계약을 3개월 안에 해지하면 중개수수료를 입주자가 부담한다.',
  }

  test('finds the answer worded formally when the question is worded the everyday way', () => {
    const rent = composeOfflineAnswer(ask('미루하우스 집세는 얼마예요?'), { passages: [lease] })
    expect(rent.split('\n')[0]).toContain('월 임대료는 48만 원이다')
    const fine = composeOfflineAnswer(ask('미루하우스 방에서 담배 피우면 벌금 있어요?'), { passages: [lease] })
    expect(fine.split('\n')[0]).toContain('5만 원의 위약금')
    const months = composeOfflineAnswer(ask('미루하우스 석 달 안에 나가면 복비는 누가 내요?'), { passages: [lease] })
    expect(months.split('\n')[0]).toContain('중개수수료를 입주자가 부담한다')
    const deposit = composeOfflineAnswer(ask('미루하우스 보증금 오백만원 맞아요?'), { passages: [lease] })
    expect(deposit).toContain('보증금은 500만 원')
  })

  test('a question of whether something is allowed is answered with the rule', () => {
    const pets = composeOfflineAnswer(ask('미루하우스에서 고양이 키워도 되나요?'), { passages: [lease] })
    expect(pets.split('\n')[0]).toContain('고양이 한 마리까지 허용된다')
  })

  test('abstains when the subject is there but what is asked about is not', () => {
    expect(groundingAnswers(ask('미루하우스 건물에 엘리베이터 있나요?'), { passages: [lease] })).toBe(false)
    expect(groundingAnswers(ask('Is there free parking at Kestrel?'), { passages: [policy] })).toBe(false)
    expect(groundingAnswers(ask('미루하우스 월세 언제까지 내요?'), { passages: [lease] })).toBe(true)
  })

  test('a word naming the kind of value asked for is answered by a sentence holding one', () => {
    const gym = { index: 1, source: 'hanbit-gym.txt', content: '한빛짐은 대전 유성구 대학로 12에 있다. 센터장은 도하람이다. 안내데스크 전화는 042-863-5510이다.' }
    expect(composeOfflineAnswer(ask('한빛짐 위치가 어디예요?'), { passages: [gym] }).split('\n')[0]).toContain('대학로 12')
    expect(composeOfflineAnswer(ask('한빛짐 사장님 이름이 뭐예요?'), { passages: [gym] }).split('\n')[0]).toContain('도하람')
    expect(groundingAnswers(ask('한빛짐에 수영장 있어요?'), { passages: [gym] })).toBe(false)
  })

  test('a cost compound is found by what it is the cost of', () => {
    const shop = { index: 1, source: 'shop.md', content: '# 바로샵 안내\n\n배송비는 3,000원이며 5만 원 이상 사면 무료다. 반품은 7일 안에 한다.' }
    expect(composeOfflineAnswer(ask('바로샵 택배비 얼마예요?'), { passages: [shop] }).split('\n')[0]).toContain('배송비는 3,000원')
    expect(questionTerms('바로샵 택배비 얼마예요?').find((t) => t.stem === '택배비')?.kin).toContain('배송')
  })

  test('reads only the passages of the document the question names', () => {
    const other = { index: 1, source: 'vet-leaflet.md', content: 'Pets are allowed in the car park and the waiting room on a lead.' }
    const rental = { index: 2, source: 'tidewell-car-hire.md', content: '## Pets\n\nPets are allowed in a carrier. Smoking leads to a cleaning fee of 150 dollars.' }
    const answer = composeOfflineAnswer(ask('Are pets allowed in a Tidewell car?'), { passages: [other, rental] })
    expect(answer.split('\n')[0]).toBe('Pets are allowed in a carrier. [2]')
    expect(answer).not.toContain('vet-leaflet.md')
  })
})

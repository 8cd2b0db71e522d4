import { describe, expect, test } from 'bun:test'
import { composeOfflineAnswer, groundingAnswers } from './offline-answer'
import { answerKinds, carriesKind } from './offline-answer-kinds'
import { prepareSentence, questionTerms, termMatch } from './offline-evidence'
import { askedThingModifier, askedThingWords } from './offline-asked-thing'
import { answerConfidence, weighEvidence } from './offline-passage-weighing'
import { ask, firstLine } from './offline-answer-testing'

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
    // An interrogative names the kind; a topic word ("돈") suggests one only without it.
    expect([...answerKinds('반품하면 돈은 언제 돌려줘요?')]).toEqual(['time'])
    expect([...answerKinds('주차 요금 따로 내야 돼요?')]).toEqual(['charge', 'rule'])
    expect([...answerKinds('Do I have to pay for the food caddy?')]).toEqual(['charge', 'rule'])
    // Whether someone else may: "Can my cat …", "Are dogs allowed …".
    expect([...answerKinds('Can my cat ride in the car?')]).toEqual(['rule'])
    expect([...answerKinds('Are dogs allowed in the rooms?')]).toEqual(['rule'])
    // Money asked with 얼마나 is an amount as well as a count; being billed is a charge.
    expect(answerKinds('주말에 가면 돈이 얼마나 더 들어요?').has('amount')).toBe(true)
    expect([...answerKinds('What will I be billed if I lose the key?')]).toEqual(['charge'])
    // "얼마" after a quantity that is not money asks how much of it.
    expect([...answerKinds('10킬로 시간 제한이 얼마예요?')]).toEqual(['count'])
    expect([...answerKinds('보관 기간은 얼마예요?')]).toEqual(['count'])
    expect([...answerKinds('보관료는 얼마예요?')]).toEqual(['amount'])
  })

  test('a kind word is read as the stemmer leaves it, and a counter after 몇 has no kin', () => {
    const line = prepareSentence('Support line (faults, accidents): 0300 555 0417')
    const phone = questionTerms('Which phone line handles accidents?').find((t) => t.stem === 'phon')!
    expect(phone.names).toBe('phone')
    expect(termMatch(phone, line)).toBeGreaterThan(0.5)
    expect(questionTerms('How much is the price of a day ticket?').find((t) => t.stem === 'pric')?.names).toBe('amount')
    // "몇 개" counts; "개" is not the dog it is as a word.
    const counter = questionTerms('의자가 몇 개 있어요?').find((t) => t.stem === '개')!
    expect(counter.kin).toEqual([])
    expect(questionTerms('개 데려가도 돼요?').find((t) => t.stem === '개')!.kin.length).toBeGreaterThan(0)
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
    expect(firstLine('한빛짐 위치가 어디예요?', gym)).toContain('대학로 12')
    expect(firstLine('한빛짐 사장님 이름이 뭐예요?', gym)).toContain('도하람')
    expect(groundingAnswers(ask('한빛짐에 수영장 있어요?'), { passages: [gym] })).toBe(false)
  })

  test('a place or an organisation is not a person, a day of the week may be plural, an extension is a phone number', () => {
    const hotel = {
      index: 1,
      source: 'brightwater-hotel-guide.docx',
      content: 'Welcome to the Brightwater Hotel, 3 Quay Parade, Falmouth. The general manager is Hollis Penhaligon. Breakfast is served from 7 am.',
    }
    expect(carriesKind('person', prepareSentence('Welcome to the Brightwater Hotel, 3 Quay Parade, Falmouth.'))).toBe(false)
    expect(firstLine('Who is the boss at the Brightwater Hotel?', hotel)).toContain('Hollis Penhaligon')
    expect(carriesKind('time', prepareSentence('It is closed on Sundays and public holidays.'))).toBe(true)
    expect(carriesKind('phone', prepareSentence('신고 전화는 내선 7777이며 24시간 운영된다.'))).toBe(true)
    expect([...answerKinds('노트북을 잃어버렸을 때 어디로 연락해야 하나요?')]).toContain('phone')
    // The organisation the question names is not the name it asks for.
    const intro = prepareSentence('Northgate Bike Share runs 60 docking stations.')
    expect(carriesKind('person', intro, new Set(['who', 'runs', 'northgate', 'bike', 'share']))).toBe(false)
    expect(carriesKind('person', prepareSentence('The operations manager is Priya Ashworth.'), new Set(['who', 'runs', 'northgate']))).toBe(true)
  })

  test('a name the document\'s title gives counts half in every passage of that document, not only the title\'s', () => {
    const title = { index: 1, source: 'scale-launch.pptx', content: '모아링크 스마트 체중계 ML-300 신제품 발표\n\n모아링크 헬스케어 사업부가 준비한 신제품 발표 자료입니다.' }
    const product = { index: 2, source: 'scale-launch.pptx', content: '제품 소개\n\nML-300은 13가지 항목을 측정하는 스마트 체중계입니다.' }
    const price = { index: 3, source: 'scale-launch.pptx', content: '가격과 출시\n\n출시 가격은 89,000원이며 10월 15일부터 판매합니다.' }
    const question = 'ML-300 체중계 출시 가격은 얼마인가요?'
    const ownOf = (passages: (typeof title)[]) => weighEvidence(question, passages).candidates.find((c) => c.passage === product)!.own
    // With the title slide read, "ML-300" and "체중계" name the deck's subject on the product slide too.
    expect(ownOf([title, product, price])).toBeLessThan(ownOf([product, price]) * 0.75)
  })

  test('a passage from the middle of a document is about its subject as much as the first', () => {
    const opening = {
      index: 1,
      source: 'brightwater-hotel-guide.docx',
      content: 'Brightwater Hotel Guest Guide\n\nWelcome to the Brightwater Hotel, 3 Quay Parade, Falmouth. The Brightwater Hotel has 40 rooms. Room service runs until 11 pm.',
    }
    const later = { index: 2, source: 'brightwater-hotel-guide.docx', content: 'Contact\n\nThe general manager is Hollis Penhaligon.' }
    expect(firstLine('Who is the boss at the Brightwater Hotel?', opening, later)).toBe(
      'The general manager is Hollis Penhaligon. [2]',
    )
  })

  test('a question of whether names a thing; when no passage of the document holds it, the passages do not answer', () => {
    expect(askedThingWords('Does the Harbourlight Hotel have a spa?')[0]).toBe('spa')
    expect(askedThingWords('Is there bike storage at Maple Row?')[0]).toBe('bike')
    expect(askedThingWords('Is there a Northgate station at the airport?')).toEqual(['northgate', 'station'])
    expect(askedThingWords('Can I bring my dog in the cabin?')[0]).toBe('dog')
    expect(askedThingWords('새솔하우스 건물에 엘리베이터 있나요?')[0]).toBe('엘리베이터')
    expect(askedThingWords('병실에서 와이파이 돼요?')[0]).toBe('와이파이')
    expect(askedThingWords('도서관 스터디룸 예약할 수 있어요?')[0]).toBe('스터디룸')
    expect(askedThingWords('바로마켓 해외 배송도 돼요?')[0]).toBe('배송도')
    // Verb forms, bound and general nouns are not the thing.
    expect(askedThingWords('강아지 데려가도 돼요?')).toEqual([])
    // What one would pay to do; the thing of each clause of a question of two.
    expect(askedThingWords('How much does the gym charge to rent a locker?')[0]).toBe('rent')
    expect(askedThingWords('해외 이사도 해 주나요? 비용은 어떻게 돼요?')[0]).toBe('이사도')
    // A bare noun before the thing makes it a thing of its own; a word with a particle does not.
    expect(askedThingModifier('참가자는 춘천 숙소 할인 받을 수 있나요?')).toBe('숙소')
    expect(askedThingModifier('해외 이사도 해 주나요? 비용은 어떻게 돼요?')).toBe('해외')
    expect(askedThingModifier('참가자는 할인 받을 수 있나요?')).toBeUndefined()
    expect(askedThingModifier('Is there a sauna?')).toBeUndefined()
    // A verb's 아/어 form before 있다 says a state, not a thing ("놓여 있어요": are placed).
    expect(askedThingWords('그랜드홀에 의자가 몇 개 놓여 있어요?')).toEqual([])
    expect(askedThingWords('안내문이 붙어 있나요?')).toEqual([])
    expect(askedThingWords('주차할 데 있어요?')).toEqual([])
    expect(askedThingWords('How much is the meal allowance?')).toEqual([])

    const house = {
      index: 1,
      source: 'saesol-house.md',
      content: '# 새솔하우스 안내\n\n새솔하우스는 서울 마포구 성미산로 27에 있는 원룸 건물이다. 건물 1층에 택배 보관함이 있다.',
    }
    const asked = weighEvidence('새솔하우스 건물에 엘리베이터 있나요?', [house])
    expect(asked.signals.thingMissing).toBe(true)
    expect(groundingAnswers(ask('새솔하우스 건물에 엘리베이터 있나요?'), { passages: [house] })).toBe(false)
    expect(weighEvidence('새솔하우스 건물에 택배 보관함 있나요?', [house]).signals.thingMissing).toBe(false)
    // Another document retrieved beside it, whose title names the thing, does not make it the subject.
    const airline = { index: 1, source: 'skylark-air-baggage.pdf', content: 'Skylark Air Baggage Policy\n\nPower banks must be carried in the cabin.' }
    const vet = { index: 2, source: 'maplewood-dog-vaccines.md', content: '# Maplewood dog vaccines\n\nAdult dogs receive a booster every three years.' }
    expect(weighEvidence('Can I bring my dog in the cabin on Skylark Air?', [airline, vet]).signals.thingMissing).toBe(true)
  })

  test('a discount on one thing is not a discount on another: the bare noun before the thing must be there too', () => {
    const race = {
      index: 1,
      source: 'river-race.md',
      content: '# 은하강 마라톤 안내\n\n만 65세 이상 참가자는 참가비의 50%를 할인받습니다. 참가자 주차장은 무료입니다.',
    }
    expect(weighEvidence('은하강 마라톤 참가자는 숙소 할인 받을 수 있나요?', [race]).signals.thingMissing).toBe(true)
    expect(weighEvidence('은하강 마라톤 참가자는 참가비 할인 받을 수 있나요?', [race]).signals.thingMissing).toBe(false)
    // The thing may be the document's subject ("이사" at a mover's): then the word before it is what is asked.
    const mover = { index: 1, source: 'hangang-moving.docx', content: '한강이사 이용 안내\n\n한강이사는 서울과 경기 지역 이사를 합니다. 이사 비용은 견적 후 정합니다.' }
    expect(weighEvidence('한강이사는 해외 이사도 해 주나요?', [mover]).signals.thingMissing).toBe(true)
    expect(weighEvidence('한강이사는 경기 이사도 해 주나요?', [mover]).signals.thingMissing).toBe(false)
  })

  test('an English verb the stemmer keeps whole is found with its silent e dropped', () => {
    const job = prepareSentence('A wheel truing job costs 30 US dollars per wheel.')
    expect(termMatch(questionTerms('How much to true a wheel?').find((t) => t.stem === 'true')!, job)).toBe(1)
    expect(termMatch(questionTerms('Is it true?').find((t) => t.stem === 'true')!, prepareSentence('A trust fund.'))).toBe(0)
  })

  test('the price of a rate asked for ("한 달에 얼마") picks the sentence stating that rate among other prices', () => {
    const storage = {
      index: 1,
      source: 'storage.docx',
      content: '보관 안내\n\n짐을 물류센터에 맡길 수 있습니다.\n5톤을 넘는 짐은 1톤마다 260,000원이 더해집니다.\n보관료: 컨테이너 1개당 한 달 190,000원',
    }
    const answer = composeOfflineAnswer(ask('짐 맡기면 한 달에 얼마 내요?'), { passages: [storage] })
    expect(answer.split('\n')[0]).toContain('190,000원')
    const rate = questionTerms('한 달에 얼마 내요?').find((t) => t.stem === '1개월')!
    expect([rate.weight, rate.rate]).toEqual([1, true])
    // Not asked a price, a rate stays a light word.
    expect(questionTerms('한 달에 몇 번 가요?').find((t) => t.stem === '1개월')!.weight).toBeLessThan(1)
  })

  test('a cost compound is found by what it is the cost of', () => {
    const shop = { index: 1, source: 'shop.md', content: '# 바로샵 안내\n\n배송비는 3,000원이며 5만 원 이상 사면 무료다. 반품은 7일 안에 한다.' }
    expect(firstLine('바로샵 택배비 얼마예요?', shop)).toContain('배송비는 3,000원')
    expect(questionTerms('바로샵 택배비 얼마예요?').find((t) => t.stem === '택배비')?.kin).toContain('배송')
  })

  test('free answers whether one pays, not how much', () => {
    const fees = {
      index: 1,
      source: 'greenvale-bins.md',
      content: '## Food waste\n\nEvery household gets a free food caddy. Replacement liners cost 3 pounds for a roll of 50.',
    }
    expect(firstLine('Do I have to pay for a Greenvale food caddy?', fees)).toBe(
      'Every household gets a free food caddy. [1]',
    )
    expect(firstLine('How much are replacement liners for the Greenvale caddy?', fees)).toBe(
      'Replacement liners cost 3 pounds for a roll of 50. [1]',
    )
  })

  test('a figure is a whole number, and another figure of its unit counts half', () => {
    const [three] = questionTerms('Is room 3 on the ground floor?').filter((t) => t.numeric)
    expect(termMatch(three!, prepareSentence('Room 23 is on the ground floor.'))).toBe(0)
    expect(termMatch(three!, prepareSentence('Room 3 is on the ground floor.'))).toBe(1)
    const [kilos] = questionTerms('Can I check a 35 kilo bag?').filter((t) => t.numeric)
    expect(kilos!.stem).toBe('35kg')
    expect(termMatch(kilos!, prepareSentence('Bags over 32 kg are not accepted.'))).toBe(0.5)
    expect(termMatch(kilos!, prepareSentence('A cabin bag of 55 x 40 cm is free.'))).toBe(0)
  })

  test('a figure the passage states picks its sentence alone, not the neighbouring limit of the same unit', () => {
    const prices = { index: 1, source: 'yoga.md', content: '## 요금\n\n1개월 회원권은 89,000원입니다. 6개월 회원권은 450,000원입니다.' }
    expect(firstLine('6개월 끊으면 얼마예요?', prices)).toBe('6개월 회원권은 450,000원입니다. [1]')
  })

  test('an English word is found at the start of a word, a short one only with its endings', () => {
    const [spa] = questionTerms('Does the hotel have a spa?').filter((t) => t.stem === 'spa')
    expect(termMatch(spa!, prepareSentence('The car park has 18 spaces.'))).toBe(0)
    expect(termMatch(spa!, prepareSentence('The spa opens at 9.'))).toBe(1)
    const [pay] = questionTerms('Can I pay by card?').filter((t) => t.stem === 'pay')
    expect(termMatch(pay!, prepareSentence('Payment is due on arrival.'))).toBe(1)
    const [bins] = questionTerms('When are the bins emptied?').filter((t) => t.stem === 'bin')
    expect(termMatch(bins!, prepareSentence('Bins must be out by 6:30 am.'))).toBe(1)
    expect(termMatch(bins!, prepareSentence('Binding offers are final.'))).toBe(0)
  })

  test('Korean: another form of the same verb, stacked particles, a unit with its particle', () => {
    const [lost] = questionTerms('카드 잃어버렸는데 어떡해요?').filter((t) => t.stem.startsWith('잃'))
    expect(termMatch(lost!, prepareSentence('회원증을 잃어버려 다시 만들면 1,000원을 낸다.'))).toBe(0.75)
    expect(questionTerms('도서관 월요일에도 열어요?').map((t) => t.stem)).toContain('월요일')
    expect(questionTerms('토요일엔 몇 시부터 해요?').map((t) => t.stem)).toEqual(['토요일', '시'])
    expect(questionTerms('입원한 엄마 간병하는데 주차 돼요?').map((t) => t.stem)).toEqual(expect.arrayContaining(['입원', '간병']))
    // Not a different word whose last syllable shares its sound: 면회 is not 면허.
    const [visit] = questionTerms('면회 돼요?')
    expect(termMatch(visit!, prepareSentence('운전면허가 필요하다.'))).toBe(0)
  })

  test('Korean: the verb of "V-아/어도 돼요" is how permission is asked, weighed lightly; a noun with 도 is not', () => {
    const weightOf = (question: string, stem: string) => questionTerms(question).find((t) => t.stem === stem)?.weight
    expect(weightOf('비즈니스석 타도 돼요?', '타도')).toBeLessThan(1)
    expect(weightOf('애가 열이 나는데 보내도 되나요?', '보내')).toBeLessThan(1)
    expect(weightOf('꽃다발 사 가도 괜찮아요?', '꽃다발')).toBe(1)
    expect(weightOf('주말에도 수영장 열어요?', '수영장')).toBe(1)
    expect(weightOf('강아지도 돼요?', '강아지')).toBe(1)
    expect(weightOf('피워도 되나요?', '피워')).toBeLessThan(1)
  })

  test('list items and labelled values are read as sentences, not as headings', () => {
    const library = {
      index: 1,
      source: 'dalbit-library.md',
      content: '# 달빛도서관 이용 안내\n\n## 운영 시간\n\n- 자료실: 오전 9시~오후 8시\n- 열람실: 매일 오전 7시~오후 11시\n- 정기 휴관일: 매주 월요일',
    }
    const answer = composeOfflineAnswer(ask('달빛도서관 열람실 몇 시까지 해요?'), { passages: [library] })
    expect(answer.split('\n')[0]).toBe('- 열람실: 매일 오전 7시~오후 11시 [1]')
  })

  test('a section heading is what the question asks about, not the document it names', () => {
    const slide = { index: 1, source: 'hanbit-travel.pptx', content: '출장 신청\n\n출장은 출발 5영업일 전까지 그룹웨어에서 신청하고 팀장의 승인을 받아야 한다.' }
    const title = { index: 2, source: 'hanbit-travel.pptx', content: '한빛소프트 출장비 규정\n\n이 규정은 한빛소프트 임직원의 출장 비용을 정한다.' }
    const question = ask('한빛소프트 출장 신청은 며칠 전에 해야 돼요?')
    expect(groundingAnswers(question, { passages: [title, slide] })).toBe(true)
    expect(composeOfflineAnswer(question, { passages: [title, slide] }).split('\n')[0]).toStartWith('출장은 출발 5영업일 전까지')
  })

  test('reads only the passages of the document the question names', () => {
    const other = { index: 1, source: 'vet-leaflet.md', content: 'Pets are allowed in the car park and the waiting room on a lead.' }
    const rental = { index: 2, source: 'tidewell-car-hire.md', content: '## Pets\n\nPets are allowed in a carrier. Smoking leads to a cleaning fee of 150 dollars.' }
    const answer = composeOfflineAnswer(ask('Are pets allowed in a Tidewell car?'), { passages: [other, rental] })
    expect(answer.split('\n')[0]).toBe('Pets are allowed in a carrier. [2]')
    expect(answer).not.toContain('vet-leaflet.md')
  })

  test('the answer confidence rises with each reading it weighs, and retrieval\'s score is reported but not weighed', () => {
    const base = { passage: 0.5, sentence: 0.5, score: 0.5, valued: false }
    const c = answerConfidence(base)
    expect(answerConfidence({ ...base, passage: 0.7 })).toBeGreaterThan(c)
    expect(answerConfidence({ ...base, score: 0.7 })).toBeGreaterThan(c)
    expect(answerConfidence({ ...base, thingMissing: true })).toBeLessThan(c)
    const question = 'How much do Kestrel staff get for food each day?'
    const scored = weighEvidence(question, [{ ...policy, similarity: 0.61 }])
    expect(scored.signals.similarity).toBe(0.61)
    expect(scored.signals.topSimilarity).toBe(0.61)
    // Tuning showed that retrieval finds an unanswered question's document as well as an answered one's.
    expect(weighEvidence(question, [{ ...policy, similarity: 0.05 }]).confidence).toBe(scored.confidence)
    expect(weighEvidence(question, [policy]).signals.similarity).toBeUndefined()
  })

  test('ages in any wording, and the limit an asker\'s age or notice falls within picks its sentence', () => {
    const pool = {
      index: 1,
      source: 'pool.md',
      content: '## Children\n\nChildren under 4 swim free. Children under 8 must be accompanied in the water by someone aged 16 or over.',
    }
    expect(firstLine('Does my 3-year-old have to pay to swim?', pool)).toStartWith('Children under 4 swim free. [1]')
    const [age] = questionTerms('Can my six-year-old swim alone?').filter((t) => t.numeric)
    expect(termMatch(age!, prepareSentence('Children under 8 must be accompanied.'))).toBe(1)
    expect(termMatch(age!, prepareSentence('Children under 4 swim free.'))).toBe(0.5)
    const [full] = questionTerms('17살이면 혼자 묵을 수 있어요?').filter((t) => t.numeric)
    // "만 18세" is full years, not 10,018.
    expect(termMatch(full!, prepareSentence('만 18세 미만은 보호자와 함께 묵어야 한다.'))).toBe(1)
    // Only ages and notice are read as limits: living six months is not two months of arrears.
    const [months] = questionTerms('반년 살고 나가면 복비는 누가 내요?').filter((t) => t.numeric)
    expect(termMatch(months!, prepareSentence('임대료가 2개월 이상 밀리면 임대인은 계약을 해지할 수 있다.'))).toBe(0.5)
    const refunds = { index: 1, source: 'tour.md', content: '## 취소\n\n여행 시작 7일 전까지 취소하면 전액 환불됩니다. 3일 전까지는 50퍼센트, 그 이후에는 환불되지 않습니다.' }
    expect(firstLine('여행 닷새 전에 취소하면 얼마나 돌려받나요?', refunds)).toStartWith('3일 전까지는 50퍼센트')
  })
})

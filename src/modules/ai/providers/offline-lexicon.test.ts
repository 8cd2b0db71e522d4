import { describe, expect, test } from 'bun:test'
import { normalizeText, stemWord } from '../text-features'
import { canonicalText, createKinLookup } from './offline-lexicon'
import { prepareSentence, questionTerms, termMatch } from './offline-evidence'

const canon = (text: string) => canonicalText(normalizeText(text))

describe('canonical numbers and quantities', () => {
  test('native Korean numerals with counters, and durations said as one word', () => {
    expect(canon('석 달 지나면')).toBe('3개월 지나면')
    expect(canon('두달 밀리면')).toBe('2개월 밀리면')
    expect(canon('넉 달 뒤에')).toBe('4개월 뒤에')
    expect(canon('한 해 동안')).toBe('1년 동안')
    expect(canon('여덟 살 고양이')).toBe('8세 고양이')
    expect(canon('일주일에 두 번')).toBe('1주에 2번')
    expect(canon('사흘째, 열흘 안에, 보름 뒤, 반년 살고')).toBe('3일째, 10일 안에, 15일 뒤, 6개월 살고')
    expect(canon('3 달')).toBe('3개월')
    expect(canon('석 달짜리 회원권')).toBe('3개월짜리 회원권')
  })

  test('leaves words that only look like numerals alone', () => {
    expect(canon('세대당 1대까지')).toBe('세대당 1대까지')
    expect(canon('한결테크 세금 네트워크')).toBe('한결테크 세금 네트워크')
    expect(canon('만약 백화점 천천히')).toBe('만약 백화점 천천히')
    expect(canon('which one is it')).toBe('which one is it')
  })

  test('Korean large-number units and thousands separators become one figure', () => {
    expect(canon('보증금은 1,000만 원이고 월세는 55만 원이다')).toBe('보증금은 10000000원이고 월세는 550000원이다')
    expect(canon('천만원 있어야')).toBe('10000000원 있어야')
    expect(canon('1만 5천 원')).toBe('15000원')
    expect(canon('3억 2천만 원')).toBe('320000000원')
    expect(canon('1.5만 원')).toBe('15000원')
    expect(canon('58,000원')).toBe('58000원')
    expect(canon('보증금 오백만 원')).toBe('보증금 5000000원')
    expect(canon('구십만원')).toBe('900000원')
  })

  test('percent and currency in one form across both languages', () => {
    for (const t of ['80%', '80 %', '80퍼센트', '80 percent', '80프로']) expect(canon(t)).toBe('80pct')
    for (const t of ['$40', '40 dollars', '40 US dollars', '40달러']) expect(canon(t)).toBe('40usd')
    expect(canon('$1,200')).toBe('1200usd')
  })

  test('spelled-out English numbers and everyday phrases', () => {
    expect(canon('six monthly payments')).toBe('6 monthly payments')
    expect(canon('twenty-five days')).toBe('25 days')
    expect(canon('my fourteen-year-old')).toBe('my 14세')
    expect(canon('children under 8 must swim with someone aged 16 or over')).toBe('child under 8세 must swim with someone aged 16세 or over')
    expect(canon('guests under 12 stay free, 2 guests per room, over 30 minutes')).toBe('guests under 12세 stay free, 2 guests per room, over 30 minutes')
    expect(canon('만 18세 미만, 8살, 만 원')).toBe('18세 미만, 8세, 10000원')
    expect(canon('one month')).toBe('1 month')
    expect(canon('half a year')).toBe('6 months')
    expect(canon('twice a week')).toBe('2 times a week')
    expect(canon('a fortnight')).toBe('2 weeks')
    expect(canon('when do I get my money back')).toBe('when do i get my refund')
    expect(canon("what if I don't show up")).toBe('what if i missed')
    expect(canon('how much is it for a grown-up')).toBe('how much is it for a adult')
  })
})

describe('everyday and formal words', () => {
  const kinOf = createKinLookup(stemWord)

  test('a word finds the other words of its meaning, in both languages', () => {
    expect(kinOf('벌금')).toEqual(expect.arrayContaining(['과태료', '위약금', 'penalt']))
    expect(kinOf('월급')).toEqual(expect.arrayContaining(['급여', '임금', 'salar']))
    expect(kinOf('집세')).toEqual(expect.arrayContaining(['월세', '임대료', 'rent']))
    expect(kinOf('병원비')).toEqual(expect.arrayContaining(['진료비', '의료비']))
    expect(kinOf(stemWord('fines'))).toEqual(expect.arrayContaining(['과태료', '위약금']))
    expect(kinOf('환불')).toEqual(expect.arrayContaining(['반환', 'refund']))
  })

  test('a compound finds the group of the word it begins with, not of any substring', () => {
    expect(kinOf('월급날')).toEqual(expect.arrayContaining(['급여']))
    expect(kinOf('한결테크')).toEqual([])
  })

  test('a word with a group of its own keeps the meaning of the word it begins with', () => {
    // "돌려받" is a word of the giving-back group and begins with "돌려", a word of the refund group.
    expect(kinOf('돌려받')).toEqual(expect.arrayContaining(['반환', '환불']))
  })

  test('a kin word is found in another form of its root, and a one-syllable stem with its ending', () => {
    const [bring] = questionTerms('뭐 챙겨 가요?').filter((t) => t.stem === '챙겨')
    // 가져오 (a kin of 챙기) in "가져온다": the root's last syllable took the ending's consonant.
    expect(termMatch(bring!, prepareSentence('개인 컵을 가져온다.'))).toBeCloseTo(0.6)
    const stay = questionTerms('혼자 묵을 수 있어요?').find((t) => t.stem === '묵')!
    expect(termMatch(stay, prepareSentence('만 18세 미만은 보호자와 함께 묵어야 한다.'))).toBe(0.75)
    expect(termMatch(stay, prepareSentence('묵은지는 팔지 않는다.'))).toBe(0)
  })

  test('a phrase of the lexicon said in the question gives its words the phrase\'s kin', () => {
    const card = questionTerms('도서관 카드 잃어버렸는데 다시 만드는 데 얼마예요?').find((t) => t.stem === '카드')!
    expect(termMatch(card, prepareSentence('회원증을 잃어버려 다시 만들면 1,000원을 낸다.'))).toBe(0.8)
    // "카드" alone is a payment card, not a membership card.
    const paying = questionTerms('카드로 낼 수 있어요?').find((t) => t.stem === '카드')!
    expect(paying.kin).not.toContain('회원증')
    // A two-syllable root in another form: 만드 / 만들면.
    const make = questionTerms('다시 만드는 데 얼마예요?').find((t) => t.stem === '만드')!
    expect(termMatch(make, prepareSentence('다시 만들면 1,000원을 낸다.'))).toBe(0.75)
  })

  test('a unit said without its figure finds the unit after a figure', () => {
    const percent = questionTerms('몇 퍼센트에서 멈추나요?').find((t) => t.stem === '퍼센트')!
    expect(termMatch(percent, prepareSentence('80퍼센트에서 멈춘다.'))).toBeGreaterThan(0.5)
  })

  test('a quantity of time is found in another unit, and within a period or notice stated in one', () => {
    const weeks = questionTerms('3주 남기고 취소하면요?').find((t) => t.numeric)!
    expect(termMatch(weeks, prepareSentence('21일 전에 알려 주세요.'))).toBe(1)
    expect(termMatch(weeks, prepareSentence('예식 29일 전 이후 취소: 대관료의 40%'))).toBe(1)
    expect(termMatch(weeks, prepareSentence('예식 59일 전 ~ 30일 전 취소: 대관료의 20%'))).toBe(0)
    const hours = questionTerms('48시간 전에 말하면 되나요?').find((t) => t.numeric)!
    expect(termMatch(hours, prepareSentence('2일 전까지 연락해야 한다.'))).toBe(1)
    const english = questionTerms('Can I return it after 2 weeks?').find((t) => t.stem === '2')!
    expect(termMatch(english, prepareSentence('Returns are accepted within 14 days.'))).toBe(1)
    expect(termMatch(english, prepareSentence('Returns are accepted within 15 days.'))).toBe(0)
    // A month is 30 days in terms and conditions, never 4 weeks.
    const month = questionTerms('한 달 넘게 보관하면 얼마예요?').find((t) => t.stem === '1개월')
    expect(month?.equivalents).toBeUndefined()
    const twoMonths = questionTerms('2개월 보관하면 얼마예요?').find((t) => t.numeric)!
    expect(termMatch(twoMonths, prepareSentence('60일까지 보관할 수 있다.'))).toBe(1)
    expect(termMatch(twoMonths, prepareSentence('8주까지 보관할 수 있다.'))).toBe(0)
  })

  test('a distance or weight said "킬로" is either unit', () => {
    const kilo = questionTerms('10킬로 뛰는 데 시간 제한이 얼마예요?').find((t) => t.numeric)!
    expect(kilo.stem).toBe('10kilo')
    expect(termMatch(kilo, prepareSentence('| 10km | 오전 8시 40분 | 1시간 40분 |'))).toBe(1)
    expect(termMatch(kilo, prepareSentence('10kg 이하 소형견'))).toBe(1)
    expect(termMatch(kilo, prepareSentence('| 5km 걷기 | 오전 9시 |'))).toBe(0)
  })

  test('a question matches a sentence worded formally, and a figure said natively', () => {
    const [fine] = questionTerms('벌금 있어요?')
    const formal = prepareSentence('금연 구역에서 흡연하면 1회에 10만 원의 과태료를 부과한다.')
    expect(termMatch(fine!, formal)).toBeGreaterThan(0.5)
    expect(termMatch(fine!, prepareSentence('주차는 세대당 1대까지 가능하다.'))).toBe(0)

    const months = questionTerms('석 달 지나도 되나요?').find((t) => t.numeric)!
    expect(months.stem).toBe('3개월')
    expect(termMatch(months, prepareSentence('3개월 안에 신청해야 한다.'))).toBe(1)
    // Another figure of the same unit is the same quantity, not the same figure: half.
    expect(termMatch(months, prepareSentence('2개월 안에 신청해야 한다.'))).toBe(0.5)
    expect(termMatch(months, prepareSentence('30일 안에 신청해야 한다.'))).toBe(0)
    // A period the asker's quantity falls within states the asker's case.
    expect(termMatch(months, prepareSentence('30개월 안에 신청해야 한다.'))).toBe(1)

    const amount = questionTerms('보증금 천만원이에요?').find((t) => t.numeric)!
    expect(termMatch(amount, prepareSentence('보증금은 1,000만 원이다.'))).toBe(1)
  })

  test('a lexicon prefix finds only words it begins, not unrelated longer words', () => {
    expect(kinOf('락커')).toEqual(expect.arrayContaining(['사물함']))
    expect(kinOf(stemWord('dental'))).toEqual([])
    expect(kinOf(stemWord('password'))).not.toContain('member')
  })

  test('contractions read as their words', () => {
    expect(canon("It won't start and I can't call")).toBe('it will not start and i can not call')
    expect(canon("doesn't")).toBe('does not')
  })

  test('a short English kin word is a whole word, not part of another', () => {
    const [cost] = questionTerms('cost')
    expect(termMatch(cost!, prepareSentence('The fee is 40 dollars.'))).toBeGreaterThan(0.5)
    expect(termMatch(cost!, prepareSentence('Feedback is welcome.'))).toBe(0)
  })
})

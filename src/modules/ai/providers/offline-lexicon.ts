/**
 * What lets the offline answerer match a question worded the way people talk against a
 * document worded the way documents are written. Two parts, both general vocabulary and never
 * any document's own words:
 * - `canonicalText`: one written form for numbers and quantities, applied alike to questions
 *   and passage sentences. Native Korean numerals and durations ("석 달" → "3개월", "열흘" →
 *   "10일", "반년" → "6개월"), Korean large-number units ("5만 원", "1,000만 원", "천만원" →
 *   one figure in 원), thousands separators, percent ("%", "퍼센트", "프로", "percent" → "Npct"),
 *   currency ("$40", "40 US dollars", "40달러" → "40usd"), spelled-out English numbers
 *   ("six months" → "6 months", "twice" → "2 times", "half a year" → "6 months"), and a few
 *   everyday phrases folded into one word ("money back" → "refund").
 * - `LEXICON`: groups of words of one meaning, everyday and formal, Korean and English
 *   ("월급" / "급여" / "salary"; "벌금" / "과태료" / "위약금" / "penalty" / "fine"). A question
 *   word finds its group's other words at a discount (offline-evidence.ts `termMatch`).
 * It does not paraphrase, convert between units (48시간 is not 이틀), or compute.
 */

const NATIVE_KO: Record<string, number> = {
  한: 1, 하나: 1, 두: 2, 둘: 2, 세: 3, 셋: 3, 석: 3, 네: 4, 넷: 4, 넉: 4, 다섯: 5, 여섯: 6, 일곱: 7, 여덟: 8, 아홉: 9,
  열: 10, 열한: 11, 열두: 12, 열세: 13, 열네: 14, 열다섯: 15, 스무: 20, 스물: 20, 서른: 30, 마흔: 40, 쉰: 50,
}
/** Counters native numerals are said with, and the written form each becomes. */
const COUNTER: Record<string, string> = {
  달: '개월', 개월: '개월', 해: '년', 시간: '시간', 시: '시', 살: '세', 번: '번', 명: '명', 개: '개', 주: '주',
  마리: '마리', 가지: '가지', 차례: '번', 곳: '곳', 권: '권', 장: '장', 잔: '잔', 대: '대', 층: '층', 배: '배',
}
/** Counters a numeral may be glued to ("두달"); the others need a space ("세 대", never "세대", a household). */
const GLUED = new Set(['달', '개월', '시간', '번', '살', '명', '마리', '가지', '차례'])
/** What may follow a counter: the end of a word, or a particle or suffix ("달에", "번째", "시간씩"). */
const AFTER_COUNTER = '(?=$|[^가-힣]|(?:에서|으로|까지|부터|마다|동안|정도|째|쯤|씩|간|전|후|안|이내|에|은|는|이|가|을|를|의|도|만|로|이나|나)(?:[^가-힣]|$|[가-힣]))'
const NUMERALS = Object.keys(NATIVE_KO).sort((a, b) => b.length - a.length).join('|')
const COUNTERS = Object.keys(COUNTER).sort((a, b) => b.length - a.length).join('|')
const NATIVE_COUNTED = new RegExp(`(?<![가-힣\\d])(${NUMERALS})(\\s?)(${COUNTERS})${AFTER_COUNTER}`, 'gu')

/** Native durations said as one word. */
const DURATION: Record<string, string> = {
  하루: '1일', 이틀: '2일', 사흘: '3일', 나흘: '4일', 닷새: '5일', 엿새: '6일', 이레: '7일', 여드레: '8일', 아흐레: '9일',
  열흘: '10일', 보름: '15일', 반년: '6개월', 일주일: '1주', 이주일: '2주', '일 년': '1년', 일년: '1년', '반 달': '15일', 반달: '15일',
}
const DURATIONS = new RegExp(`(?<![가-힣])(${Object.keys(DURATION).sort((a, b) => b.length - a.length).join('|')})`, 'gu')
/** "3달" is "3개월". */
const FIGURE_MONTHS = /(?<![가-힣\d])(\d+)\s?달(?=$|[^가-힣]|[에은는이을를의도만간])/gu

const KO_UNIT: Record<string, number> = { 억: 1e8, 만: 1e4, 천: 1e3, 백: 1e2, 십: 10 }
const SINO_DIGIT: Record<string, string> = { 일: '1', 이: '2', 삼: '3', 사: '4', 오: '5', 육: '6', 칠: '7', 팔: '8', 구: '9' }
/** An amount of money spelled in Sino-Korean numerals: "오백만 원", "구십만원". */
const SINO_AMOUNT = /(?<![가-힣\d.])(?<![\d.]\s)([일이삼사오육칠팔구십백천만억]*[십백천만억][일이삼사오육칠팔구십백천만억]*)(?=\s?원)/gu
/** A Korean figure with large-number units: "5만", "1만 5천", "천만", "3억 2천만"; digits first, or followed by 원. */
const KO_FIGURE = /(?<![가-힣\d.])((?:\d+(?:\.\d+)?\s?)?(?:억|천|백|만)(?:\s?(?:\d+(?:\.\d+)?\s?)?(?:억|천|백|만))*(?:\s?\d+)?)(?=\s?원|[^가-힣]|$|[가-힣])/gu

function koFigure(expr: string): number | undefined {
  let total = 0
  let section = 0
  let sawUnit = false
  for (const [, num, unit] of expr.replace(/\s/g, '').matchAll(/(\d+(?:\.\d+)?)?([억천백십만])?/g)) {
    if (num === undefined && unit === undefined) continue
    const n = num === undefined ? undefined : Number(num)
    if (!unit) {
      section += n ?? 0
      continue
    }
    sawUnit = true
    const u = KO_UNIT[unit]!
    if (u >= 1e4) {
      total += (section + (n ?? 0) || 1) * u
      section = 0
    } else section += (n ?? 1) * u
  }
  return sawUnit ? total + section : undefined
}

const EN_NUMBER: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
}
const EN_WORDS = Object.keys(EN_NUMBER).join('|')
const EN_SPELLED = new RegExp(`\\b(${EN_WORDS})(?:[- ](two|three|four|five|six|seven|eight|nine))?\\b`, 'g')
/** "one" is a number only before what is counted ("one month"), not in "which one". */
const EN_UNITS = 'minutes?|hours?|days?|weeks?|months?|years?|times?|nights?|people|persons?|visits?|payments?|items?|percent|dollars?|euros?|pounds?'

/** English irregular forms, as the regular stem their other forms share ("paid" → "pay", "children" → "child"). */
const IRREGULAR: Record<string, string> = Object.fromEntries(
  (
    'paid:pay bought:buy took:take taken:take gave:give given:give went:go gone:go kept:keep left:leave lost:lose ' +
    'broke:break broken:break sold:sell spent:spend sent:send made:make told:tell found:find held:hold met:meet ' +
    'ate:eat eaten:eat drove:drive driven:drive wrote:write written:write chose:choose chosen:choose began:begin begun:begin ' +
    'fell:fall fallen:fall grew:grow grown:grow knew:know known:know saw:see seen:see flew:fly flown:fly stole:steal stolen:steal ' +
    'froze:freeze frozen:freeze stood:stand brought:bring thought:think taught:teach caught:catch built:build lent:lend ' +
    'felt:feel slept:sleep children:child people:person teeth:tooth feet:foot men:man women:woman mice:mouse ' +
    'bitten:bite hid:hide hidden:hide ran:run shut:shut cut:cut'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
)
const IRREGULAR_WORD = new RegExp(`\\b(?:${Object.keys(IRREGULAR).join('|')})\\b`, 'g')

/** Everyday phrases folded into the one word documents use. */
const PHRASES: [RegExp, string][] = [
  [/\bhalf an? year\b|\bsix[- ]month period\b/g, '6 months'],
  [/\bhalf an? hour\b/g, '30 minutes'],
  [/\ba fortnight\b|\bfortnight\b/g, '2 weeks'],
  [/\ba dozen\b|\bdozen\b/g, '12'],
  [/\btwice\b/g, '2 times'],
  [/\bthrice\b/g, '3 times'],
  [/\bmoney back\b|\bpaid back\b|\bpay (?:me )?back\b/g, 'refund'],
  [/\bcall(?:ing|ed)? off\b/g, 'cancel'],
  [/\bno[- ]shows?\b|\b(?:do not|don't|didn't|never) (?:show|turn) up\b/g, 'missed'],
  [/\bday off\b|\btime off\b|\bdays off\b/g, 'leave'],
  [/\bsign(?:ing|ed)? up\b/g, 'register'],
  [/\bphone number\b|\bcontact number\b|\btelephone number\b/g, 'phone'],
]

/**
 * One written form for numbers and quantities (see the module comment). Expects and returns
 * normalised text (offline `normalizeText`: NFKC, lower case, single spaces).
 */
export function canonicalText(normalized: string): string {
  let s = normalized
  const digits = /\d/.test(s)
  const hangul = /[가-힣]/.test(s)
  const latin = /[a-z]/.test(s)
  // Thousands separators: "1,000" → "1000" (a decimal comma is not a thousands one: three digits follow).
  if (digits) s = s.replace(/(\d)[,，](?=\d{3}(?!\d))/g, '$1').replace(/(\d)[,，](?=\d{3}(?!\d))/g, '$1')
  if (latin) {
    if (PHRASE_CUE.test(s)) for (const [re, to] of PHRASES) s = s.replace(re, to)
    s = s.replace(EN_SPELLED, (_, tens: string, ones?: string) => String(EN_NUMBER[tens]! + (ones ? EN_NUMBER[ones]! : 0)))
    s = s.replace(EN_ONE, '1 ')
    s = s.replace(IRREGULAR_WORD, (w) => IRREGULAR[w]!)
  }
  if (hangul) {
    s = s.replace(DURATIONS, (word: string) => DURATION[word]!)
    if (digits) s = s.replace(FIGURE_MONTHS, '$1개월')
    s = s.replace(NATIVE_COUNTED, (whole, numeral: string, space: string, counter: string) =>
      space || GLUED.has(counter) ? `${NATIVE_KO[numeral]}${COUNTER[counter]}` : whole,
    )
    if (KO_UNIT_CUE.test(s)) {
      s = s.replace(SINO_AMOUNT, (expr: string) => String(koFigure(expr.replace(/[일이삼사오육칠팔구]/g, (d) => SINO_DIGIT[d]!)) ?? expr))
      s = s.replace(KO_FIGURE, (whole, expr: string, offset: number, all: string) => {
        // Without a digit, only an amount of money is a figure ("천만 원", not "만약" or "백화점").
        if (!/\d/.test(expr) && !/^\s?원/.test(all.slice(offset + whole.length))) return whole
        const value = koFigure(expr)
        return value === undefined ? whole : String(value)
      })
    }
  }
  if (!/\d/.test(s)) return s
  // Units glued to their figure, in one form per language pair.
  s = s.replace(/(\d)\s?(?:퍼센트|프로|%|percent|per cent|pct)(?![a-z])/g, '$1pct')
  s = s.replace(/[$＄]\s?(\d[\d.]*)/g, '$1usd').replace(/(\d)\s?(?:us dollars?|dollars?|usd|달러|불)(?![a-z가-힣])/g, '$1usd')
  s = s.replace(/(\d)\s?(?:euros?|eur|유로)(?![a-z])/g, '$1eur').replace(/[€]\s?(\d[\d.]*)/g, '$1eur')
  s = s.replace(/(\d)\s(원|개월|일|년|주|시간|분|초|세|회|번|명|개|층)/g, '$1$2').replace(/(\d)\s(km|cm|mm|kg|g|ml|l)(?![a-z])/g, '$1$2')
  return s
}

const KO_UNIT_CUE = /[억천백만]/
const PHRASE_CUE = /half|fortnight|dozen|twice|thrice|back|call|show|off|sign|number/
const EN_ONE = new RegExp(`\\b(?:one|a single)\\s+(?=(?:${EN_UNITS})\\b)`, 'g')

/**
 * Words of one meaning, everyday and formal, Korean and English, written as stems or
 * prefixes (English is matched as a word start: "reimburs" finds "reimbursed"). General
 * vocabulary of questions people ask about documents; no document's own names.
 */
export const LEXICON: string[][] = [
  // money
  ['money', 'cost', 'price', 'fee', 'charg', 'pay', 'paid', 'spend', 'usd', '돈', '비용', '요금', '가격', '금액', '값', '원'],
  ['fine', 'penalt', 'late fee', 'surcharg', '벌금', '과태료', '위약금', '범칙금', '연체료', '가산금', '페널티'],
  ['salary', 'wage', 'payroll', 'paycheck', 'payday', '월급', '급여', '임금', '봉급', '보수', '급료', '월급날'],
  ['rent', 'lease', '집세', '월세', '임대료', '차임', '방세'],
  ['deposit', '보증금', '예치금', '계약금'],
  ['medical', 'treatment', 'hospital', 'clinic', '병원비', '진료비', '의료비', '치료비', '병원', '진료', '치료'],
  ['refund', 'reimburs', 'repay', '환불', '반환', '환급', '돌려', '상환'],
  ['discount', '할인', '깎'],
  ['free', 'no charge', 'without charge', 'complimentary', '무료', '공짜', '무상'],
  ['instal', 'monthly payment', 'split', '할부', '분할', '나눠'],
  ['allowance', 'stipend', 'subsid', 'support', '수당', '지원금', '보조금', '지원'],
  ['meal', 'food', 'lunch', 'dinner', 'breakfast', 'eat', '식대', '밥값', '식비', '음식', '식사', '밥', '점심', '저녁'],
  ['tax', '세금', '세액'],
  ['interest', '이자', '금리', '이율'],
  ['loan', 'borrow', '대출', '대여', '빌리', '빌려'],
  ['commission', 'brokerage', 'agent fee', '복비', '중개수수료', '중개료', '수수료'],
  // time
  ['deadline', 'due', 'no later than', 'by when', 'within', '마감', '기한', '기일', '까지', '이내', '안에'],
  ['day', 'daily', '매일', '하루', '일일', '일당'],
  ['month', 'monthly', '매월', '매달', '월간', '개월', '월'],
  ['year', 'annual', 'yearly', '매년', '연간', '해마다', '연'],
  ['every', 'per', 'each', '마다', '매번'],
  ['week', 'weekly', '매주', '주간'],
  ['hour', 'open', 'opening', '운영', '영업', '업무시간'],
  ['closed', 'shut', 'holiday', '휴무', '휴관', '휴일', '쉬는'],
  ['late', 'overdue', 'delay', 'behind', '늦', '연체', '지연', '밀리', '밀린', '미납'],
  ['early', 'in advance', 'ahead', 'beforehand', '미리', '사전'],
  ['extend', 'renew', '연장', '갱신'],
  // people and contact
  ['phone', 'call', 'ring', 'hotline', 'telephon', 'contact', '전화', '번호', '연락처', '연락', '전화번호'],
  ['address', 'locat', '주소', '위치', '소재지'],
  ['email', 'e-mail', 'mail', '이메일', '메일'],
  ['head', 'lead', 'chief', 'chair', 'manag', 'director', 'officer', 'in charge', 'responsib', '책임', '담당', '대표', '원장', '소장', '관리자', '매니저', '과장', '팀장', '부장', '실장', '차장', '대리', '주임'],
  ['employe', 'staff', 'worker', 'personnel', '직원', '사원', '근로자', '임직원', '종업원'],
  ['company', 'employer', 'firm', '회사', '사측', '직장'],
  ['child', 'kid', 'toddler', 'minor', 'son', 'daughter', 'baby', '아이', '어린이', '자녀', '아동', '아기', '애들', '미성년'],
  ['parent', 'guardian', '부모', '보호자'],
  ['senior', 'elderly', '노인', '어르신', '경로'],
  ['adult', 'grown', '성인', '어른'],
  ['tenant', 'resident', 'occupant', '입주자', '세입자', '임차인', '거주자'],
  ['landlord', 'owner', 'lessor', '집주인', '임대인', '건물주'],
  // actions and states
  ['cancel', 'terminat', 'call off', 'withdraw', '취소', '해지', '해약', '철회'],
  ['quit', 'resign', 'leave the company', 'retire', '퇴사', '퇴직', '그만두', '그만'],
  ['hire', 'join', 'onboard', '입사', '채용'],
  ['move out', 'vacat', 'leav', '퇴거', '이사', '나가'],
  ['move in', '입주', '입실'],
  ['apply', 'request', 'register', 'enrol', 'sign up', 'submit', '신청', '등록', '가입', '접수', '제출'],
  ['book', 'reserv', 'appointment', '예약'],
  ['miss', 'no-show', 'absent', 'skip', '노쇼', '불참', '결석', '빠지'],
  ['broke', 'break', 'broken', 'fault', 'defect', 'fail', 'malfunction', '고장', '결함', '하자', '불량', '파손', '망가'],
  ['repair', 'fix', 'mend', '수리', '고치', '보수'],
  ['replac', 'exchang', 'swap', '교체', '교환'],
  ['deliver', 'shipping', 'ship', '배송', '택배', '배달'],
  ['warranty', 'guarant', 'covered', 'cover', '보증', '보장', '보상'],
  ['allowed', 'permit', '허용', '가능'],
  ['keep', 'raise', 'own', '키우', '기르', '키워'],
  ['forbid', 'prohibit', 'banned', 'not allowed', '금지', '불가', '안 돼'],
  ['smok', 'cigarett', '담배', '흡연', '금연'],
  ['alcohol', 'drink', 'liquor', '술', '음주', '주류'],
  ['pet', 'dog', 'cat', 'animal', '반려동물', '애완', '강아지', '고양이', '개'],
  ['park', 'car', 'vehicle', '주차', '차량', '자동차'],
  ['commut', 'drive', '출퇴근', '운전', '자가운전'],
  ['wedding', 'marri', '결혼', '혼인'],
  ['birth', 'newborn', 'maternity', 'paternity', '출산', '출생', '태어나', '낳'],
  ['funeral', 'death', 'bereave', '장례', '조의', '사망', '돌아가'],
  ['overtime', 'night shift', '야근', '연장근로', '초과근무', '야간근로', '잔업'],
  ['leave', 'vacation', 'holiday', 'day off', 'time off', 'rest', '휴가', '연차', '휴직', '휴식', '쉬', '쉴'],
  ['sick', 'ill', '병가', '아프', '아플'],
  ['training', 'course', 'education', 'tuition', '교육', '연수', '강의', '수강'],
  ['certificat', 'diploma', '수료증', '자격증', '증명서', '인증서'],
  ['check-up', 'checkup', 'examin', 'screening', '검진', '건강검진', '검사'],
  ['distinguish', 'recogni', 'identif', 'tell apart', '구별', '구분', '식별', '인식'],
  ['fast', 'fasting', 'empty stomach', '금식', '굶', '공복'],
  ['cool', 'cold', 'chill', '냉각', '차갑', '식히', '식혀', '차가'],
  ['size', 'big', 'large', 'dimension', '크기', '규모', '사이즈'],
  ['weight', 'heavy', '무게', '체중', '몸무게', '킬로그램', 'kg'],
  ['age', 'old', '나이', '연령', '세', '살'],
  ['limit', 'maximum', 'cap', 'at most', 'up to', '최대', '한도', '상한', '이하'],
  ['minimum', 'at least', '최소', '하한', '이상'],
  ['electric', 'power', '전기', '전력'],
  ['heating', 'boiler', '보일러', '난방'],
  ['noise', 'loud', '소음', '시끄'],
  ['garbage', 'trash', 'rubbish', 'waste', '쓰레기', '폐기물'],
  ['emergenc', 'urgent', '긴급', '응급', '급한', '비상'],
  ['night', 'after hours', 'overnight', '야간', '밤', '심야'],
  ['ticket', 'admission', 'entry', '입장권', '입장료', '티켓'],
  ['hotel', 'accommodat', 'lodging', '숙박', '호텔', '숙소'],
  ['travel', 'trip', 'tour', '여행', '출장', '투어'],
  ['insuranc', '보험'],
  ['account', 'bank', '계좌', '통장', '은행'],
  ['error', 'problem', 'issue', 'trouble', 'malfunction', '오류', '에러', '문제', '이상'],
  ['password', 'passcode', 'pin', '비밀번호', '암호', '패스워드'],
  ['reset', 'factory setting', 'wipe', '초기화', '리셋'],
  ['updat', 'upgrad', 'firmware', '업데이트', '갱신'],
  ['lose', 'stolen', 'missing', 'theft', '분실', '도난', '잃어', '잃어버'],
  ['report', 'notify', 'inform', 'let know', '신고', '보고', '통보', '알리'],
  ['damag', 'harm', 'injur', '손상', '피해', '부상', '다치'],
  ['claim', 'compensat', '청구', '보상'],
  ['vaccin', 'jab', 'shot', 'booster', 'immuni', '백신', '접종', '예방주사', '주사'],
  ['medicin', 'medication', 'drug', 'pill', 'tablet', 'dose', 'dosage', '약', '복용', '투약', '처방'],
  ['doctor', 'physician', 'vet', 'veterinar', 'dentist', '의사', '수의사', '치과의사', '원장'],
  ['sick', 'ill', 'disease', 'symptom', 'unwell', '아프', '질병', '증상', '병'],
  ['snack', 'treat', '간식'],
  ['feed', 'diet', 'food', 'meal', '사료', '먹이', '급여량', '식단'],
  ['walk', 'exercis', 'activit', '산책', '운동', '활동'],
  ['wash', 'bath', 'clean', 'groom', '목욕', '세척', '청소', '씻'],
  ['temperatur', 'degree', 'hot', 'heat', '온도', '도씨', '섭씨', '뜨거'],
  ['fast', 'quick', 'speed', 'rapid', '빠르', '빨리', '속도', '급속'],
  ['length', 'long', 'tall', 'height', '길이', '높이', '키'],
  ['guest', 'visitor', 'attende', 'participant', 'person', 'member', '인원', '참가자', '방문객', '손님', '회원'],
  ['requir', 'mandator', 'compulsor', 'must', 'need', '필수', '의무', '반드시', '꼭'],
  ['start', 'begin', 'commenc', 'effective', '시작', '개시', '시행'],
  ['end', 'finish', 'expir', 'terminat', '종료', '만료', '끝나', '끝'],
  ['buy', 'purchas', 'order', '구매', '구입', '주문', '사다'],
  ['return', 'send back', '반품', '반송', '반납'],
  ['luggage', 'baggage', 'suitcase', '수하물', '짐', '가방'],
  ['flight', 'plane', 'airline', 'fly', '항공', '비행기', '항공권'],
  ['arriv', 'check in', 'check-in', '도착', '체크인', '입실'],
  ['depart', 'check out', 'check-out', '출발', '체크아웃', '퇴실'],
  ['battery', 'batteries', '배터리', '건전지', '충전지'],
  ['screen', 'display', '화면', '디스플레이'],
  ['noisy', 'sound', 'beep', '소리', '알림음'],
  ['light', 'lamp', 'bulb', 'led', '조명', '전구', '램프', '형광등'],
]

const HANGUL = /[가-힣]/

/** The matching form of a lexicon word: as written for Korean and phrases, stemmed like question words for English. */
function entryForm(word: string, stem: (w: string) => string): string {
  return HANGUL.test(word) || word.includes(' ') ? word : stem(word)
}

/**
 * A lookup from a question word's stem to the other words of its meaning. A stem finds its
 * group when it is a lexicon word, or begins with one (two syllables at least in Korean,
 * "월급날" → "월급"; four letters in English, "penalties" → "penalt").
 */
export function createKinLookup(stem: (w: string) => string): (s: string) => string[] {
  const groupsOf = new Map<string, Set<string>>()
  for (const group of LEXICON) {
    const forms = group.map((w) => entryForm(w, stem))
    for (const f of forms) {
      const set = groupsOf.get(f) ?? new Set<string>()
      for (const other of forms) if (other !== f) set.add(other)
      groupsOf.set(f, set)
    }
  }
  const prefixes = [...groupsOf.keys()].filter((k) => (HANGUL.test(k) ? k.length >= 2 : k.length >= 4 && !k.includes(' '))).sort((a, b) => b.length - a.length)
  const cache = new Map<string, string[]>()
  return (s: string) => {
    let kin = cache.get(s)
    if (kin) return kin
    const exact = groupsOf.get(s)
    const prefix = exact ? undefined : prefixes.find((k) => s.startsWith(k) && s.length - k.length <= (HANGUL.test(k) ? 2 : 4))
    kin = [...(exact ?? (prefix ? groupsOf.get(prefix)! : []))].filter((k) => k !== s)
    cache.set(s, kin)
    return kin
  }
}

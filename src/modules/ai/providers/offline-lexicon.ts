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
 * - `createKinLookup` over `LEXICON` (offline-word-groups.ts): groups of words of one meaning, everyday and formal, Korean and English
 *   ("월급" / "급여" / "salary"; "벌금" / "과태료" / "위약금" / "penalty" / "fine"). A question
 *   word finds its group's other words at a discount (offline-evidence.ts `termMatch`).
 * It does not paraphrase or compute; a quantity of time in another unit (48시간 / 이틀) is matched
 * by offline-quantities.ts, not rewritten here.
 */

import { LEXICON } from './offline-word-groups'

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
const AFTER_COUNTER = '(?=$|[^가-힣]|(?:에서|으로|까지|부터|마다|동안|정도|짜리|째|쯤|씩|간|전|후|안|이내|에|은|는|이|가|을|를|의|도|만|로|이나|나)(?:[^가-힣]|$|[가-힣]))'
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
  [/\bgrown[- ]ups?\b/g, 'adult'],
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
    // Contractions as their words: "won't" → "will not", "doesn't" → "does not".
    s = s.replace(/\bwon['’]t\b/g, 'will not').replace(/\bcan['’]t\b/g, 'can not').replace(/\b([a-z]+)n['’]t\b/g, '$1 not')
    if (PHRASE_CUE.test(s)) for (const [re, to] of PHRASES) s = s.replace(re, to)
    s = s.replace(EN_SPELLED, (_, tens: string, ones?: string) => String(EN_NUMBER[tens]! + (ones ? EN_NUMBER[ones]! : 0)))
    s = s.replace(EN_ONE, '1 ')
    s = s.replace(IRREGULAR_WORD, (w) => IRREGULAR[w]!)
  }
  if (hangul) {
    // "만 8세" is full years, not 만 = 10,000.
    if (digits) s = s.replace(/(?<![가-힣\d.])만\s?(?=\d+\s?(?:세|살))/g, '').replace(/(\d)\s?살(?![가-힣]*원)/g, '$1세')
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
  // Ages in one form, "8세": "8-year-old", "aged 8", "children under 8" (and "8살", "만 8세" above).
  if (latin) s = s.replace(/(\d+)[- ]years?[- ]olds?\b/g, '$1세').replace(AGED, '$1 $2세')
  // Units glued to their figure, in one form per language pair.
  s = s.replace(/(\d)\s?(?:퍼센트|프로|%|percent|per cent|pct)(?![a-z])/g, '$1pct')
  s = s.replace(/[$＄]\s?(\d[\d.]*)/g, '$1usd').replace(/(\d)\s?(?:us dollars?|dollars?|usd|달러|불)(?![a-z가-힣])/g, '$1usd')
  s = s.replace(/(\d)\s?(?:euros?|eur|유로)(?![a-z])/g, '$1eur').replace(/[€]\s?(\d[\d.]*)/g, '$1eur')
  s = s.replace(/(\d)\s?(?:kilos?|kilogram(?:me)?s?|킬로그램|키로그램)(?![a-z])/g, '$1kg')
  s = s.replace(/(\d)\s?(?:킬로미터|키로미터|kilometres?|kilometers?)(?![a-z])/g, '$1km')
  // "10킬로" alone is kilometres or kilograms: a form of its own (offline-quantities.ts reads both).
  if (hangul) s = s.replace(/(\d)\s?(?:킬로|키로)/g, '$1kilo')
  s = s.replace(/(\d)\s(원|개월|일|년|주|시간|분|초|세|회|번|명|개|층)/g, '$1$2').replace(/(\d)\s(km|cm|mm|kg|g|ml|l)(?![a-z])/g, '$1$2')
  return s
}

const KO_UNIT_CUE = /[억천백만]/
/** A figure that can only be an age: "aged 16", "children under 8", "guests over 18". */
const AGED = /\b(aged?|ages|(?:child|kid|infant|baby|babie|teen|minor|junior|anyone|someone|person|guest|passenger|patient|visitor|member|swimmer)s?(?: (?:under|over|below|above|aged?))?) (\d{1,3})\b(?![-.]?\d|\s?(?:kg|cm|m|km|%|pct|minutes?|hours?|days?|weeks?|months?|years?|times?|nights?|pounds?|dollars?|euros?)\b)/g
const PHRASE_CUE = /half|fortnight|dozen|twice|thrice|back|call|show|off|sign|number|grown/
const EN_ONE = new RegExp(`\\b(?:one|a single)\\s+(?=(?:${EN_UNITS})\\b)`, 'g')


const HANGUL = /[가-힣]/

/** The matching form of a lexicon word: as written for Korean and phrases, stemmed like question words for English. */
function entryForm(word: string, stem: (w: string) => string): string {
  return HANGUL.test(word) || word.includes(' ') ? word : stem(word)
}

/**
 * A lookup from a question word's stem to the other words of its meaning. A stem finds the
 * groups of the lexicon word it is and of the longest one it begins with (two syllables at
 * least in Korean, "월급날" → "월급"; four letters in English, "penalties" → "penalt").
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
    // A word in a group of its own ("돌려받") keeps the meaning of the word it begins with too
    // ("돌려", refund): groups are written by meaning, not for every form a word takes.
    const exact = groupsOf.get(s)
    const prefix = prefixes.find((k) => k !== s && s.startsWith(k) && s.length - k.length <= (HANGUL.test(k) ? 2 : 4))
    kin = [...new Set([...(exact ?? []), ...(prefix ? groupsOf.get(prefix)! : [])])].filter((k) => k !== s)
    cache.set(s, kin)
    return kin
  }
}

/**
 * The kin of the lexicon's phrases a question says ("hand luggage", "도서관 카드", "문 열어요"): each
 * word of the phrase as said gets the other words of the phrase's meaning, which no word of it
 * has alone ("카드" is not "회원증", "도서관 카드" is). From a normalised text to its words' kin.
 */
export function createPhraseKin(): (text: string) => Map<string, string[]> {
  const phrases = new Map<string, Set<string>>()
  for (const group of LEXICON) {
    for (const phrase of group.filter((w) => w.includes(' '))) {
      const set = phrases.get(phrase) ?? new Set<string>()
      for (const other of group) if (other !== phrase) set.add(other)
      phrases.set(phrase, set)
    }
  }
  return (text: string) => {
    const kin = new Map<string, string[]>()
    for (const [phrase, others] of phrases) {
      for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
        if (at > 0 && /[\p{L}\p{N}]/u.test(text[at - 1]!)) continue
        for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
          if (m.index! >= at + phrase.length || m.index! + m[0].length <= at) continue
          kin.set(m[0], [...new Set([...(kin.get(m[0]) ?? []), ...others])])
        }
      }
    }
    return kin
  }
}

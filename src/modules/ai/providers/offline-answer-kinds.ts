/**
 * What kind of value a question asks for (an amount, a charge, a time, a count, a person, a
 * place, a phone number, a rule) and whether a sentence holds one: the offline answerer's
 * reading of the question's interrogatives, apart from its term matching (offline-evidence.ts).
 */
import { normalizeText } from '../text-features'
import type { SentenceText } from './offline-evidence'

/**
 * What a question asks for, from its interrogative words. `amount` is "how much" (a figure);
 * `charge` is what or whether one pays, said without "how much" ("Do I pay for the caddy?",
 * "주차비 있어요?"): a figure, or "free".
 */
export type AnswerKind = 'amount' | 'charge' | 'time' | 'count' | 'person' | 'place' | 'phone' | 'rule'

/**
 * Interrogatives that name the kind asked for outright. When a question has one, the topic
 * words that would suggest another kind ("돈" in "돈은 언제 돌려줘요?") do not.
 */
const ASKING_CUES: [AnswerKind, RegExp][] = [
  ['time', /언제|몇 ?시(?!간)|며칠에|\bwhen\b|what time|by when|until when|what day|which day|\bhow (?:early|late)\b/],
  ['amount', /(?:돈|비용|요금|금액|가격|값)[이가은는을를]? ?(?:\S+ )?얼마나|얼마(?!나)|\bhow much\b|\bwhat (?:does|do|will|would) .{0,40}\b(?:cost|charge)\b|\bwhat(?:'s| is) the (?:price|cost|fee|charge|rate)\b|\bprice of\b/],
  ['count', /몇(?! ?시(?!간))|며칠(?!에)|얼마나|\bhow many\b|\bhow long\b|\bhow soon\b|\bhow often\b|\bhow far\b|\bhow (?:big|large|heavy|small|tall|wide|fast)\b|\bwhat size\b/],
  ['person', /누구|누가|\bwho\b|\bwhom\b/],
  ['place', /어디|\bwhere\b/],
]

const KIND_CUES: [AnswerKind, RegExp][] = [
  ['phone', /번호|전화|연락|phone|call|hotline|contact|number to/],
  ['charge', /얼마|비용|요금|가격|수수료|금액|돈|벌금|과태료|보험료|할인|비율|몇 ?퍼센트|몇 ?프로|\bpercentage\b|\bhow much\b|\bcost|\bprice|\bfee|\bcharge|\bpay\b|\bbill(?:ed)?\b|\bspend|\bdiscount|\brate\b|\bapy\b|\bpercent/],
  ['time', /언제|몇 ?시(?!간)|며칠에|날짜|기한|마감|요일|\bwhen\b|what time|\bdate\b|deadline|by when|what day|which day|weekday|\bhours\b|\bopen\b|\bclose\b|\bshut\b|\bhow (?:early|late)\b|\buntil\b/],
  ['count', /몇|며칠|얼마나|기간|\bhow many\b|\bhow long\b|\bhow soon\b|\bhow often\b|\bhow far\b|\bhow (?:big|large|heavy|small|tall|wide|fast)\b|\bwhat size\b/],
  ['person', /누구|누가|성함|이름|담당자|원장|대표|\bwho\b|\bwhom\b|\bname of\b/],
  ['place', /어디|주소|위치|장소|\bwhere\b|\baddress\b|\bvenue\b|\blocation\b/],
  // Whether something is allowed: the answer is a rule ("허용된다", "may not", "must").
  ['rule', /(?:도|면) ?(?:되나요|돼요|되요|될까요|괜찮|가능)|할 수 있(?:나요|어요|을까요)|가능한가요|[가-힣]야 ?(?:돼|되|하나|합니까)|^(?:can|may|could) (?:i|we|my|our|he|she|they|kids|children|guests|visitors|dogs|pets)\b|\b(?:am i|is it|are we|are (?:kids|children|dogs|pets)) allowed\b|\b(?:are|is) (?:\w+ ){1,3}allowed\b|\bis it ok|\bdo i (?:have|need) to\b/],
]

/**
 * "얼마" after a quantity that is not money ("시간 제한이 얼마예요", "기간은 얼마예요") asks how much of
 * that quantity: a count, as "얼마나" does, not an amount of money.
 */
const QUANTITY_HOW_MUCH = /(시간|기간|거리|무게|길이|높이|크기|속도|용량|인원|정원|나이)(\s?(?:제한|한도|기준|제한선)?[이가은는]?\s?)얼마(?!나)/g

/** The kinds of answer a question asks for (possibly several, possibly none). */
export function answerKinds(question: string): Set<AnswerKind> {
  const q = normalizeText(question).replace(QUANTITY_HOW_MUCH, '$1$2얼마나')
  const asked = ASKING_CUES.filter(([, cue]) => cue.test(q)).map(([kind]) => kind)
  // With an interrogative, only what it asks, and a phone number or a rule when named.
  const cues = asked.length > 0 ? KIND_CUES.filter(([kind]) => kind === 'phone' || kind === 'rule') : KIND_CUES
  return new Set([...asked, ...cues.filter(([, cue]) => cue.test(q)).map(([kind]) => kind)])
}

const UNIT = '(?:원|만 ?원|달러|유로|엔|%|퍼센트|dollars?|euros?|pounds?|yen|won|usd|krw|eur|percent|pct|cents?)'
const KIND_PATTERNS: Record<AnswerKind, RegExp> = {
  // "Free" answers "how much" and "do I pay" as well as a figure does.
  amount: new RegExp(`\\d[\\d,.]*\\s*${UNIT}|[$₩€£¥]\\s*\\d`, 'iu'),
  // "Free" answers whether one pays as well as a figure does, but not "how much".
  charge: new RegExp(`\\d[\\d,.]*\\s*${UNIT}|[$₩€£¥]\\s*\\d|무료|공짜|\\bfree\\b|\\bno charge\\b`, 'iu'),
  time: /\d{1,2}\s*(?:월|일|시|:\d\d)|\d+\s*(?:영업일|일|주|개월|년|시간|분)\s*(?:안|이내|내|전|후|뒤|만에|마다|동안)|\bwithin \d|\b\d+ (?:minutes?|hours?|days?|weeks?|months?|years?) (?:in advance|early|ahead|notice)|\d{4}\s*년|[월화수목금토일]요일|오전|오후|새벽|\b\d{1,2}\s*(?:am|pm)\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\d+\s*(?:days?|weeks?|months?|hours?)\s+(?:before|after|of|from)|\b(?:christmas|new year|easter|bank holidays?|public holidays?)\b|공휴일|명절|설날|추석|휴관일|휴무일/iu,
  // A figure and what it counts ("14일", "7권", "12 guests"), not a figure with a particle ("88에 있다": an address).
  count: /\d[\d,.]*\s*(?:[a-z%]+|(?!(?:에서|에게|으로|에|의|은|는|이|가|을|를|로|과|와|도|만|번지)(?:[^가-힣]|$))[가-힣])/iu,
  person: /\b(?:dr|mr|mrs|ms|prof)\.?\s+[A-Z]|[가-힣]{2,4}\s*(?:님|씨|선생님|코치|주무관|팀장|과장|부장|원장|대표|박사|교수|책임자|매니저)|(?:담당|원장|대표|팀장|코치|주무관|책임자|관리자)[은는이가]?\s*[가-힣]{2,4}|[가-힣]+장[은는]\s[가-힣]{2,4}(?:이다|입니다|이며|이고|님|[^가-힣]|$)/u,
  place: /\d+\s*층|[가-힣]+(?:로|길|구|시|동)\s*\d|\b(?:street|road|avenue|centre|center|hall|building|floor|suite)\b|[가-힣]+(?:센터|빌딩|홀|호텔|공원|역)/iu,
  phone: /\+?\d{1,4}[\s-]\d{2,4}[\s-]\d{3,4}(?:[\s-]\d{2,4})?|\d{4}-\d{4}|(?:내선|\bext\.?|\bextension)\s?\d{3,5}/iu,
  rule: /허용|가능|금지|불가|안 된다|수 없|수 있|해야 한다|하지 않는다|\b(?:allowed|permitted|not allowed|prohibited|forbidden|may|must|cannot|can|only|accepted|not accepted|free of charge)\b/iu,
}

/**
 * A name of two capitalised words ("Hollis Penhaligon"), not a place or an organisation's
 * ("Quay Parade", "Brightwater Hotel"). Global: every such pair of a sentence is read.
 */
const NAME_PAIR = /\b[A-Z][a-z]+ (?!(?:Street|Road|Avenue|Lane|Parade|Way|Square|Park|Centre|Center|Hotel|Hall|House|Building|Station|Airport|Clinic|Hospital|Library|School|College|University|Bank|Group|Labs?|Air|Coffee|Family|Dental|Leisure|Pool|Room|Office)\b)[A-Z][a-z]+\b/g

/**
 * Question words that name the kind of value asked for ("전화번호", "price", "address"): a
 * sentence holding that kind of value answers them though it never says the word.
 */
export const KIND_WORDS: Record<AnswerKind, RegExp> = {
  // English words as the shared stemmer leaves them ("phone" → phon, "price" → pric, "money" → mone).
  phone: /^(?:전화|번호|연락|통화|phon|number|contact|call|ring|hotline|dial)/,
  amount: /^(?:가격|비용|요금|금액|값|돈|비율|cost|pric|fee|charg|amount|mone|pay|spend|percentag|rate|bill)/,
  charge: /^(?:가격|비용|요금|금액|값|돈|비율|cost|pric|fee|charg|amount|mone|pay|spend|percentag|rate|bill)/,
  time: /^(?:시간|시각|날짜|요일|time|hour|date|schedul|open|clos|shut)/,
  count: /^(?:기간|횟수|개수|수량|period|number)/,
  person: /^(?:이름|성함|사람|담당자|name|person)/,
  place: /^(?:위치|주소|장소|addres|locat|plac|venu)/,
  rule: /^$/,
}
/** A kind word counts this much in a sentence holding its kind of value. */
export const KIND_WORD_MATCH = 0.8

/** Whether a sentence holds the kind of value the question asks for. */
export function carriesKind(kind: AnswerKind, sentence: SentenceText, asked?: ReadonlySet<string>): boolean {
  // Names need the written case; figures are read in their one written form too ("six monthly" → "6 monthly").
  if (KIND_PATTERNS[kind].test(sentence.text) || (kind !== 'person' && KIND_PATTERNS[kind].test(sentence.normalized))) return true
  // A pair of capitalised words the question itself says ("Northgate Bike" for "Who runs Northgate Bike
  // Share?") is what it asks about, not the name it asks for.
  return kind === 'person' && [...sentence.text.matchAll(NAME_PAIR)].some((m) => !asked || m[0].toLowerCase().split(' ').some((w) => !asked.has(w)))
}

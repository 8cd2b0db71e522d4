/**
 * Scoring of passage sentences against a question, for the offline answerer: which sentence
 * carries the answer, and whether any does. Korean-aware in the way retrieval is: terms with
 * particles stripped, partial matches on character bigrams (spacing and compounds differ),
 * numbers as terms; and weighted by what the question asks for (offline-answer-kinds.ts).
 */
import { charNgrams, normalizeText, stemWord, words } from '../text-features'
import { formOfShortStem, isConcessiveVerb, isStateVerb, sameRoot, shortStemOf } from './offline-korean-forms'
import { canonicalText, createKinLookup, createPhraseKin } from './offline-lexicon'
import { answerKinds, carriesKind, KIND_WORD_MATCH, KIND_WORDS, type AnswerKind } from './offline-answer-kinds'
import { equivalentQuantities, timeUnit, type Equivalent } from './offline-quantities'

/** Normalised text with numbers and quantities in one written form (offline-lexicon.ts). */
export const matchingText = (text: string): string => canonicalText(normalizeText(text))


/** Question words that ask rather than name a topic; they never count as evidence. */
const QUESTION_WORDS = new Set(
  (
    'the a an and or of to in on at for by with from is are was were be been what which who whom whose when where why how ' +
    'do does did can could should would will may might must much many this that these those it its as about into any ' +
    'there their they them our your you we i me my not no yes than then so if per each get gets use used have has had ' +
    'please tell know want need much long soon often if once some one my am ' +
    '무엇 무엇인가요 뭐 뭔가요 뭐예요 뭐에요 어떤 어떻게 얼마 얼마나 얼마예요 얼마인가요 얼마죠 언제 어디 어디서 어디예요 누구 누구예요 누가 왜 몇 ' +
    '있나요 있어요 있습니까 인가요 입니까 되나요 돼요 하나요 해요 합니까 알려 알려줘 알려주세요 주세요 좀 그 이 저 ' +
    '해야 하나 하는 되는 있는 경우 대해 대한 관련 그리고 또는 및 수 것 등 내요 나요 가요 죠 ' +
    '오래 자주 조금 좀 약간 혹시 그냥 진짜 정말 너무 많이 꼭 바로 같이 며칠 무슨 가장 제일 새 just really bit little some ' +
    'big far best most type kind mean means exactly usually allowed happen happens right okay ok possible able ' +
    'again because also still even too ever anything something someone thing things way going got lot lots around roughly ' +
    '언제쯤 얼마쯤 어느 어느정도 정도 더 다시 보통 대략 대충 몇번 몇시 언제부터 언제까지 얼마까지 어떻게요 어떡해요 어떻게 돼요 되요 돼요 ' +
    '있을까요 없나요 없어요 받나요 받아요 하죠 되죠 궁금해요 궁금합니다 안 못 잘 다 또 뭘 걸 게 건 제가 저는 내가 나는 우리 지금 이제 그럼 ' +
    'will would shall could anywhere anything anyone somewhere she her hers he him his they them theirs mine yours ours myself'
  ).split(/\s+/),
)

const kinOf = createKinLookup(stemWord)
const phraseKinOf = createPhraseKin()
/** Kin words that are units: found right after a figure ("원" in "55000원", "usd" in "40usd"). */
const UNIT_KIN = new Map(['원', '세', 'usd', 'pct'].map((w) => [w, new RegExp(`\\d\\s*${w}`)]))

/** Common verbs and Korean predicate endings: part of how a question is put, weighed lightly. */
const LIGHT_ENGLISH = new Set(
  (
    'get give take make need keep find see say ask allow let happen send apply hold start stop last go come want like work put buy ' +
    'set back bill later first next soon done doing turn tell think feel seem try look bring someon anyon everyth ' +
    'still actual probabl real current normal general basic whole other own sure worri wonder ' +
    'up off out all more another over after before during while'
  ).split(' '),
)
const KOREAN_PREDICATE =
  /(?:으면|하면|는데|은데|던데|을까|나요|어요|아요|해요|어도|아도|해도|려면|려고|어서|아서|해서|니까|는지|을지|지만|면서|거나|다가|하고|할|면|요|까|죠|줘|춰|워|겨|려|져|쳐|던|닐|래|야|서|아|어|고|며|게)$/

/** One question term with its stem, the bigrams a partial match is judged on, and its kin words. */
export interface QuestionTerm {
  term: string
  stem: string
  grams: string[]
  numeric: boolean
  /** Other words of the same meaning (offline-word-groups.ts), matched at a discount. */
  kin: string[]
  /** Below 1 for words that say how a question is asked rather than what it is about. */
  weight: number
  /** The kind of value this word names, when the question asks for that kind (KIND_WORDS). */
  names?: AnswerKind
  /** For a short English word: the word with its endings ("pay", "pays", "payment"), never a piece of another ("spa" in "spaces"). */
  shortWord?: RegExp
  /** For a figure: the figure as a whole number ("3", never inside "23"). */
  figure?: RegExp
  /** For a figure with a unit ("35kg", "8세"): any figure of that unit, the asker's case against a stated limit. */
  sameUnit?: RegExp
  /** A rate a price is asked for ("한 달에 얼마"): it picks the sentence, but is not what makes it answer. */
  rate?: boolean
  /** For a quantity of time: the same quantity in other units ("3주" → "21일", "2 weeks" → "14 days"). */
  equivalents?: Equivalent[]
}

/** What follows "V-아/어도" when one asks whether one may ("돼요", "되나요", "괜찮아요"). */
const PERMISSION = /^(?:돼|되|될|괜찮)/
/** A Korean noun said as a verb ("야근하면", "결혼하면", "신고했는데"): the noun is what the question is about. */
const VERB_NOUN =
  /^([가-힣]{2,}?)(?:하(?:면|려면|려고|고|는데|는지|는|나요|나|기|지|며|니까|세요|자|던)|한(?:데|테)?|해(?:서|도|야|요|줘|주면)?|했(?:어요|나요|는데|다면|을 때)?|할(?:까|때|래|게|까요)?|되(?:면|나요|는|고|지|기)|돼(?:요|서|도)?|됐|될|된(?:다면)?|시키면)$/
/** Nouns that end in 한 and are not a noun said as a verb ("기한", "제한", "무제한"). */
const HAN_NOUN = /(?:기|제|권|한|최소|최대)한$/
/** Units a question asks a count of ("몇 년", "몇 명"): found only right after a figure. */
const COUNT_UNITS = new Set(['년', '월', '일', '주', '시', '분', '세', '살', '번', '명', '개', '원', '회', '층', '대', '박', '장'])
const UNIT_AFTER_FIGURE = new Map([...COUNT_UNITS].map((u) => [u, new RegExp(`\\d\\s?${u}`)]))
/**
 * "한 달에", "하루에", "한 번" become "1개월", "1일", "1번": a rate ("per month") more than a figure
 * to find. Such a term is weighed lightly and finds the words of its unit ("월", "매월", "monthly").
 */
const ONE_UNIT = /^1(개월|년|일|주|번|회)$/
const ONE_UNIT_KIN: Record<string, string> = { 개월: 'month', 년: 'year', 일: 'day', 주: 'week', 번: 'every', 회: 'every' }

/** A Korean cost compound ("택배비", "주차료", "수리값", "술값"): what it is the cost of. */
const COST_COMPOUND = /^([가-힣]{2,})(?:비|료|값|금|세)$|^([가-힣])값$/
/** The head of a cost compound and its kin ("택배비" → 택배, 배송, …): the cost of a thing is said with the thing. */
function headKin(stem: string): string[] {
  const match = COST_COMPOUND.exec(stem)
  const head = match?.[1] ?? match?.[2]
  return head ? [head, ...kinOf(head)] : []
}

const UNIT_PARTICLE = /^([년월일주시분세살번명개회층대박장권])(?:부터|까지|에서|마다|에는|에도|에|은|는|이|가|을|를|도|만|씩|째|쯤)$/
/** Particles stacked on one that the shared stemmer strips ("월요일에도" → "월요일에"), and spoken contractions ("토요일엔"). */
const STACKED = /(?:에게도|에서도|까지도|에도|에선|까진|한텐|엔|에)$/
/** A word's stem with stacked particles stripped too: "월요일에도" and "토요일엔" are "월요일", "토요일". */
function koreanStem(word: string): string {
  // A one-syllable unit with its particle ("시부터", "명까지", "일에"): the unit, found after a figure.
  const unit = UNIT_PARTICLE.exec(word)?.[1]
  if (unit) return unit
  const stem = stemWord(word)
  if (!HANGUL_SYLLABLE.test(stem)) return stem
  const bare = stem.replace(STACKED, '')
  return bare.length >= 2 && bare !== stem ? stemWord(bare) : stem
}

/** A figure with its unit said as a predicate ("17세이면", "3일인데"): the figure and unit. */
const FIGURE_PREDICATE = /^(\d+(?:\.\d+)?(?:개월|시간|[세일년주분초회번명개층원박]))(?:이|인)[가-힣]*$/
/** The unit of a figure said with one ("35kg" → kg, "8세" → 세, "3명" → 명). */
const FIGURE_UNIT = /^\d+(?:\.\d+)?([a-z]{1,5}|[가-힣]{1,2})$/
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** An English plural of a short word, which the shared stemmer keeps whole ("bags", "bins", "fees"). */
const SHORT_PLURAL = /^[a-z]{2,3}[^s]s$/

/** The terms of a question worth matching: stems of its non-question words, digits kept. */
export function questionTerms(question: string): QuestionTerm[] {
  const seen = new Map<string, QuestionTerm>()
  const kinds = [...answerKinds(question)]
  const text = matchingText(question)
  const all = words(text)
  const phraseKin = phraseKinOf(text)
  for (const [at, word] of all.entries()) {
    if (QUESTION_WORDS.has(word)) continue
    // "V-아/어도 돼요" is "may I V": the verb before it is how permission is asked ("타도", "보내도",
    // "가도"), not a particle 도 ("also") on a noun.
    const permitted = isConcessiveVerb(word) && PERMISSION.test(all[at + 1] ?? '')
    const noun = HAN_NOUN.test(word) ? undefined : VERB_NOUN.exec(word)?.[1]
    const stemmed = noun ?? koreanStem(word)
    const plain = stemmed === word && SHORT_PLURAL.test(word) ? word.slice(0, -1) : stemmed
    // A figure said as a predicate ("17세이면", "3일인데") is the figure.
    const stem = FIGURE_PREDICATE.exec(plain)?.[1] ?? plain
    if (QUESTION_WORDS.has(stem) || seen.has(stem)) continue
    const korean = /[가-힣]/.test(stem)
    // A bare "1" ("one month" → "1 month") says "a", not a figure to find.
    if (stem === '1') continue
    const one = ONE_UNIT.exec(stem)?.[1]
    const numeric = /\d/.test(stem) && !one
    if (!numeric && stem.length < (korean ? 1 : 2)) continue
    // A counter after 몇 ("몇 개", "몇 명") is the unit of the count asked for, not a word ("개" is no dog).
    const counter = korean && all[at - 1] === '몇' && COUNT_UNITS.has(stem)
    const kin = one ? [ONE_UNIT_KIN[one]!, ...kinOf(ONE_UNIT_KIN[one]!)] : numeric || counter ? [] : [...kinOf(stem), ...headKin(stem), ...(phraseKin.get(word) ?? [])]
    // A rate ("한 달에 얼마", "하루에 얼마") names the price asked for among the prices of other periods.
    const pricedRate = one !== undefined && (kinds.includes('amount') || kinds.includes('charge'))
    const light =
      (one !== undefined && !pricedRate) ||
      permitted ||
      // A one-syllable word of no known meaning is mostly a verb's stem or a bound noun ("갈", "받", "때").
      (korean && stem.length === 1 && (COUNT_UNITS.has(stem) || kin.length === 0)) ||
      (LIGHT_ENGLISH.has(stem) && !phraseKin.has(word)) ||
      (korean && noun === undefined && (KOREAN_PREDICATE.test(stem) || (stem === word && KOREAN_PREDICATE.test(word)))) ||
      // A verb's 아/어 form ("놓여", "붙어") the lexicon does not know as a noun ("급여", "대여" it does).
      (korean && kin.length === 0 && isStateVerb(word))
    const names = kinds.find((k) => KIND_WORDS[k].test(stem))
    const unit = numeric ? FIGURE_UNIT.exec(stem)?.[1] : undefined
    // A quantity of time glued ("3주") or said in English ("3 weeks"), and its other units.
    const quantityUnit = numeric ? timeUnit(unit ?? all[at + 1] ?? '') : undefined
    const equivalents = quantityUnit ? equivalentQuantities(Number.parseFloat(stem), quantityUnit) : undefined
    seen.set(stem, {
      term: word,
      stem,
      grams: charNgrams(stem, 2, 2),
      numeric,
      kin,
      weight: light ? 0.35 : 1,
      names,
      shortWord: !korean && !numeric && stem.length <= 3 ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(stem)}(?:s|es|ed|ing|ment|ments|er|ers)?(?![\\p{L}\\p{N}])`, 'u') : undefined,
      figure: numeric ? new RegExp(`(?<![\\d.])${escapeRegExp(stem)}(?!\\d)`) : undefined,
      sameUnit: unit ? new RegExp(`(?<![\\d.])\\d+(?:\\.\\d+)?${escapeRegExp(unit)}(?![a-z])`) : undefined,
      equivalents: equivalents?.length ? equivalents : undefined,
      rate: pricedRate || undefined,
    })
  }
  return [...seen.values()]
}

/** A sentence prepared for matching: its normalised text, its word stems and bigram set. */
export interface SentenceText {
  text: string
  normalized: string
  stems: Set<string>
  grams: Set<string>
}

const HANGUL_SYLLABLE = /^[가-힣]+$/
const SHORT_HEAD = /^([가-힣])(?:에서|으로|에게|까지|부터|은|는|이|가|을|를|의|에|로|와|과|도|만)$/

/** Prepared texts by their text: the same passages come back question after question. */
const prepared = new Map<string, SentenceText>()
const PREPARED_MAX = 20_000

export function prepareSentence(text: string): SentenceText {
  let cached = prepared.get(text)
  if (cached) return cached
  cached = prepareUncached(text)
  if (prepared.size >= PREPARED_MAX) prepared.clear()
  prepared.set(text, cached)
  return cached
}

function prepareUncached(text: string): SentenceText {
  const normalized = matchingText(text)
  const stems = new Set<string>()
  const grams = new Set<string>()
  for (const w of words(normalized)) {
    stems.add(koreanStem(w))
    if (SHORT_PLURAL.test(w)) stems.add(w.slice(0, -1))
    // A one-syllable noun with its particle ("방에서", "차로"): its head, so "방" is a word here, never a piece of "방문".
    if (w.length <= 4 && HANGUL_SYLLABLE.test(w)) {
      const head = SHORT_HEAD.exec(w)?.[1]
      if (head) stems.add(head)
    }
    // Bigrams by code unit: the hot loop of an answer, and Hangul and Latin are one unit a letter.
    if (w.length < 2) grams.add(w)
    for (let i = 0; i + 2 <= w.length; i++) grams.add(w.slice(i, i + 2))
  }
  return { text, normalized, stems, grams }
}

/**
 * How well one term is found in a sentence, within 0..1: 1 for the stem as a word or inside
 * one (Korean compounds: "연차" in "연차휴가를"), else the share of its bigrams found when
 * that is at least half (a different spacing or ending), else 0. Numbers match exactly only.
 */
export function termMatch(term: QuestionTerm, s: SentenceText): number {
  if (s.stems.has(term.stem)) return 1
  if (term.figure) {
    if (term.figure.test(s.normalized)) return 1
    // The same quantity in another unit ("21일" for "3주"), or a limit of that unit the asker's quantity falls within.
    for (const e of term.equivalents ?? []) {
      if (e.pattern.test(s.normalized) || statesLimitHolding(e.stem, s.normalized)) return 1
    }
    if (!term.sameUnit?.test(s.normalized)) return 0
    return statesLimitHolding(term.stem, s.normalized) ? 1 : SAME_UNIT_MATCH
  }
  const korean = /[가-힣]/.test(term.stem)
  const unit = korean && term.stem.length === 1 ? UNIT_AFTER_FIGURE.get(term.stem) : undefined
  if (unit?.test(s.normalized)) return 1
  if (korean && term.stem.length === 1 && !unit && hasShortStemForm(term.stem, s)) return SAME_ROOT_MATCH
  // A one-syllable Korean word ("방", "차") is found only as a word, never inside another; a Korean
  // word of two syllables or more inside a compound ("연차" in "연차휴가를"); an English one at a word's
  // start, and a short one only as a word ("spa" is not in "spaces", "car" not in "card").
  if (korean ? term.stem.length > 1 && s.normalized.includes(term.stem) : term.shortWord ? term.shortWord.test(s.normalized) : atWordStart(s.normalized, term.stem)) return 1
  // An English word ending in a silent e the stemmer kept ("true", "tune") drops it before -ing and -ed ("truing").
  if (!korean && term.stem.length >= 4 && /[^e]e$/.test(term.stem)) {
    const root = term.stem.slice(0, -1)
    if (atWordStart(s.normalized, `${root}ing`) || atWordStart(s.normalized, `${root}ed`)) return 1
  }
  if (term.numeric) return 0
  let best = 0
  if (!korean) {
    // Latin words: a shared stem of five letters at least ("travelling" / "travels"), never loose bigrams.
    if (term.stem.length >= 5 && s.normalized.includes(term.stem.slice(0, Math.max(5, term.stem.length - 3)))) best = 0.8
  } else if (term.stem.length >= 2) {
    if (term.grams.length >= 2) {
      let hits = 0
      for (const g of term.grams) if (s.grams.has(g)) hits++
      const share = hits / term.grams.length
      if (share >= 0.5) best = share * 0.8
    }
    // A two-syllable root too ("만드" / "만들면"): its one bigram is the whole word. A one-syllable
    // stem with its ending ("팔아") is found in the stem's other forms ("팔면").
    if (best < SAME_ROOT_MATCH && hasRootForm(term.stem, s)) best = SAME_ROOT_MATCH
    const short = best < SAME_ROOT_MATCH ? shortStemOf(term.stem) : undefined
    if (short && hasShortStemForm(short, s)) best = SAME_ROOT_MATCH
  }
  for (const k of term.kin) {
    if (best >= KIN_MATCH) break
    best = Math.max(best, KIN_MATCH * kinFound(k, s))
  }
  if (term.names && best < KIND_WORD_MATCH && carriesKind(term.names, s)) best = KIND_WORD_MATCH
  return best
}

/** Words that make an age a limit, before it ("under 16") or after it ("13세 미만", "16 or over"). */
const BELOW_BEFORE = /(?:under|below|less than|younger than)\s$/
const AT_MOST_BEFORE = /(?:up to|no older than|at most)\s$/
const ABOVE_BEFORE = /(?:over|above|more than|older than)\s$/
const AT_LEAST_BEFORE = /(?:at least|from)\s$/
const BELOW_AFTER = /^\s?미만/
const AT_MOST_AFTER = /^\s?(?:이하|까지|or (?:under|younger)|and (?:under|younger))/
const ABOVE_AFTER = /^\s?초과/
const AT_LEAST_AFTER = /^\s?(?:이상|부터|or (?:over|older)|and (?:over|older|up)|\+)/
/** Notice: "3일 전까지" (until three days before) holds for five days before. */
const NOTICE_AFTER = /^\s?전(?:까지|에는)/
/** Within: "29일 전 이후" (from 29 days before on), "30일 이내" hold for fewer days ("3주" = 21일). */
const WITHIN_AFTER = /^\s?(?:전\s?(?:이후|부터)|이내|안에|내에|미만)/
/** Units of time a notice or a period is said in. */
const TIME_UNITS = new Set(['일', '주', '개월', '년', '시간', '분'])

/**
 * Whether the sentence states a limit the asker's figure falls within: an age ("8세" asked,
 * "13세 미만" stated) or a notice ("5일 전" asked, "3일 전까지" stated). Such a sentence states
 * the asker's case, which a neighbouring limit ("7일 전까지") does not. Other figures are
 * left alone: "6개월 살고" and "2개월 이상 밀리면" are different quantities of one unit.
 */
function statesLimitHolding(stem: string, text: string): boolean {
  const asked = Number.parseFloat(stem)
  const unit = FIGURE_UNIT.exec(stem)?.[1]
  if (!unit || !Number.isFinite(asked)) return false
  for (const m of text.matchAll(new RegExp(`(?<![\\d.])(\\d+(?:\\.\\d+)?)${escapeRegExp(unit)}(?![a-z])`, 'g'))) {
    const limit = Number.parseFloat(m[1]!)
    const before = text.slice(Math.max(0, m.index! - 16), m.index!)
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 14)
    if (NOTICE_AFTER.test(after) && asked >= limit) return true
    if (TIME_UNITS.has(unit) && WITHIN_AFTER.test(after) && asked <= limit) return true
    if (unit !== '세') continue
    if (AT_LEAST_AFTER.test(after) || AT_LEAST_BEFORE.test(before)) {
      if (asked >= limit) return true
    } else if (BELOW_BEFORE.test(before) || BELOW_AFTER.test(after)) {
      if (asked < limit) return true
    } else if (AT_MOST_BEFORE.test(before) || AT_MOST_AFTER.test(after)) {
      if (asked <= limit) return true
    } else if ((ABOVE_BEFORE.test(before) || ABOVE_AFTER.test(after)) && asked > limit) return true
  }
  return false
}

/** Whether `part` begins a word of `text`. */
function atWordStart(text: string, part: string): boolean {
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
    if (at === 0 || !/[\p{L}\p{N}]/u.test(text[at - 1]!)) return true
  }
  return false
}

/** A figure of the question's unit that is not its figure ("over 32 kg" for "35 kg"): the same quantity, maybe not the case. */
const SAME_UNIT_MATCH = 0.5
/** Another form of the same Korean verb or noun ("잃어버렸는데" / "잃어버려", "만드는" / "만들면"). */
const SAME_ROOT_MATCH = 0.75
/** A word of the same meaning counts a little less than the question's own word. */
const KIN_MATCH = 0.8

/** Whether a sentence holds a form of a one-syllable verb stem ("묵어야" for "묵"). */
function hasShortStemForm(stem: string, s: SentenceText): boolean {
  for (const w of s.stems) if (formOfShortStem(stem, w)) return true
  return false
}

/** Whether a sentence holds another form of a Korean word's root ("가져온다" for "가져오"). */
function hasRootForm(word: string, s: SentenceText): boolean {
  for (const w of s.stems) if (sameRoot(word, w)) return true
  return false
}

/** How well a kin word is found: 1 as written, SAME_ROOT_MATCH as another form of its (Korean) root. */
function kinFound(k: string, s: SentenceText): number {
  const unit = UNIT_KIN.get(k)
  if (unit) return s.stems.has(k) || unit.test(s.normalized) ? 1 : 0
  // A one-syllable Korean word only as a word ("밥을"), never inside another ("밥솥" aside, "방문" for "방"),
  // or as a verb's stem with its ending ("깎아" for "깎").
  if (/[가-힣]/.test(k)) {
    if (k.length === 1) return s.stems.has(k) ? 1 : hasShortStemForm(k, s) ? SAME_ROOT_MATCH : 0
    return s.normalized.includes(k) ? 1 : hasRootForm(k, s) ? SAME_ROOT_MATCH : 0
  }
  // English: a whole short word ("fee", not "feed"), or a longer stem or phrase at a word start ("reimburs" in "reimbursed").
  if (k.length < 4) return s.stems.has(k) || s.stems.has(`${k}s`) ? 1 : 0
  const at = s.normalized.indexOf(k)
  if (at < 0) return 0
  return at === 0 || !/[a-z0-9]/.test(s.normalized[at - 1]!) || s.normalized.includes(` ${k}`) ? 1 : 0
}

/**
 * Whether a heading and the sentence after it share a name: a word the lexicon does not know,
 * of two syllables or four letters at least ("하늘숲병원", "greenvale"). A document's title is
 * followed by a sentence naming what it is about; a section's heading ("Pets", "면회 시간") by
 * a sentence using its everyday word.
 */
export function sharesName(heading: SentenceText, next: SentenceText): boolean {
  for (const stem of heading.stems) {
    if (!next.stems.has(stem) || /\d/.test(stem) || QUESTION_WORDS.has(stem)) continue
    if (stem.length < (/[가-힣]/.test(stem) ? 2 : 4)) continue
    if (kinOf(stem).length === 0) return true
  }
  return false
}

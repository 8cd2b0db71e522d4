/**
 * Language-agnostic text features shared by the offline embedder, the offline answer
 * composer and the offline intent rules. Korean is written with few spaces and with
 * particles glued to nouns ("교통카드를"), so matching works on character n-grams inside
 * words rather than on whole words alone.
 */

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/

/** True when the text contains any Hangul syllable or jamo. */
export function hasHangul(text: string): boolean {
  return HANGUL.test(text)
}

/** NFKC, lower case, every whitespace run collapsed to one space, trimmed. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

/**
 * The words of a normalised text: runs of letters and digits, punctuation dropped, except the
 * dots inside a dotted figure ("5.0", "v2.3.1", "1.5kg"), which is one figure, not two.
 */
export function words(normalized: string): string[] {
  // The dotted form is tried only where a dot stands between digits: most texts have none, and the plain runs are faster.
  return normalized.match(DOTTED_FIGURE.test(normalized) ? WORDS_AND_DOTTED_FIGURES : WORDS) ?? []
}
const DOTTED_FIGURE = /\d\.\d/
const WORDS = /[\p{L}\p{N}]+/gu
const WORDS_AND_DOTTED_FIGURES = /\p{L}*\d+(?:\.\d+)+\p{L}*|[\p{L}\p{N}]+/gu

/** Character n-grams of length `min`..`max` inside one word (a shorter word yields itself). */
export function charNgrams(word: string, min = 2, max = 4): string[] {
  const chars = Array.from(word)
  if (chars.length < min) return chars.length ? [word] : []
  const grams: string[] = []
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= chars.length; i++) grams.push(chars.slice(i, i + n).join(''))
  }
  return grams
}

/** Character bigrams of every word of `text`, as a set; the overlap measure of the composer. */
export function bigramSet(text: string): Set<string> {
  const set = new Set<string>()
  for (const word of words(normalizeText(text))) for (const g of charNgrams(word, 2, 2)) set.add(g)
  return set
}

/** Share of `query`'s bigrams and words found in `candidate`, within 0..1. */
export function overlapScore(query: string, candidate: string): number {
  const q = bigramSet(query)
  if (q.size === 0) return 0
  const c = bigramSet(candidate)
  let hits = 0
  for (const g of q) if (c.has(g)) hits++
  return hits / q.size
}

/** 32-bit FNV-1a over the UTF-16 code units: the same number in every process and on every machine. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** Rough token count (about four characters a token), for upstreams that report no usage. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4)
}

/** Korean particles and endings stripped from a word's end, longest first. */
const PARTICLES = [
  '에서는', '으로는', '에게서', '이라는', '까지는', '부터는', '이에요', '예요', '인가요', '인데',
  '에서', '으로', '에게', '까지', '부터', '라는', '이란', '에는', '와는', '과는', '보다', '처럼', '이나', '이랑', '하고', '마다', '한테', '짜리',
  '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만', '랑',
]

/**
 * The matching stem of one normalised word: a Korean particle stripped (keeping two
 * syllables at least), an English plural or verb ending cut ("charges" → "charg",
 * "booked" → "book"), so the question's and the document's forms of a word meet.
 */
export function stemWord(word: string): string {
  if (HANGUL.test(word)) {
    for (const p of PARTICLES) if (word.length - p.length >= 2 && word.endsWith(p)) return word.slice(0, -p.length)
    // A one-syllable noun keeps only a one-syllable particle ("돈을" → "돈", "병에" → "병").
    if (word.length === 2 && '은는을를에'.includes(word[1]!)) return word[0]!
    return word
  }
  if (word.length <= 4 || /\d/.test(word)) return word
  for (const suffix of ['ies', 'ing', 'ed', 'es', 'ly', 's', 'e', 'y']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length)
  }
  return word
}

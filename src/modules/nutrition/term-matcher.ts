/**
 * Finds food names (Korean and English) inside free text. Korean has no spaces between a
 * noun and its particle ("연어랑", "닭가슴살로"), and many food names hide inside longer words
 * ("파" in "파프리카", "배" in "배가 아파요"), so a plain substring search is wrong in both
 * directions. The rules here:
 * - a Korean term must start a word (no Hangul right before it);
 * - in strict mode it must also end the word, or be followed only by a particle;
 *   one-syllable terms (배, 무, 파, 술) accept only object/conjunction particles, so
 *   "배가 아파요" is not a pear;
 * - in loose mode (toxicity screening) a term of two or more syllables may sit anywhere
 *   inside a word ("양파즙", "건포도빵"), except inside the listed false friends ("포도당");
 * - English terms match whole words, with an optional plural s/es;
 * - overlapping hits keep the longest term ("스마트폰" over "마트", "건포도" over "포도").
 */

/** A term to look for and the value a hit stands for. */
export interface Term<T> {
  term: string
  value: T
}

/** One hit: the term, its value and its [start, end) span in the lower-cased text. */
export interface TermHit<T> {
  term: string
  value: T
  start: number
  end: number
}

/** Comparison key for names: NFC, lower case, no spaces or separators. Equal keys mean the same name. */
export const normalizeName = (name: string): string =>
  name.normalize('NFC').toLowerCase().replace(/[\s\-_·.,'"()]+/g, '')

const HANGUL = /[\uac00-\ud7a3]/
const isHangul = (ch: string | undefined) => ch !== undefined && HANGUL.test(ch)
const isAsciiTerm = (term: string) => /^[\x20-\x7e]+$/.test(term)

const PARTICLES = [
  '', '은', '는', '이', '가', '을', '를', '와', '과', '랑', '이랑', '하고', '도', '만', '로', '으로', '의',
  '나', '이나', '에', '에는', '요', '이요', '예요', '이에요', '까지', '처럼', '들', '들을', '들은', '들이',
  '도요', '랑요', '이랑요', '로만', '으로만', '만으로', '위주', '위주로', '정도', '같은', '조금', '약간',
]
const SHORT_TERM_PARTICLES = ['', '를', '을', '와', '과', '랑', '이랑', '하고', '도', '로', '으로', '만', '요']

/** Compound words in which a toxic term is not the toxic food. */
const FALSE_FRIENDS = ['포도당', '포도상구균', '마늘빵맛']

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Compiled patterns by kind and term; term lists are fixed tables, so this stays small. */
const patterns = new Map<string, RegExp>()
function patternFor(kind: 'ko' | 'en', term: string, build: () => string): RegExp {
  const key = `${kind}:${term}`
  let re = patterns.get(key)
  if (!re) {
    re = new RegExp(build(), 'g')
    patterns.set(key, re)
  }
  return re
}

function wordEnd(text: string, from: number): number {
  let i = from
  while (i < text.length && isHangul(text[i])) i++
  return i
}

function koreanHits(text: string, term: string, loose: boolean): Array<[number, number]> {
  const pattern = patternFor('ko', term, () => escapeRegex(term).replace(/\s+/g, '\\s*'))
  const syllables = term.replace(/\s+/g, '').length
  const hits: Array<[number, number]> = []
  for (const m of text.matchAll(pattern)) {
    const start = m.index
    const end = start + m[0].length
    const rest = text.slice(end, wordEnd(text, end))
    if (loose && syllables >= 2) {
      const wordStart = (() => {
        let i = start
        while (i > 0 && isHangul(text[i - 1])) i--
        return i
      })()
      const word = text.slice(wordStart, end + rest.length)
      if (FALSE_FRIENDS.some((f) => word.includes(f))) continue
      hits.push([start, end])
      continue
    }
    if (isHangul(text[start - 1])) continue
    const allowed = syllables === 1 ? SHORT_TERM_PARTICLES : PARTICLES
    if (allowed.includes(rest)) hits.push([start, end])
  }
  return hits
}

function asciiHits(text: string, term: string): Array<[number, number]> {
  const pattern = patternFor('en', term, () => {
    const body = escapeRegex(term).replace(/\s+/g, '[\\s-]*')
    return `(?<![a-z0-9])${body}(?:e?s)?(?![a-z0-9])`
  })
  return [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length] as [number, number])
}

/**
 * Every non-overlapping hit of `terms` in `text`, in text order. Guarantees the rules in the
 * module comment; `loose` only relaxes Korean word boundaries for terms of two or more syllables.
 */
export function findTerms<T>(text: string, terms: readonly Term<T>[], options: { loose?: boolean } = {}): TermHit<T>[] {
  const lower = text.normalize('NFC').toLowerCase()
  const candidates: TermHit<T>[] = []
  for (const { term, value } of terms) {
    const t = term.normalize('NFC').toLowerCase().trim()
    if (t === '') continue
    const spans = isAsciiTerm(t) ? asciiHits(lower, t) : koreanHits(lower, t, options.loose ?? false)
    for (const [start, end] of spans) candidates.push({ term, value, start, end })
  }
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)
  const taken: TermHit<T>[] = []
  for (const hit of candidates) {
    if (taken.some((t) => hit.start < t.end && t.start < hit.end)) continue
    taken.push(hit)
  }
  return taken.sort((a, b) => a.start - b.start)
}

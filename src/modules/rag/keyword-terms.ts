/**
 * The distinctive terms of a question for keyword matching: names, numbers, model codes and
 * Korean nouns, with Korean particles and common function words removed, so an exact term
 * from the document ("SI-5000", "210", "육아휴직") is found even when the embedding misses it.
 */

const STOPWORDS = new Set(
  (
    'the a an and or of to in on at for by with from is are was were be been what which who whom whose when where why how ' +
    'do does did can could should would will may might must much many does this that these those it its as about into any ' +
    'there their they them his her our your you we i me my not no yes than then so if per each get gets use used ' +
    '무엇 무엇인가요 뭐 뭔가요 어떤 어떻게 얼마 얼마나 언제 어디 어디서 누구 왜 있나요 있습니까 인가요 입니까 되나요 하나요 합니까 알려 주세요 알려줘 ' +
    '해야 하나 하는 되는 있는 경우 대해 대한 관련 그리고 또는 및 수 것 등'
  ).split(/\s+/),
)

/** Particles and endings stripped from the end of a Korean word, longest first. */
const PARTICLES = [
  '에서는', '으로는', '에게서', '이라는', '까지는', '부터는',
  '에서', '으로', '에게', '까지', '부터', '라는', '이란', '에는', '와는', '과는', '보다', '처럼', '이나', '이며', '이고', '하고', '마다',
  '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만', '란',
]

const HANGUL = /[\uac00-\ud7a3]/

function stripParticle(word: string): string {
  if (!HANGUL.test(word)) return word
  for (const p of PARTICLES) {
    if (word.length - p.length >= 2 && word.endsWith(p)) return word.slice(0, -p.length)
  }
  return word
}

/** Up to `max` distinct terms, most distinctive (digits, then longest) first. */
export function keywordTerms(question: string, max = 8): string[] {
  const raw = question.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+(?:[-_.][\p{L}\p{N}]+)*/gu) ?? []
  const seen = new Set<string>()
  for (const token of raw) {
    const word = stripParticle(token)
    if (STOPWORDS.has(word) || STOPWORDS.has(token)) continue
    const hasDigit = /\p{N}/u.test(word)
    const minLength = HANGUL.test(word) ? 2 : 3
    if (!hasDigit && word.length < minLength) continue
    seen.add(word)
  }
  const score = (t: string) => (/\p{N}/u.test(t) ? 100 : 0) + t.length
  return [...seen].sort((a, b) => score(b) - score(a)).slice(0, max)
}

/** `term` as a literal ILIKE pattern (`%`, `_` and `\` escaped) matching it anywhere. */
export const containsPattern = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

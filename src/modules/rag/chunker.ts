import type { DocumentSection } from './extract/document-section'

/** Size targets in characters (UTF-16 code units, as `String.length` counts). */
export interface ChunkOptions {
  targetChars?: number
  maxChars?: number
  minChars?: number
  overlapChars?: number
}

/** A retrievable piece of a document, positioned 0..n-1 across the whole document. */
export interface Chunk {
  content: string
  position: number
  page?: number
  slide?: number
}

/** A sentence (or piece of one) and the whitespace that separated it from the previous unit. */
interface Unit {
  text: string
  sep: string
}

const DEFAULTS = { targetChars: 800, maxChars: 1000, minChars: 500, overlapChars: 120 }

/**
 * Sentence ends: Western punctuation followed by whitespace, CJK full stops (which need
 * no space), and Korean final endings (`다.`, `요.`, `까?`) even when the next sentence
 * follows without a space, as happens in pasted text.
 */
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s)|[。！？]+["'”’)\]]*|(?<=[다요죠까네])[.?!]+["'”’)\]]*(?=[^\s.?!])/g

/** Tokens that end in a period without ending a sentence. */
const ABBREVIATION = /(?:^|[\s(])(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|e\.g|i\.e|no|inc|ltd|co|corp|approx|fig|dept|[A-Z])\.$/i

function splitSentences(line: string): Unit[] {
  const units: Unit[] = []
  let start = 0
  let sep = ''
  for (const match of line.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length
    if (match[0].startsWith('.') && match[0].length === 1) {
      if (ABBREVIATION.test(line.slice(start, end))) continue
      // A lowercase word after the period means the sentence goes on ("approx. five").
      if (/^\s+[a-z]/.test(line.slice(end))) continue
    }
    const text = line.slice(start, end).trim()
    if (text) units.push({ text, sep })
    const rest = /^\s*/.exec(line.slice(end))![0]
    sep = rest.length > 0 ? ' ' : ''
    start = end + rest.length
  }
  const tail = line.slice(start).trim()
  if (tail) units.push({ text: tail, sep })
  return units
}

/**
 * Splits `text` so the head is at most `limit` long, at the last space that leaves a head
 * of at least `minHead`; only text with no such space is cut between characters (never
 * inside a surrogate pair).
 */
function splitAtWord(text: string, limit: number, minHead: number): [head: string, tail: string, sep: string] {
  if (text.length <= limit) return [text, '', '']
  const space = text.lastIndexOf(' ', limit)
  if (space >= Math.max(1, minHead)) return [text.slice(0, space), text.slice(space + 1), ' ']
  let cut = Math.max(1, limit)
  const code = text.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff && cut > 1) cut--
  return [text.slice(0, cut), text.slice(cut), '']
}

/** Paragraphs (blank lines), then lines, then sentences; over-long sentences hard-split. */
function unitsOf(text: string, maxChars: number, targetChars: number): Unit[] {
  const units: Unit[] = []
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n[ \t\f\v]*\n/)
  for (const paragraph of paragraphs) {
    let lineSep = units.length > 0 ? '\n\n' : ''
    for (const rawLine of paragraph.split('\n')) {
      const line = rawLine.replace(/[ \t\f\v\u00a0]+/g, ' ').trim()
      if (!line) continue
      const sentences = splitSentences(line)
      sentences.forEach((sentence, i) => {
        let sep = i === 0 ? lineSep : sentence.sep
        let rest = sentence.text
        while (rest.length > maxChars) {
          const [head, tail, tailSep] = splitAtWord(rest, targetChars, targetChars / 2)
          units.push({ text: head, sep })
          rest = tail
          sep = tailSep
        }
        units.push({ text: rest, sep })
      })
      lineSep = '\n'
    }
  }
  return units
}

const lengthOf = (units: Unit[]) =>
  units.reduce((n, u, i) => n + u.text.length + (i === 0 ? 0 : u.sep.length), 0)

const render = (units: Unit[]) => units.map((u, i) => (i === 0 ? u.text : u.sep + u.text)).join('')

/**
 * The previous chunk's trailing whole sentences that fit in `budget`; when even the last
 * sentence is longer, its tail starting at a word.
 */
function overlapOf(units: Unit[], budget: number): Unit[] {
  if (budget <= 0 || units.length === 0) return []
  const taken: Unit[] = []
  let length = 0
  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i]!
    const added = unit.text.length + (taken.length > 0 ? taken[0]!.sep.length : 0)
    if (length + added > budget) break
    taken.unshift(unit)
    length += added
  }
  if (taken.length > 0) return taken
  const last = units[units.length - 1]!.text
  const from = last.length - budget
  const space = last.indexOf(' ', from)
  const tail = space >= 0 ? last.slice(space + 1) : last.slice(from)
  return tail ? [{ text: tail, sep: '' }] : []
}

/** Packs one section's units into chunk contents honouring the size bounds. */
function packSection(units: Unit[], o: Required<ChunkOptions>): string[] {
  const chunks: Unit[][] = []
  let current: Unit[] = []
  let carried = 0
  let length = 0
  const queue = [...units]

  for (let i = 0; i < queue.length; i++) {
    const unit = queue[i]!
    if (current.length === 0) {
      const previous = chunks[chunks.length - 1]
      const budget = Math.min(o.overlapChars, o.maxChars - unit.text.length - unit.sep.length)
      const overlap = previous ? overlapOf(previous, budget) : []
      current = [...overlap, unit]
      carried = overlap.length
      length = lengthOf(current)
      continue
    }
    const grown = length + unit.sep.length + unit.text.length
    if (grown <= o.targetChars || (length < o.minChars && grown <= o.maxChars)) {
      current.push(unit)
      length = grown
      continue
    }
    const room = o.targetChars - length - unit.sep.length
    if (length < o.minChars && room > 0) {
      // Too short to stand alone and the next sentence does not fit: take part of it.
      const [head, tail, tailSep] = splitAtWord(unit.text, room, 1)
      current.push({ text: head, sep: unit.sep })
      if (tail) queue.splice(i + 1, 0, { text: tail, sep: tailSep })
    } else {
      i--
    }
    chunks.push(current)
    current = []
  }

  if (current.length > 0) {
    const fresh = current.slice(carried)
    const previous = chunks[chunks.length - 1]
    const merged = previous ? [...previous, ...fresh] : undefined
    if (merged && length < o.minChars && lengthOf(merged) <= o.maxChars) {
      chunks[chunks.length - 1] = merged
    } else {
      chunks.push(current)
    }
  }
  return chunks.map(render)
}

/**
 * Splits extracted sections into overlapping chunks for embedding. Guarantees: every
 * chunk is at most `maxChars`; chunks are at least `minChars` except a section's last (or
 * a section shorter than that); boundaries fall between paragraphs or sentences, inside a
 * sentence only when it alone exceeds `maxChars` or a short chunk must be filled, and
 * then between words where the text has spaces; each chunk after the first in a section
 * begins with up to `overlapChars` of the previous one's closing sentence(s); every
 * sentence of the input appears in some chunk. Chunks never span sections, so `page` and
 * `slide` are exact. Pure: no I/O, linear in the input.
 */
export function chunkSections(sections: readonly DocumentSection[], options: ChunkOptions = {}): Chunk[] {
  const o: Required<ChunkOptions> = { ...DEFAULTS, ...options }
  if (!(o.minChars > 0 && o.minChars <= o.targetChars && o.targetChars <= o.maxChars)) {
    throw new RangeError('chunk sizes must satisfy 0 < minChars <= targetChars <= maxChars')
  }
  if (!(o.overlapChars >= 0 && o.overlapChars < o.minChars)) {
    throw new RangeError('overlapChars must be at least 0 and below minChars')
  }
  const chunks: Chunk[] = []
  for (const section of sections) {
    for (const content of packSection(unitsOf(section.text, o.maxChars, o.targetChars), o)) {
      const chunk: Chunk = { content, position: chunks.length }
      if (section.page !== undefined) chunk.page = section.page
      if (section.slide !== undefined) chunk.slide = section.slide
      chunks.push(chunk)
    }
  }
  return chunks
}

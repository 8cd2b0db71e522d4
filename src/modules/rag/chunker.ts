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
  /** Part of a sentence longer than `maxChars`, which may be cut anywhere between words. */
  splittable?: boolean
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

/**
 * The last few characters before a period, with one character of context in front, so
 * checking for an abbreviation costs the same however far back the sentence started.
 */
function abbreviationWindow(line: string, start: number, end: number): string {
  const from = Math.max(start, end - 12)
  if (from === start) return line.slice(start, end)
  return (/[\s(]/.test(line[from - 1]!) ? ' ' : 'x') + line.slice(from, end)
}

/** Sentences of one whitespace-normalised line, each with the separator before it. */
function splitSentences(line: string): Unit[] {
  const units: Unit[] = []
  let start = 0
  let sep = ''
  for (const match of line.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length
    if (match[0] === '.') {
      if (ABBREVIATION.test(abbreviationWindow(line, start, end))) continue
      // A lowercase word after the period means the sentence goes on ("approx. five").
      if (/^ [a-z]/.test(line.slice(end, end + 2))) continue
    }
    const text = line.slice(start, end).trim()
    if (text) units.push({ text, sep })
    sep = line[end] === ' ' ? ' ' : ''
    start = sep ? end + 1 : end
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

/** Paragraphs (blank lines), then lines, then sentences; over-long sentences marked splittable. */
function unitsOf(text: string, maxChars: number): Unit[] {
  const units: Unit[] = []
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n[ \t\f\v]*\n/)
  for (const paragraph of paragraphs) {
    let lineSep = units.length > 0 ? '\n\n' : ''
    for (const rawLine of paragraph.split('\n')) {
      const line = rawLine.replace(/[ \t\f\v\u00a0]+/g, ' ').trim()
      if (!line) continue
      splitSentences(line).forEach((sentence, i) => {
        const sep = i === 0 ? lineSep : sentence.sep
        units.push({ text: sentence.text, sep, splittable: sentence.text.length > maxChars })
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

/**
 * Where to end a full chunk: before its last paragraph break, else its last line break,
 * provided what comes before is at least `minChars`; otherwise after its last unit.
 */
function lastBreak(units: Unit[], carried: number, minChars: number): number {
  for (const sep of ['\n\n', '\n']) {
    let prefix = lengthOf(units)
    for (let k = units.length - 1; k > carried; k--) {
      prefix -= units[k]!.sep.length + units[k]!.text.length
      if (units[k]!.sep !== sep) continue
      if (prefix >= minChars) return k
      break
    }
  }
  return units.length
}

/** Packs one section's units into chunk contents honouring the size bounds. */
function packSection(units: Unit[], o: Required<ChunkOptions>): string[] {
  const chunks: Unit[][] = []
  // A chunk under the minimum (a section's tail, or text before a sentence too long to
  // join it) folds into the previous chunk when the two fit together.
  const emit = (chunk: Unit[], carried: number) => {
    const previous = chunks[chunks.length - 1]
    if (previous && lengthOf(chunk) < o.minChars) {
      const merged = [...previous, ...chunk.slice(carried)]
      if (lengthOf(merged) <= o.maxChars) {
        chunks[chunks.length - 1] = merged
        return
      }
    }
    chunks.push(chunk)
  }

  let current: Unit[] = []
  let carried = 0
  let length = 0
  // Units handed back for another pass (the rest of a cut sentence, or sentences moved
  // past a paragraph break) wait here, last first, ahead of the rest of the input.
  const pending: Unit[] = []
  let next = 0
  const take = (): Unit | undefined => pending.pop() ?? units[next++]

  for (let unit = take(); unit; unit = take()) {
    if (current.length === 0 && chunks.length > 0) {
      // A splittable unit is cut to fit whatever overlap leaves; a sentence must fit whole.
      const needed = unit.sep.length + (unit.splittable ? 0 : unit.text.length)
      current = overlapOf(chunks[chunks.length - 1]!, Math.min(o.overlapChars, o.maxChars - needed))
      carried = current.length
      length = lengthOf(current)
    }
    const sepLength = current.length > 0 ? unit.sep.length : 0
    const grown = length + sepLength + unit.text.length
    if (grown <= o.targetChars || (length < o.minChars && grown <= o.maxChars)) {
      current.push(unit)
      length = grown
      continue
    }
    const room = o.targetChars - length - sepLength
    if (unit.splittable && room > 0) {
      const [head, tail, tailSep] = splitAtWord(unit.text, room, Math.max(room / 2, o.minChars - length - sepLength))
      current.push({ text: head, sep: unit.sep })
      pending.push({ text: tail, sep: tailSep, splittable: true })
      emit(current, carried)
    } else {
      // Prefer to end at the last paragraph (then line) break that still leaves a full
      // chunk; the sentences after it go back to open the next chunk.
      const cut = lastBreak(current, carried, o.minChars)
      pending.push(unit)
      for (let k = current.length - 1; k >= cut; k--) pending.push(current[k]!)
      emit(current.slice(0, cut), carried)
    }
    current = []
  }
  if (current.length > 0) emit(current, carried)
  return chunks.map(render)
}

/**
 * Splits extracted sections into overlapping chunks for embedding. Guarantees: every
 * chunk is at most `maxChars`; every sentence up to `maxChars` long appears whole in some
 * chunk, and longer ones are split between words (between characters only where the
 * text has no spaces); boundaries prefer paragraph breaks, then line breaks, then
 * sentence ends; a chunk is at least `minChars` unless the section is shorter, it ends
 * the section, or the next sentence is too long to join it, and such a chunk is folded
 * into the previous one whenever they fit together; each chunk after a section's first
 * begins with up to `overlapChars` of the previous chunk's closing sentence(s). Chunks
 * never span sections, so `page` and `slide` are exact. Pure: no I/O, linear in the input.
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
    for (const content of packSection(unitsOf(section.text, o.maxChars), o)) {
      const chunk: Chunk = { content, position: chunks.length }
      if (section.page !== undefined) chunk.page = section.page
      if (section.slide !== undefined) chunk.slide = section.slide
      chunks.push(chunk)
    }
  }
  return chunks
}

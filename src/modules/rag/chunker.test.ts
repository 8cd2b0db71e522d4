import { describe, expect, test } from 'bun:test'
import { chunkSections, type Chunk } from './chunker'

const BOUNDS = { targetChars: 800, maxChars: 1000, minChars: 500, overlapChars: 120 }

const englishSentences = (count: number, offset = 0) =>
  Array.from(
    { length: count },
    (_, i) =>
      `Clause ${i + offset} of the Vantor travel policy covers case ${(i * 7919) % 1000} in ${i % 3 === 0 ? 'considerable' : 'brief'} detail.`,
  )

const koreanSentences = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    i % 3 === 0
      ? `${i}번 조항은 출장비 정산 절차를 설명합니다.`
      : i % 3 === 1
        ? `영수증은 ${i}일 안에 제출해야 해요.`
        : `${i}번 질문은 무엇일까?`,
  )

function expectWithinBounds(chunks: Chunk[], sectionKey: (c: Chunk) => unknown = () => 0) {
  chunks.forEach((chunk, i) => {
    expect(chunk.content.length).toBeLessThanOrEqual(BOUNDS.maxChars)
    const lastOfSection = i === chunks.length - 1 || sectionKey(chunks[i + 1]!) !== sectionKey(chunk)
    if (!lastOfSection) expect(chunk.content.length).toBeGreaterThanOrEqual(BOUNDS.minChars)
  })
}

/** The sentence of `sentences` that `content` ends with. */
const lastSentenceIn = (content: string, sentences: string[]) => sentences.find((s) => content.endsWith(s))

/** Length of the longest start of `next` (up to `limit`) that `previous` ends with. */
function overlapLength(previous: string, next: string, limit: number): number {
  for (let k = Math.min(limit, next.length); k > 0; k--) {
    if (previous.endsWith(next.slice(0, k))) return k
  }
  return 0
}

/** Each chunk opens with an overlap of at most `overlapChars` ending in the previous chunk's last sentence. */
function expectSentenceOverlap(chunks: Chunk[], sentences: string[]) {
  for (let i = 1; i < chunks.length; i++) {
    const previous = chunks[i - 1]!.content
    const last = lastSentenceIn(previous, sentences)
    expect(last).toBeDefined()
    const k = overlapLength(previous, chunks[i]!.content, BOUNDS.overlapChars)
    expect(k).toBeGreaterThanOrEqual(last!.length)
    expect(chunks[i]!.content.slice(0, k).endsWith(last!)).toBe(true)
  }
}

describe('chunkSections', () => {
  test('long English text: sizes within bounds, positions 0..n-1, every sentence kept', () => {
    const sentences = englishSentences(80)
    const chunks = chunkSections([{ text: sentences.join(' ') }], BOUNDS)
    expect(chunks.length).toBeGreaterThan(4)
    expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i))
    expectWithinBounds(chunks)
    for (const sentence of sentences) expect(chunks.some((c) => c.content.includes(sentence))).toBe(true)
  })

  test('chunks end on sentence boundaries and each begins with the previous one’s last sentence', () => {
    const sentences = englishSentences(60)
    const chunks = chunkSections([{ text: sentences.join(' ') }], BOUNDS)
    expect(chunks.length).toBeGreaterThan(3)
    for (const chunk of chunks) expect(lastSentenceIn(chunk.content, sentences)).toBeDefined()
    expectSentenceOverlap(chunks, sentences)
  })

  test('Korean sentences split on 다. 요. 까? and 。, with or without a following space', () => {
    const sentences = koreanSentences(90)
    const spaced = chunkSections([{ text: sentences.join(' ') }], BOUNDS)
    const packed = chunkSections([{ text: sentences.join('') }], BOUNDS)
    for (const chunks of [spaced, packed]) {
      expect(chunks.length).toBeGreaterThan(2)
      expectWithinBounds(chunks)
      expectSentenceOverlap(chunks, sentences)
      for (const sentence of sentences) expect(chunks.some((c) => c.content.includes(sentence))).toBe(true)
    }
    const japanese = Array.from({ length: 120 }, (_, i) => `これは${i}番目の文です。`)
    const jpChunks = chunkSections([{ text: japanese.join('') }], BOUNDS)
    for (const chunk of jpChunks) expect(chunk.content.endsWith('。')).toBe(true)
  })

  test('paragraph breaks are preferred and survive inside chunks', () => {
    const paragraphs = Array.from({ length: 6 }, (_, p) => englishSentences(3, p * 10).join(' '))
    const chunks = chunkSections([{ text: paragraphs.join('\n\n') }], BOUNDS)
    expect(chunks.some((c) => c.content.includes('\n\n'))).toBe(true)
    for (const paragraph of paragraphs) expect(chunks.some((c) => c.content.includes(paragraph))).toBe(true)
  })

  test('a single over-long sentence is hard-split between words, and nothing is lost', () => {
    const words = Array.from({ length: 700 }, (_, i) => `w${String(i).padStart(4, '0')}`)
    const chunks = chunkSections([{ text: `${words.join(' ')}.` }], BOUNDS)
    expect(chunks.length).toBeGreaterThan(3)
    const vocabulary = new Set(words.map((w) => w))
    const seen = new Set<string>()
    for (const chunk of chunks) {
      expect(chunk.content.length).toBeLessThanOrEqual(BOUNDS.maxChars)
      for (const token of chunk.content.replace(/\.$/, '').split(' ')) {
        expect(vocabulary.has(token)).toBe(true)
        seen.add(token)
      }
    }
    expect(seen.size).toBe(words.length)
  })

  test('text without spaces is still cut within bounds', () => {
    const chunks = chunkSections([{ text: 'あ'.repeat(2500) }], BOUNDS)
    expect(chunks.map((c) => c.content.length).every((n) => n <= BOUNDS.maxChars)).toBe(true)
    expect(chunks.reduce((n, c) => n + c.content.length, 0)).toBeGreaterThanOrEqual(2500)
  })

  test('a sentence too long to join a short chunk stays whole; the short chunk folds back when it fits', () => {
    const long = `${'This long sentence keeps going with more words '.repeat(21).trim()}.`
    expect(long.length).toBeGreaterThan(BOUNDS.maxChars - 200)
    expect(long.length).toBeLessThanOrEqual(BOUNDS.maxChars)
    let count = 1
    while (englishSentences(count + 1).join(' ').length <= BOUNDS.targetChars) count++
    const opening = englishSentences(count).join(' ')
    const bridge = `Bridge ${'x'.repeat(BOUNDS.targetChars - opening.length + 5)} ends here.`
    const rest = englishSentences(15, 100)
    const chunks = chunkSections([{ text: [opening, bridge, long, ...rest].join(' ') }], BOUNDS)
    expect(chunks[0]!.content).toBe(`${opening} ${bridge}`)
    expect(chunks.some((c) => c.content.includes(long))).toBe(true)
    expectWithinBounds(chunks)

    const alone = chunkSections([{ text: `A short first sentence. ${long} ${rest.join(' ')}` }], BOUNDS)
    expect(alone[0]!.content).toBe('A short first sentence.')
    expect(alone[1]!.content.endsWith(long)).toBe(true)
    expect(alone.every((c) => c.content.length <= BOUNDS.maxChars)).toBe(true)
  })

  test('chunks never span sections and carry their page or slide', () => {
    const chunks = chunkSections(
      [
        { text: englishSentences(30).join(' '), page: 1 },
        { text: 'A short second page.', page: 2 },
        { text: koreanSentences(40).join(' '), slide: 7 },
      ],
      BOUNDS,
    )
    expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i))
    expect(chunks.filter((c) => c.page === 2).map((c) => c.content)).toEqual(['A short second page.'])
    expect(chunks.filter((c) => c.page === 1).length).toBeGreaterThan(1)
    expect(chunks.filter((c) => c.slide === 7).every((c) => c.page === undefined)).toBe(true)
    expect(chunks.some((c) => c.content.includes('Clause 29') && c.content.includes('second page'))).toBe(false)
    expectWithinBounds(chunks, (c) => `${c.page}/${c.slide}`)
  })

  test('a tail that fits is merged into the previous chunk instead of standing alone', () => {
    let count = 1
    while (englishSentences(count + 1).join(' ').length <= BOUNDS.maxChars) count++
    const text = englishSentences(count).join(' ')
    expect(text.length).toBeLessThanOrEqual(BOUNDS.maxChars)
    expect(text.length).toBeGreaterThan(BOUNDS.targetChars)
    expect(chunkSections([{ text }], BOUNDS).map((c) => c.content)).toEqual([text])
  })

  test('abbreviations and decimals do not end sentences', () => {
    const text =
      'Dr. Kim measured 3.5 kg, approx. twice the norm. ' +
      `${englishSentences(40).join(' ')}`
    const chunks = chunkSections([{ text }], BOUNDS)
    expect(chunks[0]!.content.startsWith('Dr. Kim measured 3.5 kg, approx. twice the norm.')).toBe(true)
  })

  test('randomised documents keep every invariant', () => {
    let seed = 20240611
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)]!
    const words = ['alpha', 'beta', '감마', '델타', 'Nimbus-X3', '42.5', 'kg', 'epsilon', '정책은', 'review']
    let serial = 0
    const sentence = () => {
      const length = random() < 0.03 ? 260 : 3 + Math.floor(random() * 25)
      const body = Array.from({ length }, () => pick(words)).join(' ')
      serial++
      return `S${serial} ${body}${pick(['.', '?', '!', '다.', '요.'])}`
    }
    for (let round = 0; round < 25; round++) {
      const sections = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, s) => ({
        page: s + 1,
        text: Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
          Array.from({ length: 1 + Math.floor(random() * 6) }, sentence).join(random() < 0.2 ? '\n' : ' '),
        ).join('\n\n'),
      }))
      const chunks = chunkSections(sections, BOUNDS)
      expectWithinBounds(chunks, (c) => c.page)
      expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i))
      for (const section of sections) {
        const inSection = chunks.filter((c) => c.page === section.page)
        for (const part of section.text.split(/(?<=[.?!])\s+/)) {
          if (part.length > BOUNDS.maxChars) continue
          expect(inSection.some((c) => c.content.includes(part))).toBe(true)
        }
      }
    }
  })

  test('whitespace runs are collapsed and empty input yields no chunks', () => {
    expect(chunkSections([{ text: 'one   two\t three' }]).map((c) => c.content)).toEqual(['one two three'])
    expect(chunkSections([{ text: ' \n\n ' }, { text: '' }])).toEqual([])
  })

  test('inconsistent options are rejected', () => {
    expect(() => chunkSections([{ text: 'x' }], { minChars: 900, targetChars: 800 })).toThrow(RangeError)
    expect(() => chunkSections([{ text: 'x' }], { overlapChars: 600 })).toThrow(RangeError)
  })
})

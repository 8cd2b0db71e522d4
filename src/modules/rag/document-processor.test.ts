import { afterAll, describe, expect, test } from 'bun:test'
import { makeDocx, makePdf, makePptx } from '../../../test/fixtures/documents'
import { makeHostileDocx, makeHostilePdf, makeHostilePptx } from '../../../test/fixtures/hostile-documents'
import { AppError } from '../../platform/errors'
import { DEFAULT_PROCESSING_LIMITS, processDocument } from './document-processing'
import { createDocumentProcessor } from './document-processor'

const processor = createDocumentProcessor({ limits: DEFAULT_PROCESSING_LIMITS, timeoutMs: 20_000, workers: 2 })
afterAll(() => processor.close())

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).status).toBe(400)
  return error as AppError
}

describe('document processor (extraction and chunking in a worker)', () => {
  test('a document comes back with the chunks the same code makes in-thread', async () => {
    const docx = await makeDocx(['First paragraph about harbour tides.', { heading: 'Second part' }, 'Another paragraph, on lanterns.'])
    const inWorker = await processor.process(docx, 'notes.docx')
    expect(inWorker).toEqual(await processDocument(docx, 'notes.docx', DEFAULT_PROCESSING_LIMITS))
    expect(inWorker.kind).toBe('docx')
  })

  // Hostile DOCX, PPTX and PDF of 1.3 million tiny paragraphs go through this processor in a
  // real `bun start` process: test/e2e/docs-ingest-isolation.test.ts.

  test('the paragraph, slide, page, text and chunk budgets each refuse with a message naming the limit', async () => {
    const tight = createDocumentProcessor({
      limits: { ...DEFAULT_PROCESSING_LIMITS, maxParagraphs: 100, maxSlides: 2, maxPdfPages: 1, maxTextBytes: 2000, maxChunks: 1 },
      timeoutMs: 20_000,
      workers: 1,
    })
    try {
      for (const [name, bytes] of [
        ['many.docx', makeHostileDocx(200)],
        ['many.pptx', makeHostilePptx(200)],
        ['many.pdf', await makeHostilePdf(200)],
      ] as const) {
        expect((await refusal(tight.process(bytes, name))).message).toMatch(/more than 100 paragraphs/)
      }
      const deck = makePptx([{ lines: ['one'] }, { lines: ['two'] }, { lines: ['three'] }])
      expect((await refusal(tight.process(deck, 'deck.pptx'))).message).toMatch(/3 slides; at most 2/)
      const pdf = await makePdf([['page one'], ['page two']])
      expect((await refusal(tight.process(pdf, 'two.pdf'))).message).toMatch(/2 pages; at most 1/)
      const text = new TextEncoder().encode('word '.repeat(1000))
      expect((await refusal(tight.process(text, 'long.txt'))).message).toMatch(/text exceeds/)
      const chunky = new TextEncoder().encode('A sentence of some length here. '.repeat(50))
      expect((await refusal(tight.process(chunky, 'chunky.txt'))).message).toMatch(/chunks; at most 1 are accepted/)
    } finally {
      tight.close()
    }
  }, 30_000)

  test('a document outliving the wall-clock limit has its worker killed and is refused; the next one is served', async () => {
    const slow = createDocumentProcessor({ limits: DEFAULT_PROCESSING_LIMITS, timeoutMs: 300, workers: 1 })
    try {
      const big = await makeDocx(Array.from({ length: 20_000 }, (_, i) => `Paragraph ${i}.`))
      const started = performance.now()
      expect((await refusal(slow.process(big, 'big.docx'))).message).toMatch(/longer than 1 s; it was stopped/)
      expect(performance.now() - started).toBeLessThan(2000)
      const small = await slow.process(new TextEncoder().encode('Still working after the kill.'), 'ok.txt')
      expect(small.chunks.map((c) => c.content)).toEqual(['Still working after the kill.'])
    } finally {
      slow.close()
    }
  }, 30_000)

  test("a caller's abort stops the document with the abort's reason", async () => {
    const big = await makeDocx(Array.from({ length: 20_000 }, (_, i) => `Paragraph ${i}.`))
    const controller = new AbortController()
    const work = processor.process(big, 'big.docx', controller.signal)
    setTimeout(() => controller.abort(new Error('client went away')), 50)
    await expect(work).rejects.toThrow('client went away')
  }, 30_000)

  test('documents beyond the worker count wait their turn and all complete', async () => {
    const texts = Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`Document number ${i} stands alone.`))
    const results = await Promise.all(texts.map((bytes, i) => processor.process(bytes, `d${i}.txt`)))
    expect(results.map((r) => r.chunks[0]!.content)).toEqual(texts.map((_, i) => `Document number ${i} stands alone.`))
  })
})

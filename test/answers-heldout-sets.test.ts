// The held-out sets of bench:answers cannot rot: in each, every fact is in its document (as
// written and as huddle extracts it from the rendered file), ids are unique, and the set
// keeps the shape the bench's targets are counted against.
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { HELDOUT_SETS, heldoutDocSet, heldoutQuestions, heldoutRouting, type HeldoutSet } from '../bench/answers-sets'
import { extractDocument } from '../src/modules/rag/extract/extract-document'
import { renderMarkdown, type RenderFormat } from './fixtures/render-markdown'

/**
 * How long each set's documents are, in words. answers-heldout was written before documents of
 * 500 words and more were asked for: its five are short notices.
 */
const WORDS: Record<HeldoutSet, { min: number; max: number }> = {
  'answers-blind': { min: 500, max: 1500 },
  'answers-fresh': { min: 500, max: 1500 },
  'answers-heldout': { min: 100, max: 300 },
}

/** Whitespace runs as one space: a rendered PDF wraps lines where the source did not. */
const flat = (text: string) => text.replace(/\s+/g, ' ')

for (const name of HELDOUT_SETS) describeHeldoutSet(name)

function describeHeldoutSet(name: HeldoutSet) {
  const set = heldoutDocSet(name)
  const questions = heldoutQuestions(name)
  const markdownOf = new Map(set.documents.map((d) => [d.source, readFileSync(join(set.dir, d.source), 'utf8')]))
  const answerable = questions.filter((q) => q.answerable)

  describe(`bench/${name}`, () => {
    const { min, max } = WORDS[name]
    test(`has one document per format, each ${min} to ${max} words`, () => {
      expect(set.documents.map((d) => d.format).sort()).toEqual(['docx', 'md', 'pdf', 'pptx', 'txt'])
      for (const [source, md] of markdownOf) {
        const words = md.split(/\s+/).filter(Boolean).length
        expect({ source, words, inRange: words >= min && words <= max }).toEqual({ source, words, inRange: true })
      }
    })

    test('every question id is unique; 48 answerable and 6 unanswerable questions', () => {
      expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length)
      expect(answerable.length).toBe(48)
      expect(questions.filter((q) => !q.answerable).map((q) => ({ doc: q.doc, fact: q.fact }))).toEqual(
        Array.from({ length: 6 }, () => ({ doc: undefined, fact: undefined })),
      )
    })

    test('every fact appears verbatim in its document', () => {
      const missing = answerable.filter((q) => !q.fact || !markdownOf.get(q.doc!)?.includes(q.fact)).map((q) => q.id)
      expect(missing).toEqual([])
    })

    test('every fact survives rendering and extraction', async () => {
      const extracted = new Map<string, string>()
      for (const doc of set.documents) {
        const bytes = await renderMarkdown(markdownOf.get(doc.source)!, doc.format as RenderFormat)
        const { sections } = await extractDocument(bytes, doc.filename)
        extracted.set(doc.source, flat(sections.map((s) => s.text).join('\n')))
      }
      const missing = answerable.filter((q) => !extracted.get(q.doc!)!.includes(flat(q.fact!))).map((q) => q.id)
      expect(missing).toEqual([])
    })

    test('has 36 routing messages: 12 recipe, 16 rag, 8 basic, none twice', () => {
      const routing = heldoutRouting(name)
      const perFlow: Record<string, number> = {}
      for (const q of routing) perFlow[q.flow] = (perFlow[q.flow] ?? 0) + 1
      expect(perFlow).toEqual({ recipe: 12, rag: 16, basic: 8 })
      expect(new Set(routing.map((q) => q.message)).size).toBe(routing.length)
    })
  })
}

import { describe, expect, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { chunkSections } from '../../src/modules/rag/chunker'
import { extractDocument } from '../../src/modules/rag/extract/extract-document'
import { renderMarkdown, type RenderFormat } from '../../test/fixtures/documents'
import manifest from './manifest.json'
import questions from './questions.json'

interface ManifestEntry {
  source: string
  format: RenderFormat
  filename: string
  language: 'en' | 'ko'
}

interface Question {
  id: string
  question: string
  doc: string
  answer_contains: string
  style: 'keyword' | 'paraphrase'
}

const docsDir = join(import.meta.dir, 'docs')
const entries = manifest.documents as ManifestEntry[]
const labelled = questions as Question[]
const sources = new Map(
  readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => [name, ''] as [string, string]),
)
for (const name of sources.keys()) sources.set(name, await Bun.file(join(docsDir, name)).text())

const HANGUL = /[\uac00-\ud7a3]/

describe('retrieval set', () => {
  test('has 30+ documents in both languages, under 400 KB in total', () => {
    expect(sources.size).toBeGreaterThanOrEqual(30)
    const bytes = [...sources.values()].reduce((n, text) => n + Buffer.byteLength(text), 0)
    expect(bytes).toBeLessThan(400 * 1024)
    const korean = [...sources.values()].filter((text) => HANGUL.test(text)).length
    expect(korean).toBeGreaterThanOrEqual(8)
    expect(sources.size - korean).toBeGreaterThanOrEqual(8)
  })

  test('the manifest lists every source exactly once, with PDF ones in plain ASCII English', () => {
    expect(entries.map((e) => e.source).sort()).toEqual([...sources.keys()].sort())
    for (const entry of entries) {
      expect(['pdf', 'docx', 'pptx', 'md', 'txt']).toContain(entry.format)
      expect(entry.filename).toBe(entry.source.replace(/\.md$/, `.${entry.format}`))
      expect(entry.language).toBe(HANGUL.test(sources.get(entry.source)!) ? 'ko' : 'en')
      if (entry.format === 'pdf') expect(sources.get(entry.source)!).toMatch(/^[\x20-\x7e\n]*$/)
    }
    for (const format of ['pdf', 'docx', 'pptx', 'md', 'txt']) {
      expect(entries.some((e) => e.format === format)).toBe(true)
    }
  })

  test('has 100+ questions with unique ids, in both languages and both styles', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(100)
    expect(new Set(labelled.map((q) => q.id)).size).toBe(labelled.length)
    expect(labelled.filter((q) => HANGUL.test(q.question)).length).toBeGreaterThanOrEqual(30)
    expect(labelled.filter((q) => !HANGUL.test(q.question)).length).toBeGreaterThanOrEqual(30)
    expect(labelled.filter((q) => q.style === 'keyword').length).toBeGreaterThanOrEqual(30)
    expect(labelled.filter((q) => q.style === 'paraphrase').length).toBeGreaterThanOrEqual(30)
    for (const source of sources.keys()) expect(labelled.some((q) => q.doc === source)).toBe(true)
  })

  test('every answer_contains occurs in its own document and in no other', () => {
    for (const q of labelled) {
      expect(sources.has(q.doc)).toBe(true)
      expect(q.question.trim().length).toBeGreaterThan(0)
      expect({ id: q.id, found: sources.get(q.doc)!.includes(q.answer_contains) }).toEqual({ id: q.id, found: true })
      const elsewhere = [...sources].filter(([name, text]) => name !== q.doc && text.includes(q.answer_contains))
      expect({ id: q.id, elsewhere: elsewhere.map(([name]) => name) }).toEqual({ id: q.id, elsewhere: [] })
    }
  })

  test('each answer survives rendering, extraction and chunking inside a single chunk', async () => {
    for (const entry of entries) {
      const bytes = await renderMarkdown(sources.get(entry.source)!, entry.format)
      const doc = await extractDocument(bytes, entry.filename)
      const chunks = chunkSections(doc.sections)
      for (const q of labelled.filter((item) => item.doc === entry.source)) {
        const found = chunks.some((chunk) => chunk.content.includes(q.answer_contains))
        expect({ id: q.id, file: entry.filename, found }).toEqual({ id: q.id, file: entry.filename, found: true })
      }
    }
  })
})

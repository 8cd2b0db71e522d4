import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = join(import.meta.dir, 'knowledge')
const files = readdirSync(dir).filter((f) => f.endsWith('.md'))

describe('pet-nutrition knowledge base', () => {
  test('ships 8–15 Markdown documents with kebab-case names', () => {
    expect(files.length).toBeGreaterThanOrEqual(8)
    expect(files.length).toBeLessThanOrEqual(15)
    for (const f of files) expect(f).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.md$/)
  })

  test('every document has a title, Korean text and a sources section naming at least one source', () => {
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8')
      expect(text.startsWith('# ')).toBe(true)
      expect(/[\uac00-\ud7a3]/.test(text)).toBe(true)
      const sources = text.split('## 출처')[1]
      expect(sources).toBeDefined()
      expect(sources!.trim().split('\n').filter((l) => l.startsWith('- ')).length).toBeGreaterThanOrEqual(1)
    }
  })

  test('covers the topics the petcare flow is asked about', () => {
    const all = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n')
    for (const topic of ['RER', 'AAFCO', '포도', '칼슘:인', '타우린', '비만', '수분', '제한 식이', '노령', '강아지', '고양이']) {
      expect(all).toContain(topic)
    }
  })
})

import { describe, expect, test } from 'bun:test'
import { questionTerms } from './offline-evidence'
import { firstLine } from './offline-answer-testing'

describe('dotted figures', () => {
  test('a version or decimal is one figure, not two', () => {
    expect(questionTerms('What changed in Brightline 5.0?').filter((t) => t.numeric).map((t) => t.term)).toEqual(['5.0'])
    expect(questionTerms('Is v2.3.1 still supported?').map((t) => t.term)).toContain('v2.3.1')
  })

  test('the sentence of the asked version, not one holding its parts', () => {
    const notes = {
      index: 1,
      source: 'brightline-notes.md',
      content: '# Brightline release notes\n\n## Versions\n\nVersion 4.0 shipped with 5 new themes on 2 March 2026. Version 5.0 shipped on 14 October 2026.',
    }
    expect(firstLine('When did Brightline 5.0 ship?', notes)).toBe('Version 5.0 shipped on 14 October 2026. [1]')
  })
})

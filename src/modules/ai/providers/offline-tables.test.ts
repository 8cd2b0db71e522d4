import { describe, expect, test } from 'bun:test'
import { composeOfflineAnswer } from './offline-answer'
import { readTables, sayRow } from './offline-tables'
import { ask, firstLine } from './offline-answer-testing'

const PLANS_TABLE = [
  '| Plan | Price per month | Storage | Largest file |',
  '|---|---|---|---|',
  '| Free | 0 dollars | 5 GB | 250 MB |',
  '| Team | 15 dollars | 1 TB | 10 GB |',
  '| Business | 32 dollars | 5 TB | 50 GB |',
]
const plans = (table: string) => ({
  index: 1,
  source: 'lumenbox-plans.md',
  content: `# Lumenbox Plans\n\nLumenbox stores files for small teams.\n\n## Plans\n\n${table}\n\n## Billing\n\nYearly billing saves 20 percent on every paid plan.`,
})

describe('tables in passages', () => {
  test('reads a table by its lines and joined into one line alike: each data row said with its column names', () => {
    const byLines = readTables(PLANS_TABLE)
    const joined = readTables([PLANS_TABLE.join(' ')])
    expect(joined).toEqual(byLines)
    expect(byLines.map((l) => l.text)).toEqual([
      'Free — Price per month: 0 dollars; Storage: 5 GB; Largest file: 250 MB',
      'Team — Price per month: 15 dollars; Storage: 1 TB; Largest file: 10 GB',
      'Business — Price per month: 32 dollars; Storage: 5 TB; Largest file: 50 GB',
    ])
    expect(sayRow(byLines[1]!.row!, [2])).toBe('Team — Storage: 1 TB')
    // Rows whose header fell in another passage are said by their cells; other lines as given.
    expect(readTables(['Prices:', '| Team | 15 dollars | 1 TB |']).map((l) => l.text)).toEqual(['Prices:', 'Team — 15 dollars; 1 TB'])
  })

  test('answers a question naming a row and a column with that cell and the row label, in either form', () => {
    for (const table of [PLANS_TABLE.join('\n'), PLANS_TABLE.join(' ')]) {
      const answer = composeOfflineAnswer(ask('How much storage do I get on the Lumenbox Team plan?'), { passages: [plans(table)] })
      expect(answer.split('\n')[0]).toBe('Team — Storage: 1 TB [1]')
      const file = composeOfflineAnswer(ask('What is the biggest file a Business account can upload?'), { passages: [plans(table)] })
      expect(file.split('\n')[0]).toContain('Business — Largest file: 50 GB')
    }
  })

  test('a Korean table: the asked column of the named row', () => {
    const fares = {
      index: 1,
      source: '바다누리_여객선.docx',
      content: '바다누리 여객선 이용 안내\n\n여객 요금\n\n| 구분 | 편도 | 왕복 | |---|---|---| | 어른 | 12,000원 | 22,000원 | | 청소년 | 9,000원 | 16,000원 |',
    }
    expect(firstLine('바다누리 청소년 왕복 요금 얼마예요?', fares)).toBe('청소년 — 왕복: 16,000원 [1]')
  })
})

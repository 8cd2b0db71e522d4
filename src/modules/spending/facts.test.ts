import { describe, expect, test } from 'bun:test'
import { formatKrw, formatSpendingFacts } from './facts'
import { summarizeSpending } from './summary'

const tx = (amount: number, category: string, merchant: string, iso: string) => ({ amount, category, merchant, occurred_at: new Date(iso) })
const now = new Date('2026-02-20T00:00:00Z')

describe('formatKrw', () => {
  test('groups thousands and appends 원', () => {
    expect(formatKrw(523_000)).toBe('523,000원')
    expect(formatKrw(0)).toBe('0원')
    expect(formatKrw(1_234_567)).toBe('1,234,567원')
    expect(formatKrw(-43_000)).toBe('-43,000원')
  })
})

describe('formatSpendingFacts', () => {
  test('states the total, the change, the top category, the breakdown and the merchants', () => {
    const s = summarizeSpending(
      [
        tx(400_000, '식비', '마트', '2026-02-10T03:00:00Z'),
        tx(123_000, '교통', '코레일', '2026-02-11T03:00:00Z'),
        tx(480_000, '식비', '마트', '2026-01-10T03:00:00Z'),
      ],
      now,
    )
    expect(formatSpendingFacts(s)).toEqual([
      '2026년 2월 총 지출은 523,000원입니다 (2건).',
      '지난달(2026년 1월) 480,000원보다 43,000원(9.0%) 늘었습니다.',
      '가장 많이 쓴 분야는 식비(400,000원, 76.5%)입니다.',
      '분야별 지출: 식비 400,000원(76.5%), 교통 123,000원(23.5%).',
      '많이 쓴 곳: 마트 400,000원(1건), 코레일 123,000원(1건).',
    ])
  })

  test('a decrease, and a month without records', () => {
    const down = summarizeSpending([tx(100_000, '식비', '', '2026-02-10T03:00:00Z'), tx(200_000, '식비', '', '2026-01-10T03:00:00Z')], now)
    expect(formatSpendingFacts(down)[1]).toBe('지난달(2026년 1월) 200,000원보다 100,000원(50.0%) 줄었습니다.')
    expect(formatSpendingFacts(summarizeSpending([], now))).toEqual(['2026년 2월 지출 기록이 없습니다.', '지난달(2026년 1월) 지출 기록은 없습니다.'])
  })

  test('more than five categories are summarised', () => {
    const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((c, i) => tx(1000 * (i + 1), c, '', '2026-02-10T03:00:00Z'))
    const lines = formatSpendingFacts(summarizeSpending(many, now))
    expect(lines.find((l) => l.startsWith('분야별'))).toContain('외 2개 분야')
  })
})

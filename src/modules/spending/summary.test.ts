import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors'
import { monthOf, previousMonth, summarizeSpending } from './summary'

const tx = (amount: number, category: string, merchant: string, iso: string) => ({ amount, category, merchant, occurred_at: new Date(iso) })

describe('KST month boundaries', () => {
  test('2026-01-31T16:00Z is February in Seoul but January in UTC', () => {
    const d = new Date('2026-01-31T16:00:00Z')
    expect(monthOf(d)).toBe('2026-02')
    expect(monthOf(d, 'UTC')).toBe('2026-01')
  })

  test('the kept month of a quarter hour is exact on both sides of a boundary, in any order', () => {
    const cases: [string, string, string][] = [
      ['2026-01-31T14:59:59.999Z', 'Asia/Seoul', '2026-01'],
      ['2026-01-31T15:00:00.000Z', 'Asia/Seoul', '2026-02'],
      // A +5:45 zone: the month turns at 18:15 UTC.
      ['2026-03-31T18:14:59.999Z', 'Asia/Kathmandu', '2026-03'],
      ['2026-03-31T18:15:00.000Z', 'Asia/Kathmandu', '2026-04'],
      // Seoul's local mean time (+8:27:52) in 1900: the month turns inside a quarter hour.
      ['1900-01-31T15:32:07.000Z', 'Asia/Seoul', '1900-01'],
      ['1900-01-31T15:32:08.000Z', 'Asia/Seoul', '1900-02'],
    ]
    for (const order of [cases, [...cases].reverse(), [...cases, ...cases]]) {
      for (const [iso, tz, month] of order) expect({ iso, tz, month: monthOf(new Date(iso), tz) }).toEqual({ iso, tz, month })
    }
  })

  test('previousMonth wraps the year', () => {
    expect(previousMonth('2026-01')).toBe('2025-12')
    expect(previousMonth('2026-10')).toBe('2026-09')
  })
})

describe('summarizeSpending', () => {
  const transactions = [
    tx(300_000, '식비', '마트', '2026-02-10T03:00:00Z'),
    tx(100_000, '교통', '코레일', '2026-02-14T03:00:00Z'),
    tx(23_000, '카페', '스타벅스', '2026-01-31T16:00:00Z'), // 2026-02-01 01:00 KST → February
    tx(100_000, '식비', '마트', '2026-02-28T14:59:00Z'), // 2026-02-28 23:59 KST → February
    tx(50_000, '식비', '식당', '2026-02-28T15:00:00Z'), // 2026-03-01 00:00 KST → March, ignored
    tx(400_000, '식비', '마트', '2026-01-20T03:00:00Z'), // January
    tx(80_000, '교통', '', '2026-01-31T14:59:59Z'), // 2026-01-31 23:59:59 KST → January
    tx(999_000, '여행', '항공사', '2025-12-31T03:00:00Z'), // December, ignored
  ]
  const now = new Date('2026-02-20T00:00:00Z')

  test('totals, categories and the comparison follow KST months', () => {
    const s = summarizeSpending(transactions, now)
    expect(s.month).toBe('2026-02')
    expect(s.timezone).toBe('Asia/Seoul')
    expect(s.total).toBe(523_000)
    expect(s.transaction_count).toBe(4)
    expect(s.by_category).toEqual([
      { category: '식비', amount: 400_000, share: 0.7648 },
      { category: '교통', amount: 100_000, share: 0.1912 },
      { category: '카페', amount: 23_000, share: 0.044 },
    ])
    expect(s.previous_month).toBe('2026-01')
    expect(s.previous_month_total).toBe(480_000)
    expect(s.change_amount).toBe(43_000)
    expect(s.change_percent).toBe(9) // 43,000 / 480,000 = 8.96% → 9.0
  })

  test('top merchants are by amount and skip transactions without a merchant', () => {
    const s = summarizeSpending(transactions, now)
    expect(s.top_merchants).toEqual([
      { merchant: '마트', amount: 400_000, count: 2 },
      { merchant: '코레일', amount: 100_000, count: 1 },
      { merchant: '스타벅스', amount: 23_000, count: 1 },
    ])
    const jan = summarizeSpending(transactions, new Date('2026-01-15T00:00:00Z'))
    expect(jan.top_merchants.map((m) => m.merchant)).toEqual(['마트'])
    expect(jan.previous_month_total).toBe(999_000)
  })

  test('in UTC the same data falls into different months', () => {
    const s = summarizeSpending(transactions, now, 'UTC')
    expect(s.total).toBe(550_000) // 300k + 100k + 100k + 50k (28 Feb UTC); the 23k cafe moves to January
    expect(s.previous_month_total).toBe(503_000)
  })

  test('an empty previous month gives a null change_percent; an empty month gives zeros', () => {
    const s = summarizeSpending([tx(10_000, '카페', 'A', '2026-02-02T00:00:00Z')], now)
    expect(s.change_percent).toBeNull()
    expect(s.change_amount).toBe(10_000)
    const empty = summarizeSpending([], now)
    expect(empty).toMatchObject({ total: 0, by_category: [], top_merchants: [], transaction_count: 0, change_percent: null })
  })

  test('an unknown time zone is a VALIDATION error', () => {
    expect(() => summarizeSpending([], now, 'Mars/Olympus')).toThrow(AppError)
  })
})

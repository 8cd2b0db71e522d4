import { describe, expect, test } from 'bun:test'
import { thrownAppError } from '../../../test/support/app-error'
import { parseTransactionsCsv, validateTransaction } from './transaction'

const validationError = (fn: () => unknown) => thrownAppError(fn)

describe('validateTransaction', () => {
  test('accepts a well-formed transaction and trims text', () => {
    const t = validateTransaction({ amount: 12000, category: ' 카페 ', merchant: ' 스타벅스 ', occurred_at: '2026-01-28T12:00:00Z' })
    expect(t).toEqual({ amount: 12000, category: '카페', merchant: '스타벅스', occurred_at: new Date('2026-01-28T12:00:00Z') })
  })

  test('reads a time without offset, and a bare date, as Korean time', () => {
    expect(validateTransaction({ amount: 1, category: 'x', occurred_at: '2026-02-01T00:30:00' }).occurred_at.toISOString()).toBe('2026-01-31T15:30:00.000Z')
    expect(validateTransaction({ amount: 1, category: 'x', occurred_at: '2026-02-01' }).occurred_at.toISOString()).toBe('2026-01-31T15:00:00.000Z')
    expect(validateTransaction({ amount: 1, category: 'x', occurred_at: '2026-02-01T09:00:00+0900' }).occurred_at.toISOString()).toBe('2026-02-01T00:00:00.000Z')
    expect(validateTransaction({ amount: 1, category: 'x', occurred_at: '2026-02-01T09:00:00.123456Z' }).occurred_at.toISOString()).toBe('2026-02-01T09:00:00.123Z')
  })

  test('merchant is optional; amounts may be digit strings with commas', () => {
    const t = validateTransaction({ amount: '1,250,000', category: '여행', occurred_at: '2026-01-01T00:00:00Z' })
    expect(t.amount).toBe(1_250_000)
    expect(t.merchant).toBe('')
  })

  test('rejects bad amounts', () => {
    for (const amount of [0, -100, 12.5, '12.5', 'abc', null, Number.NaN, 1e13]) {
      expect(validationError(() => validateTransaction({ amount, category: 'x', occurred_at: '2026-01-01' })).message).toContain('amount')
    }
  })

  test('rejects bad categories, merchants and dates, naming every bad field', () => {
    expect(validationError(() => validateTransaction({ amount: 1, category: '', occurred_at: '2026-01-01' })).message).toContain('category')
    expect(validationError(() => validateTransaction({ amount: 1, category: 'x'.repeat(51), occurred_at: '2026-01-01' })).message).toContain('50')
    expect(validationError(() => validateTransaction({ amount: 1, category: 'x', merchant: 'm'.repeat(201), occurred_at: '2026-01-01' })).message).toContain('200')
    for (const occurred_at of ['2026-02-30', '2026-13-01', 'yesterday', '28/01/2026', '2026-01-01T25:00:00Z', 1700000000, '1969-12-31']) {
      expect(validationError(() => validateTransaction({ amount: 1, category: 'x', occurred_at })).message).toContain('occurred_at')
    }
    const e = validationError(() => validateTransaction({ amount: -1, category: '', occurred_at: 'no' }))
    expect(e.details!.errors).toHaveLength(3)
    validationError(() => validateTransaction('not an object'))
  })
})

describe('parseTransactionsCsv', () => {
  test('parses rows in any column order and ignores extra columns', () => {
    const rows = parseTransactionsCsv('occurred_at,merchant,amount,category,memo\n2026-01-28T12:00:00+09:00,스타벅스,"5,600",카페,라떼\n2026-01-29,GS25,3200,편의점,')
    expect(rows).toEqual([
      { amount: 5600, category: '카페', merchant: '스타벅스', occurred_at: new Date('2026-01-28T03:00:00Z') },
      { amount: 3200, category: '편의점', merchant: 'GS25', occurred_at: new Date('2026-01-28T15:00:00Z') },
    ])
  })

  test('reports every bad row with its line number and returns nothing', () => {
    const csv = [
      'amount,category,merchant,occurred_at',
      '1000,식비,김밥집,2026-01-02',
      '-5,식비,김밥집,2026-01-02',
      '',
      '2000,,편의점,2026-01-40',
    ].join('\n')
    const e = validationError(() => parseTransactionsCsv(csv))
    expect(e.message).toContain('line 3: amount')
    expect(e.message).toContain('line 5: category')
    expect(e.details!.errors).toEqual([expect.stringContaining('line 3'), expect.stringContaining('occurred_at')])
  })

  test('requires the header columns', () => {
    expect(validationError(() => parseTransactionsCsv('amount,category\n1,x')).message).toContain('merchant, occurred_at')
    validationError(() => parseTransactionsCsv(''))
  })
})

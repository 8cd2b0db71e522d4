import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors'
import { headerIndex, parseCsv } from './csv'

describe('parseCsv', () => {
  test('handles quotes, doubled quotes, commas and newlines inside quotes, CRLF and a BOM', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","line1\nline2"\r\n1,,3\n'
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'line1\nline2'] },
      { line: 4, fields: ['1', '', '3'] },
    ])
  })

  test('skips blank lines but keeps counting them', () => {
    expect(parseCsv('a\n\n\nb').map((r) => r.line)).toEqual([1, 4])
  })

  test('keeps a last record without a trailing newline, and empty trailing fields', () => {
    expect(parseCsv('a,b\n1,')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', ''] },
    ])
  })

  test('an unterminated quote is a VALIDATION error naming its line', () => {
    try {
      parseCsv('a\n"open\nstill open')
      throw new Error('expected an error')
    } catch (e) {
      expect(e).toBeInstanceOf(AppError)
      expect((e as AppError).code).toBe('VALIDATION')
      expect((e as AppError).message).toContain('line 2')
    }
  })
})

describe('headerIndex', () => {
  test('finds columns case-insensitively in any order', () => {
    const idx = headerIndex({ line: 1, fields: [' Merchant', 'AMOUNT', 'extra'] }, ['amount', 'merchant'])
    expect(idx.get('amount')).toBe(1)
    expect(idx.get('merchant')).toBe(0)
  })

  test('lists missing and repeated columns', () => {
    expect(() => headerIndex({ line: 1, fields: ['amount'] }, ['amount', 'category', 'merchant'])).toThrow(/category, merchant/)
    expect(() => headerIndex({ line: 1, fields: ['amount', 'Amount'] }, ['amount'])).toThrow(/repeats/)
  })
})

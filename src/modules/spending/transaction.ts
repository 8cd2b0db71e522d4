/**
 * A spending transaction as the advisor surface accepts it (`POST /api/v1/transactions/`) and
 * as the `transactions:import` command reads it from CSV. Amounts are whole KRW.
 *
 * Timestamps are ISO 8601. A timestamp without an offset, or a bare date, is read as Korean
 * time (+09:00): the amounts are KRW and the users are in Korea, and reading "2026-02-01" as
 * UTC midnight would file it under the wrong day and sometimes the wrong month.
 */
import { AppError } from '../../platform/errors'
import { headerIndex, parseCsv } from './csv'

/** A validated transaction. */
export interface Transaction {
  amount: number
  category: string
  merchant: string
  occurred_at: Date
}

const MAX_AMOUNT = 1_000_000_000_000
const MAX_CSV_ROWS = 50_000
const MAX_ERRORS_IN_MESSAGE = 5
const DEFAULT_OFFSET = '+09:00'
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

function parseAmount(value: unknown): number | string {
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'string' && /^\s*(\d{1,3}(,\d{3})+|\d+)\s*$/.test(value)) n = Number(value.replace(/[,\s]/g, ''))
  else return 'must be a positive whole number of KRW'
  if (!Number.isSafeInteger(n) || n <= 0) return 'must be a positive whole number of KRW'
  if (n > MAX_AMOUNT) return `must be at most ${MAX_AMOUNT.toLocaleString('en-US')}`
  return n
}

/** Parses an ISO 8601 date or date-time; a missing offset means KST. Returns an error text when invalid. */
export function parseOccurredAt(value: unknown): Date | string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'is not a valid date' : value
  if (typeof value !== 'string') return 'must be an ISO 8601 date-time string'
  const m = ISO.exec(value.trim())
  if (!m) return 'must be an ISO 8601 date-time (e.g. 2026-01-28T12:00:00+09:00)'
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m
  const offset = zone === undefined ? DEFAULT_OFFSET : zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
  const ms = frac === '' ? '' : frac.slice(0, 4).padEnd(4, '0')
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`)
  const year = Number(y)
  const calendar = new Date(Date.UTC(year, Number(mo) - 1, Number(d)))
  const validDay = calendar.getUTCMonth() === Number(mo) - 1 && calendar.getUTCDate() === Number(d)
  if (Number.isNaN(date.getTime()) || !validDay || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return 'is not a valid date'
  }
  if (year < 1970 || year > 2100) return 'must be between 1970 and 2100'
  return date
}

function check(input: unknown): { value?: Transaction; errors: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { errors: ['transaction must be an object'] }
  }
  const o = input as Record<string, unknown>
  const errors: string[] = []
  const amount = parseAmount(o.amount)
  if (typeof amount === 'string') errors.push(`amount ${amount}`)

  const category = typeof o.category === 'string' ? o.category.trim() : undefined
  if (category === undefined) errors.push('category is required')
  else if (category === '') errors.push('category must not be empty')
  else if (category.length > 50) errors.push('category must be at most 50 characters')

  let merchant = ''
  if (typeof o.merchant === 'string') merchant = o.merchant.trim()
  else if (o.merchant !== undefined && o.merchant !== null) errors.push('merchant must be a string')
  if (merchant.length > 200) errors.push('merchant must be at most 200 characters')

  const occurred = parseOccurredAt(o.occurred_at)
  if (typeof occurred === 'string') errors.push(`occurred_at ${occurred}`)

  if (errors.length > 0) return { errors }
  return { value: { amount: amount as number, category: category!, merchant, occurred_at: occurred as Date }, errors }
}

/**
 * Validates one transaction from an HTTP body. Guarantees amount is a positive integer KRW
 * (numbers or digit strings, commas allowed), category is 1–50 characters, merchant at most 200
 * (missing means ''), occurred_at a real ISO 8601 instant. Otherwise throws AppError VALIDATION
 * naming every bad field.
 */
export function validateTransaction(input: unknown): Transaction {
  const { value, errors } = check(input)
  if (!value) throw new AppError('VALIDATION', errors.join('; '), { details: { errors } })
  return value
}

/**
 * Parses a transactions CSV with the header `amount,category,merchant,occurred_at` (any order,
 * extra columns ignored). Guarantees all rows are valid or none are returned: every bad row is
 * reported as "line N: …" in an AppError VALIDATION (the first few in the message, all in
 * details.errors).
 */
export function parseTransactionsCsv(text: string): Transaction[] {
  const [header, ...rows] = parseCsv(text)
  if (!header) throw new AppError('VALIDATION', 'transactions CSV is empty')
  const index = headerIndex(header, ['amount', 'category', 'merchant', 'occurred_at'])
  if (rows.length > MAX_CSV_ROWS) {
    throw new AppError('VALIDATION', `transactions CSV has more than ${MAX_CSV_ROWS.toLocaleString('en-US')} rows`)
  }
  const errors: string[] = []
  const result: Transaction[] = []
  for (const { line, fields } of rows) {
    const get = (c: string) => fields[index.get(c)!] ?? ''
    const { value, errors: rowErrors } = check({
      amount: get('amount'),
      category: get('category'),
      merchant: get('merchant'),
      occurred_at: get('occurred_at'),
    })
    if (value) result.push(value)
    else errors.push(`line ${line}: ${rowErrors.join('; ')}`)
  }
  if (errors.length > 0) {
    const more = errors.length > MAX_ERRORS_IN_MESSAGE ? ` (and ${errors.length - MAX_ERRORS_IN_MESSAGE} more)` : ''
    throw new AppError('VALIDATION', `invalid transactions CSV: ${errors.slice(0, MAX_ERRORS_IN_MESSAGE).join(' | ')}${more}`, {
      details: { errors },
    })
  }
  return result
}

/**
 * Monthly spending summary for the advisor's finance chat ("이번 달 얼마 썼어?"). Months are
 * calendar months in the user's time zone (Asia/Seoul by default), never UTC months: a card
 * payment at 2026-02-01 00:30 KST (2026-01-31T15:30Z) belongs to February.
 */
import { AppError } from '../../platform/errors'

/** The fields of a transaction the summary reads. */
export interface SpendingTransaction {
  amount: number
  category: string
  merchant: string
  occurred_at: Date
}

/** One category's spend in the month and its share (0..1, 4 decimals) of the month's total. */
export interface CategorySpend {
  category: string
  amount: number
  share: number
}

/** One merchant's spend in the month. */
export interface MerchantSpend {
  merchant: string
  amount: number
  count: number
}

/** A month's spending compared with the month before. */
export interface SpendingSummary {
  month: string
  timezone: string
  total: number
  by_category: CategorySpend[]
  previous_month: string
  previous_month_total: number
  change_amount: number
  change_percent: number | null
  top_merchants: MerchantSpend[]
  transaction_count: number
}

const TOP_MERCHANTS = 5
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' })
    } catch {
      throw new AppError('VALIDATION', `unknown time zone "${tz}"`)
    }
    formatters.set(tz, f)
  }
  return f
}

/** 'YYYY-MM' of an instant in a time zone. */
export function monthOf(date: Date, tz = 'Asia/Seoul'): string {
  // Intl's formatting was ~3 % of a streamed answer's CPU (every question asks for this month):
  // the month is kept per quarter hour, the grain of today's UTC offsets, when the quarter
  // hour's first and last millisecond agree (so an old offset in seconds is still exact).
  const slot = Math.floor(date.getTime() / QUARTER_HOUR_MS)
  if (Number.isNaN(slot)) return formatMonth(date, tz)
  const key = `${tz}|${slot}`
  let month = monthBySlot.get(key)
  if (month === undefined) {
    month = formatMonth(date, tz)
    const first = formatMonth(new Date(slot * QUARTER_HOUR_MS), tz)
    const last = formatMonth(new Date((slot + 1) * QUARTER_HOUR_MS - 1), tz)
    if (first !== month || last !== month) return month
    if (monthBySlot.size >= MONTH_CACHE_SIZE) monthBySlot.clear()
    monthBySlot.set(key, month)
  }
  return month
}

const QUARTER_HOUR_MS = 15 * 60 * 1000
const MONTH_CACHE_SIZE = 4096
const monthBySlot = new Map<string, string>()

function formatMonth(date: Date, tz: string): string {
  const parts = formatterFor(tz).formatToParts(date)
  const year = parts.find((p) => p.type === 'year')!.value
  const month = parts.find((p) => p.type === 'month')!.value
  return `${year}-${month}`
}

/** The 'YYYY-MM' before a 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

/**
 * Summarises the month that contains `now` (in `tz`) and compares it with the month before.
 * Guarantees: transactions outside those two months are ignored; by_category is sorted by
 * amount (then name) and its shares are of `total`; change_percent is null when the previous
 * month has no spend; top_merchants holds at most five named merchants by amount.
 * Throws AppError VALIDATION for an unknown time zone.
 */
export function summarizeSpending(
  transactions: readonly SpendingTransaction[],
  now: Date,
  tz = 'Asia/Seoul',
): SpendingSummary {
  const month = monthOf(now, tz)
  const previous = previousMonth(month)
  let total = 0
  let previousTotal = 0
  let count = 0
  const categories = new Map<string, number>()
  const merchants = new Map<string, MerchantSpend>()

  for (const t of transactions) {
    const m = monthOf(t.occurred_at, tz)
    if (m === previous) previousTotal += t.amount
    if (m !== month) continue
    total += t.amount
    count++
    categories.set(t.category, (categories.get(t.category) ?? 0) + t.amount)
    const name = t.merchant.trim()
    if (name === '') continue
    const entry = merchants.get(name) ?? { merchant: name, amount: 0, count: 0 }
    entry.amount += t.amount
    entry.count++
    merchants.set(name, entry)
  }

  const by_category = [...categories.entries()]
    .map(([category, amount]) => ({ category, amount, share: total > 0 ? Math.round((amount / total) * 10_000) / 10_000 : 0 }))
    .sort((a, b) => b.amount - a.amount || a.category.localeCompare(b.category))
  const top_merchants = [...merchants.values()]
    .sort((a, b) => b.amount - a.amount || b.count - a.count || a.merchant.localeCompare(b.merchant))
    .slice(0, TOP_MERCHANTS)
  const change = total - previousTotal

  return {
    month,
    timezone: tz,
    total,
    by_category,
    previous_month: previous,
    previous_month_total: previousTotal,
    change_amount: change,
    change_percent: previousTotal > 0 ? Math.round((change / previousTotal) * 1000) / 10 : null,
    top_merchants,
    transaction_count: count,
  }
}

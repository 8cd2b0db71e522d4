/**
 * Korean fact lines from a spending summary. The offline AI provider answers with these lines
 * and the real providers receive them as context, so every figure a user reads was computed
 * here rather than made up by a model.
 */
import type { SpendingSummary } from './summary'

const MAX_CATEGORIES_LISTED = 5

/** KRW as the seed shows it: 523000 → "523,000원" (negative amounts keep their sign). */
export const formatKrw = (amount: number): string => `${Math.round(amount).toLocaleString('en-US')}원`

const percent = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`
const monthLabel = (month: string) => {
  const [y, m] = month.split('-')
  return `${y}년 ${Number(m)}월`
}

/**
 * One sentence per fact: the month's total and count, the change from last month, the largest
 * category, the per-category breakdown (top five) and the top merchants. A month without
 * transactions yields its "no records" line and the comparison only.
 */
export function formatSpendingFacts(summary: SpendingSummary): string[] {
  const lines: string[] = []
  const current = monthLabel(summary.month)
  const previous = monthLabel(summary.previous_month)

  if (summary.transaction_count === 0) lines.push(`${current} 지출 기록이 없습니다.`)
  else lines.push(`${current} 총 지출은 ${formatKrw(summary.total)}입니다 (${summary.transaction_count}건).`)

  if (summary.previous_month_total === 0) {
    lines.push(`지난달(${previous}) 지출 기록은 없습니다.`)
  } else if (summary.change_amount === 0) {
    lines.push(`지난달(${previous}) 지출 ${formatKrw(summary.previous_month_total)}과 같습니다.`)
  } else {
    const direction = summary.change_amount > 0 ? '늘었습니다' : '줄었습니다'
    const pct = summary.change_percent === null ? '' : `(${Math.abs(summary.change_percent).toFixed(1)}%)`
    lines.push(
      `지난달(${previous}) ${formatKrw(summary.previous_month_total)}보다 ${formatKrw(Math.abs(summary.change_amount))}${pct} ${direction}.`,
    )
  }

  const [top] = summary.by_category
  if (top) {
    lines.push(`가장 많이 쓴 분야는 ${top.category}(${formatKrw(top.amount)}, ${percent(top.share)})입니다.`)
    const listed = summary.by_category.slice(0, MAX_CATEGORIES_LISTED)
    const rest = summary.by_category.length - listed.length
    lines.push(
      `분야별 지출: ${listed.map((c) => `${c.category} ${formatKrw(c.amount)}(${percent(c.share)})`).join(', ')}${rest > 0 ? ` 외 ${rest}개 분야` : ''}.`,
    )
  }
  if (summary.top_merchants.length > 0) {
    lines.push(
      `많이 쓴 곳: ${summary.top_merchants.map((m) => `${m.merchant} ${formatKrw(m.amount)}(${m.count}건)`).join(', ')}.`,
    )
  }
  return lines
}

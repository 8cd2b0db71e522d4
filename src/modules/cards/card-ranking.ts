/**
 * Ranks catalog cards for a free-text question ("교통비 할인되는 카드 추천해줘").
 *
 * Every score is an estimated monthly saving in KRW, so benefits and fees add up honestly:
 * - each category the question asks about adds the card's best benefit in that category:
 *   a percentage applies to an assumed monthly spend in that category (a fifth of the user's
 *   monthly spend when given, else 100,000원) and a flat "1,000원" applies ten times a month,
 *   both capped by `benefit_limit` (0 means no cap);
 * - the annual fee is subtracted as fee ÷ 12, using the overseas fee when 해외 or 여행/항공 is
 *   asked; it is waived when the user's monthly spend reaches the card's `min_monthly_spend`
 *   and the card has a fee-waiver rule;
 * - "연회비 없는/무료" adds a bonus to cards whose relevant fee is 0, "연회비 저렴한" triples
 *   the weight of the fee;
 * - with no category in the question, cards are ranked by breadth: distinct benefit categories
 *   first, then total estimated value, then fee.
 * Cards that match an asked category always come before cards that match none.
 */
import { AppError } from '../../platform/errors'
import type { Card, CardBenefit, CardCatalog } from './catalog'
import { detectCategories, type Category } from './categories'

const REFERENCE_CATEGORY_SPEND = 100_000
const CATEGORY_SHARE_OF_SPEND = 0.2
const USES_PER_MONTH = 10
const NO_FEE_BONUS = 50_000
const BREADTH_UNIT = 3_000
const LOW_FEE_WEIGHT = 3
const MAX_LIMIT = 20

const NO_FEE = /연회비\s*(?:가|는|이)?\s*(?:없|무료|공짜|0\s*원|면제|안\s*내|x\b)|무연회비|연회비\s*free|no\s+annual\s+fee|no[-\s]fee|fee[-\s]free|zero\s+(?:annual\s+)?fee/i
const LOW_FEE = /연회비\s*(?:가|는|이)?\s*(?:저렴|싼|싸|적|낮)|cheap|low\s+(?:annual\s+)?fee/i

/** Options for one ranking. */
export interface RankOptions {
  monthlySpend?: number
  limit?: number
}

/** A benefit that matched the question, with the monthly saving it was credited with. */
export interface MatchedBenefit extends CardBenefit {
  estimated_monthly_value: number
}

/** One ranked card, its matched benefits and how its score was made. */
export interface RankedCard {
  card: Card
  score: number
  matched_benefits: MatchedBenefit[]
  explanation: string
  breakdown: {
    benefit_value: number
    annual_fee_used: number
    fee_cost: number
    fee_waived: boolean
    no_fee_bonus: number
    breadth_categories: number
  }
}

/** A ranking and what was read from the question. */
export interface CardRanking {
  categories: Category[]
  wants_no_fee: boolean
  cards: RankedCard[]
}

const won = (n: number) => `${Math.round(n).toLocaleString('en-US')}원`

/** Estimated monthly KRW value of one benefit at a given monthly spend in its category. */
export function benefitValue(benefit: CardBenefit, categorySpend: number): number {
  const cap = benefit.benefit_limit > 0 ? benefit.benefit_limit : Number.POSITIVE_INFINITY
  const rate = benefit.benefit_rate.trim()
  if (rate.endsWith('%')) return Math.min((Number.parseFloat(rate) / 100) * categorySpend, cap)
  const flat = Number(rate.replace(/[,원\s]/g, ''))
  return Number.isFinite(flat) ? Math.min(flat * USES_PER_MONTH, cap) : 0
}

const describeBenefit = (b: MatchedBenefit) =>
  `${b.category_name} ${b.benefit_rate}${b.benefit_limit > 0 ? `(월 한도 ${won(b.benefit_limit)})` : ''} → 월 예상 ${won(b.estimated_monthly_value)}`

/**
 * Ranks `catalog` for `question`. Guarantees at most `limit` (default 3, max 20) cards, best
 * first, ties broken by lower relevant fee and then card_id, and a Korean explanation per card.
 * Throws AppError VALIDATION for a negative monthlySpend or a limit outside 1..20.
 */
export function rankCards(question: string, catalog: CardCatalog, options: RankOptions = {}): CardRanking {
  const limit = options.limit ?? 3
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError('VALIDATION', `limit must be an integer from 1 to ${MAX_LIMIT}`)
  }
  const spend = options.monthlySpend
  if (spend !== undefined && (!Number.isFinite(spend) || spend < 0)) {
    throw new AppError('VALIDATION', 'monthlySpend must be a non-negative number of KRW')
  }
  const categories = detectCategories(question).map((m) => m.category)
  const wantsNoFee = NO_FEE.test(question)
  const feeWeight = LOW_FEE.test(question) ? LOW_FEE_WEIGHT : 1
  const overseas = categories.includes('해외') || categories.includes('여행/항공')
  const categorySpend = spend !== undefined ? spend * CATEGORY_SHARE_OF_SPEND : REFERENCE_CATEGORY_SPEND

  const ranked = catalog.cards.map((card): RankedCard & { matched: boolean } => {
    const best = new Map<Category, MatchedBenefit>()
    for (const b of card.benefits) {
      const value = benefitValue(b, categorySpend)
      const current = best.get(b.category_name)
      if (!current || value > current.estimated_monthly_value) best.set(b.category_name, { ...b, estimated_monthly_value: Math.round(value) })
    }
    const matched = categories.flatMap((c) => (best.has(c) ? [best.get(c)!] : []))
    const fee = overseas ? card.annual_fee_overseas : card.annual_fee_domestic
    const feeWaived = fee > 0 && card.fee_waiver_rule !== '' && spend !== undefined && spend >= card.min_monthly_spend
    const feeCost = feeWaived ? 0 : (fee / 12) * feeWeight
    const bonus = wantsNoFee && fee === 0 ? NO_FEE_BONUS : 0
    const allValue = [...best.values()].reduce((s, b) => s + b.estimated_monthly_value, 0)
    const benefitTotal = categories.length > 0 ? matched.reduce((s, b) => s + b.estimated_monthly_value, 0) : allValue
    const breadth = categories.length > 0 ? 0 : best.size
    const score = categories.length > 0
      ? benefitTotal - feeCost + bonus
      : breadth * BREADTH_UNIT + benefitTotal * 0.2 - feeCost + bonus

    const parts: string[] = []
    if (categories.length > 0) {
      parts.push(matched.length > 0 ? matched.map(describeBenefit).join(', ') : `${categories.join('·')} 혜택 없음`)
    } else {
      parts.push(`혜택 분야 ${breadth}개(${[...best.keys()].join(', ') || '없음'}), 월 예상 혜택 합계 ${won(allValue)}`)
    }
    const feeLabel = overseas ? '해외겸용 연회비' : '연회비'
    if (fee === 0) parts.push(`${feeLabel} 없음`)
    else if (feeWaived) parts.push(`${feeLabel} ${won(fee)}은 월 사용액이 ${won(card.min_monthly_spend)} 이상이라 면제 조건(${card.fee_waiver_rule}) 충족`)
    else parts.push(`${feeLabel} ${won(fee)}(월 ${won(fee / 12)}) 차감${feeWeight > 1 ? ' — 연회비를 중요하게 반영' : ''}`)
    if (bonus > 0) parts.push('연회비 없는 카드 요청 반영')

    return {
      card,
      score: Math.round(score),
      matched_benefits: categories.length > 0 ? matched : [...best.values()],
      explanation: `${parts.join('; ')} → 점수 ${Math.round(score).toLocaleString('en-US')}`,
      breakdown: {
        benefit_value: Math.round(benefitTotal),
        annual_fee_used: fee,
        fee_cost: Math.round(feeCost),
        fee_waived: feeWaived,
        no_fee_bonus: bonus,
        breadth_categories: breadth,
      },
      matched: matched.length > 0,
    }
  })

  ranked.sort(
    (a, b) =>
      Number(b.matched) - Number(a.matched) ||
      b.score - a.score ||
      a.breakdown.annual_fee_used - b.breakdown.annual_fee_used ||
      a.card.card_id - b.card.card_id,
  )
  return {
    categories,
    wants_no_fee: wantsNoFee,
    cards: ranked.slice(0, limit).map(({ matched: _matched, ...rest }) => rest),
  }
}

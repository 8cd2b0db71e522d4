import { describe, expect, test } from 'bun:test'
import { AppError } from '../../platform/errors'
import { benefitValue, rankCards } from './card-ranking'
import type { Card, CardCatalog } from './catalog'
import { loadSampleCatalog } from './sample-catalog'

const catalog = loadSampleCatalog()
const top = (q: string, opts = {}) => rankCards(q, catalog, opts).cards.map((c) => c.card.card_name)

const card = (id: number, over: Partial<Card>): Card => ({
  card_id: id,
  card_name: `테스트 ${id}`,
  company: '테스트카드',
  card_image_url: '',
  annual_fee_domestic: 0,
  annual_fee_overseas: 0,
  fee_waiver_rule: '',
  min_monthly_spend: 0,
  benefits: [],
  ...over,
})

describe('rankCards on the sample catalog', () => {
  test('교통비 할인되는 카드 추천해줘 → the transit card first, with its transit benefit matched', () => {
    const r = rankCards('교통비 할인되는 카드 추천해줘', catalog)
    expect(r.categories).toEqual(['교통'])
    expect(r.cards).toHaveLength(3)
    expect(r.cards[0]!.card.card_name).toBe('샘플 트랜짓 카드')
    expect(r.cards[0]!.matched_benefits.map((b) => b.category_name)).toEqual(['교통'])
    expect(r.cards.every((c) => c.matched_benefits.some((b) => b.category_name === '교통'))).toBe(true)
    expect(r.cards[0]!.explanation).toContain('교통 15%')
  })

  test('해외여행 많이 가요 → the overseas travel card first, judged on its overseas fee', () => {
    const r = rankCards('해외여행 많이 가요', catalog)
    expect(r.cards[0]!.card.card_name).toBe('샘플 트래블 카드')
    expect(r.cards[0]!.breakdown.annual_fee_used).toBe(r.cards[0]!.card.annual_fee_overseas)
    expect(r.cards[0]!.explanation).toContain('해외겸용 연회비')
  })

  test('연회비 없는 카드 → fee-0 cards first', () => {
    const r = rankCards('연회비 없는 카드', catalog)
    expect(r.wants_no_fee).toBe(true)
    expect(r.cards.map((c) => c.card.annual_fee_domestic)).toEqual([0, 0, 0])
    expect(r.cards[0]!.breakdown.no_fee_bonus).toBeGreaterThan(0)
  })

  test('스타벅스 자주 가 → the cafe card first', () => {
    expect(top('스타벅스 자주 가')[0]).toBe('샘플 카페 카드')
  })

  test('a high monthly spend waives fees and can change the order', () => {
    const r = rankCards('해외여행 많이 가요', catalog, { monthlySpend: 1_000_000 })
    expect(r.cards[0]!.card.card_name).toBe('샘플 프리미엄 카드')
    expect(r.cards[0]!.breakdown.fee_waived).toBe(true)
    expect(r.cards[0]!.breakdown.fee_cost).toBe(0)
    expect(r.cards[0]!.explanation).toContain('면제 조건')
  })

  test('no category → ranked by breadth of benefits', () => {
    const r = rankCards('카드 하나 추천해줘', catalog, { limit: 5 })
    expect(r.categories).toEqual([])
    expect(r.cards[0]!.card.card_name).toBe('샘플 올인원 카드')
    const breadths = r.cards.map((c) => c.breakdown.breadth_categories)
    expect(breadths[0]).toBe(Math.max(...catalog.cards.map((c) => new Set(c.benefits.map((b) => b.category_name)).size)))
  })

  test('limit and monthlySpend are validated', () => {
    expect(rankCards('교통', catalog, { limit: 1 }).cards).toHaveLength(1)
    expect(() => rankCards('교통', catalog, { limit: 0 })).toThrow(AppError)
    expect(() => rankCards('교통', catalog, { limit: 21 })).toThrow(AppError)
    expect(() => rankCards('교통', catalog, { monthlySpend: -1 })).toThrow(AppError)
  })
})

describe('scoring rules on a hand-made catalog', () => {
  const mini: CardCatalog = {
    sample: true,
    cards: [
      card(1, { annual_fee_domestic: 120_000, benefits: [{ benefit_id: 1, category_name: '교통', benefit_rate: '10%', benefit_limit: 0 }] }),
      card(2, { benefits: [{ benefit_id: 2, category_name: '교통', benefit_rate: '5%', benefit_limit: 3_000 }] }),
      card(3, { benefits: [{ benefit_id: 3, category_name: '카페', benefit_rate: '50%', benefit_limit: 0 }] }),
    ],
  }

  test('score = benefit value − fee ÷ 12: 10% of 100,000원 − 10,000원 = 0 loses to 3,000원 free', () => {
    const r = rankCards('버스', mini)
    expect(r.cards.map((c) => c.card.card_id)).toEqual([2, 1, 3])
    expect(r.cards[0]!.score).toBe(3_000)
    expect(r.cards[1]!.score).toBe(0)
  })

  test('a card without the asked category ranks after every card with it, whatever its value', () => {
    expect(rankCards('버스', mini).cards[2]!.matched_benefits).toEqual([])
  })

  test('the category spend follows monthlySpend (a fifth of it)', () => {
    const r = rankCards('버스', mini, { monthlySpend: 1_000_000 })
    expect(r.cards[0]!.card.card_id).toBe(1)
    expect(r.cards[0]!.score).toBe(20_000 - 10_000)
  })

  test('"연회비 저렴한" weighs the fee three times', () => {
    const r = rankCards('연회비 저렴한 교통카드', mini)
    expect(r.cards.find((c) => c.card.card_id === 1)!.breakdown.fee_cost).toBe(30_000)
  })
})

describe('benefitValue', () => {
  test('percent rates apply to the category spend up to the limit; flat amounts count ten uses', () => {
    expect(benefitValue({ benefit_id: 1, category_name: '교통', benefit_rate: '10%', benefit_limit: 5_000 }, 100_000)).toBe(5_000)
    expect(benefitValue({ benefit_id: 1, category_name: '교통', benefit_rate: '1.5%', benefit_limit: 0 }, 100_000)).toBe(1_500)
    expect(benefitValue({ benefit_id: 1, category_name: '영화', benefit_rate: '5,000원', benefit_limit: 10_000 }, 100_000)).toBe(10_000)
    expect(benefitValue({ benefit_id: 1, category_name: '영화', benefit_rate: '500원', benefit_limit: 0 }, 100_000)).toBe(5_000)
  })
})

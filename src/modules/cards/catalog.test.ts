import { describe, expect, test } from 'bun:test'
import { thrownAppError } from '../../../test/support/app-error'
import { parseCatalogCsv, validateCatalog } from './catalog'
import { CATEGORIES } from './categories'
import sample from './catalog.sample.json'
import { loadSampleCatalog } from './sample-catalog'

const validationError = (fn: () => unknown) => thrownAppError(fn)

describe('sample catalog', () => {
  test('is clearly labelled sample data with fictional names', () => {
    expect(sample.sample).toBe(true)
    expect(sample.note).toContain('SAMPLE')
    const c = loadSampleCatalog()
    expect(c.sample).toBe(true)
    expect(c.cards.length).toBeGreaterThanOrEqual(25)
    expect(c.cards.every((card) => card.card_name.startsWith('샘플'))).toBe(true)
  })

  test('validates, and uses every category at least once', () => {
    const used = new Set(loadSampleCatalog().cards.flatMap((c) => c.benefits.map((b) => b.category_name)))
    expect([...CATEGORIES].filter((c) => !used.has(c))).toEqual([])
  })
})

describe('validateCatalog', () => {
  const good = {
    card_id: 1, card_name: 'A', company: 'B', card_image_url: 'https://example.com/a.png',
    annual_fee_domestic: 0, annual_fee_overseas: 0, fee_waiver_rule: '', min_monthly_spend: 0,
    benefits: [{ benefit_id: 1, category_name: '교통', benefit_rate: '10%', benefit_limit: 1000 }],
  }

  test('accepts a bare array and marks it non-sample', () => {
    const c = validateCatalog([good])
    expect(c.sample).toBe(false)
    expect(c.cards[0]!.benefits[0]!.category_name).toBe('교통')
  })

  test('lists every problem with its path', () => {
    const e = validationError(() =>
      validateCatalog({
        cards: [
          good,
          { ...good, card_id: 1, annual_fee_domestic: -5, card_image_url: 'javascript:x',
            benefits: [{ benefit_id: 1, category_name: '우주여행', benefit_rate: 'ten', benefit_limit: 1.5 }] },
        ],
      }),
    )
    const errors = e.details!.errors as string[]
    expect(errors).toContain('cards[1].card_id: duplicates card_id 1')
    expect(errors.some((m) => m.startsWith('cards[1].annual_fee_domestic'))).toBe(true)
    expect(errors.some((m) => m.startsWith('cards[1].card_image_url'))).toBe(true)
    expect(errors.some((m) => m.startsWith('cards[1].benefits[0].benefit_id'))).toBe(true)
    expect(errors.some((m) => m.includes('unknown category "우주여행"'))).toBe(true)
    expect(errors.some((m) => m.startsWith('cards[1].benefits[0].benefit_rate'))).toBe(true)
    expect(errors.some((m) => m.startsWith('cards[1].benefits[0].benefit_limit'))).toBe(true)
  })

  test('refuses documents without a card list', () => {
    validationError(() => validateCatalog({}))
    validationError(() => validateCatalog('cards'))
  })
})

const HEADER = 'card_id,card_name,company,card_image_url,annual_fee_domestic,annual_fee_overseas,fee_waiver_rule,min_monthly_spend,benefit_id,category_name,benefit_rate,benefit_limit'

describe('parseCatalogCsv', () => {
  test('groups benefit rows by card_id and reads quoted amounts with commas', () => {
    const csv = [
      HEADER,
      '1,교통 카드,가상카드,,"15,000","15,000",전월실적 30만원 이상,300000,1,교통,10%,"10,000"',
      '2,무료 카드,가상카드,,0,0,,0,,,,',
      '1,교통 카드,가상카드,,"15,000","15,000",전월실적 30만원 이상,300000,2,카페,"1,000원",5000',
    ].join('\r\n')
    const c = parseCatalogCsv(csv)
    expect(c.sample).toBe(false)
    expect(c.cards.map((x) => x.card_id)).toEqual([1, 2])
    expect(c.cards[0]!.annual_fee_domestic).toBe(15_000)
    expect(c.cards[0]!.benefits.map((b) => [b.category_name, b.benefit_rate, b.benefit_limit])).toEqual([
      ['교통', '10%', 10_000],
      ['카페', '1,000원', 5_000],
    ])
    expect(c.cards[1]!.benefits).toEqual([])
  })

  test('reports rows whose card columns disagree, by line', () => {
    const csv = [HEADER, '1,A,B,,0,0,,0,1,교통,10%,0', '1,A,B,,5000,0,,0,2,카페,10%,0'].join('\n')
    expect(validationError(() => parseCatalogCsv(csv)).message).toContain('line 3')
  })

  test('reports bad values with the CSV line they came from', () => {
    const csv = [HEADER, '1,A,B,,0,0,,0,1,교통,10%,0', '2,C,D,,0,0,,0,2,없는분야,10%,0'].join('\n')
    const e = validationError(() => parseCatalogCsv(csv))
    expect(e.message).toContain('line 3')
    expect(e.message).toContain('없는분야')
  })

  test('requires the documented header', () => {
    expect(validationError(() => parseCatalogCsv('card_id,card_name\n1,A')).message).toContain('benefit_rate')
    validationError(() => parseCatalogCsv(''))
  })
})

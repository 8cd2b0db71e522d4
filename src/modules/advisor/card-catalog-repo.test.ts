import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { createTestDatabase } from '../../../test/support/db'
import type { Database } from '../../platform/db/client'
import { loadSampleCatalog } from '../cards/sample-catalog'
import type { CardCatalog } from '../cards/catalog'
import { createCardCatalogRepo } from './card-catalog-repo'
import { ensureCardCatalog } from './card-catalog-seed'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
  // Test databases hold what an app stores at its first start, the sample catalog among it:
  // these tests start from a database that has never seen a catalog.
  await database.db.execute(sql`truncate card_benefits, cards cascade`)
})
afterAll(() => database.close())

const real: CardCatalog = {
  sample: false,
  cards: [
    {
      card_id: 1,
      card_name: '리얼 교통카드',
      company: '리얼카드',
      card_image_url: '',
      annual_fee_domestic: 15000,
      annual_fee_overseas: 15000,
      fee_waiver_rule: '',
      min_monthly_spend: 0,
      benefits: [
        { benefit_id: 1, category_name: '교통', benefit_rate: '10%', benefit_limit: 10000 },
        { benefit_id: 500, category_name: '카페', benefit_rate: '1,000원', benefit_limit: 0 },
      ],
    },
  ],
}

describe('card catalog', () => {
  test('seeding is idempotent and safe when two starts race', async () => {
    const results = await Promise.all([ensureCardCatalog(database.db), ensureCardCatalog(database.db)])
    expect(results.some((r) => r.seeded)).toBe(true)
    const catalog = await createCardCatalogRepo({ db: database.db }).load()
    expect(catalog.sample).toBe(true)
    expect(catalog.cards).toEqual(loadSampleCatalog().cards)
    expect((await ensureCardCatalog(database.db)).seeded).toBe(false)
  })

  test('a real catalog replaces the sample cards and a card keeps exactly its listed benefits', async () => {
    const repo = createCardCatalogRepo({ db: database.db })
    const result = await repo.upsert(real)
    expect(result).toEqual({ cards: 1, benefits: 2, removedSampleCards: loadSampleCatalog().cards.length - 1 })
    const catalog = await repo.load()
    expect(catalog.sample).toBe(false)
    expect(catalog.cards).toEqual(real.cards)

    const trimmed = { ...real, cards: [{ ...real.cards[0]!, annual_fee_domestic: 0, benefits: [real.cards[0]!.benefits[1]!] }] }
    await repo.upsert(trimmed)
    expect((await repo.load()).cards).toEqual(trimmed.cards)
    // Seeding never touches a catalog that exists.
    expect((await ensureCardCatalog(database.db)).seeded).toBe(false)
  })
})

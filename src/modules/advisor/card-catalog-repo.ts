import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { cardBenefits, cards } from '../../platform/db/schema'
import type { Card, CardBenefit, CardCatalog } from '../cards/catalog'
import type { Category } from '../cards/categories'

/** What one catalog write changed. */
export interface CatalogWriteResult {
  cards: number
  benefits: number
  /** Sample cards deleted because a real catalog replaced them. */
  removedSampleCards: number
}

/** Rows per INSERT, well under the 65,535 bind parameters a statement may carry. */
const ROWS_PER_STATEMENT = 500

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

/**
 * The card catalog in the database (`cards`, `card_benefits`). Ids are the catalog file's
 * own, so writing a catalog again is an upsert, never a duplicate.
 */
export function createCardCatalogRepo({ db }: { db: Db }) {
  return {
    /** The whole catalog, cards by id with their benefits by id; `sample` when any card is sample data. */
    async load(): Promise<CardCatalog> {
      const [cardRows, benefitRows] = await Promise.all([
        db.select().from(cards).orderBy(asc(cards.id)),
        db.select().from(cardBenefits).orderBy(asc(cardBenefits.id)),
      ])
      const byCard = new Map<number, CardBenefit[]>()
      for (const b of benefitRows) {
        const list = byCard.get(b.cardId) ?? []
        list.push({ benefit_id: b.id, category_name: b.categoryName as Category, benefit_rate: b.benefitRate, benefit_limit: b.benefitLimit ?? 0 })
        byCard.set(b.cardId, list)
      }
      const list: Card[] = cardRows.map((c) => ({
        card_id: c.id,
        card_name: c.name,
        company: c.company,
        card_image_url: c.imageUrl ?? '',
        annual_fee_domestic: c.annualFeeDomestic,
        annual_fee_overseas: c.annualFeeOverseas,
        fee_waiver_rule: c.feeWaiverRule ?? '',
        min_monthly_spend: c.minMonthlySpend,
        benefits: byCard.get(c.id) ?? [],
      }))
      return { sample: cardRows.some((c) => c.sample), cards: list }
    },

    async count(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(cards)
      return Number(row?.n ?? 0)
    },

    /**
     * Inserts the catalog's cards and benefits that are not there yet and changes nothing
     * else, so two processes seeding the same catalog at the same start both succeed.
     */
    async insertMissing(catalog: CardCatalog): Promise<void> {
      await db.transaction(async (tx) => {
        for (const part of chunks(catalog.cards.map((c) => cardRow(c, catalog.sample)), ROWS_PER_STATEMENT)) {
          await tx.insert(cards).values(part).onConflictDoNothing({ target: cards.id })
        }
        for (const part of chunks(benefitRows(catalog), ROWS_PER_STATEMENT)) {
          await tx.insert(cardBenefits).values(part).onConflictDoNothing({ target: cardBenefits.id })
        }
      })
    },

    /**
     * Writes a catalog in one transaction: every card and benefit in it is inserted or
     * updated, a written card keeps exactly the benefits the catalog gives it, and when the
     * catalog is real (not sample) the sample cards it does not name are deleted, so real
     * and illustrative cards are never ranked together. Cards of an earlier real import
     * that this one does not name stay.
     */
    async upsert(catalog: CardCatalog): Promise<CatalogWriteResult> {
      const ids = catalog.cards.map((c) => c.card_id)
      const benefits = benefitRows(catalog)
      return db.transaction(async (tx) => {
        for (const part of chunks(catalog.cards.map((c) => cardRow(c, catalog.sample)), ROWS_PER_STATEMENT)) {
          await tx
            .insert(cards)
            .values(part)
            .onConflictDoUpdate({
              target: cards.id,
              set: {
                name: sql`excluded.name`,
                company: sql`excluded.company`,
                imageUrl: sql`excluded.image_url`,
                annualFeeDomestic: sql`excluded.annual_fee_domestic`,
                annualFeeOverseas: sql`excluded.annual_fee_overseas`,
                feeWaiverRule: sql`excluded.fee_waiver_rule`,
                minMonthlySpend: sql`excluded.min_monthly_spend`,
                sample: sql`excluded.sample`,
                updatedAt: sql`now()`,
              },
            })
        }
        if (ids.length > 0) {
          const keep = benefits.map((b) => b.id)
          await tx
            .delete(cardBenefits)
            .where(keep.length > 0 ? and(inArray(cardBenefits.cardId, ids), notInArray(cardBenefits.id, keep)) : inArray(cardBenefits.cardId, ids))
        }
        for (const part of chunks(benefits, ROWS_PER_STATEMENT)) {
          await tx
            .insert(cardBenefits)
            .values(part)
            .onConflictDoUpdate({
              target: cardBenefits.id,
              set: {
                cardId: sql`excluded.card_id`,
                categoryName: sql`excluded.category_name`,
                benefitRate: sql`excluded.benefit_rate`,
                benefitLimit: sql`excluded.benefit_limit`,
              },
            })
        }
        let removed = 0
        if (!catalog.sample) {
          const gone = await tx
            .delete(cards)
            .where(ids.length > 0 ? and(eq(cards.sample, true), notInArray(cards.id, ids)) : eq(cards.sample, true))
            .returning({ id: cards.id })
          removed = gone.length
        }
        return { cards: ids.length, benefits: benefits.length, removedSampleCards: removed }
      })
    },
  }
}

/** The card catalog repository. */
export type CardCatalogRepo = ReturnType<typeof createCardCatalogRepo>

function cardRow(c: Card, sample: boolean): typeof cards.$inferInsert {
  return {
    id: c.card_id,
    name: c.card_name,
    company: c.company,
    imageUrl: c.card_image_url === '' ? null : c.card_image_url,
    annualFeeDomestic: c.annual_fee_domestic,
    annualFeeOverseas: c.annual_fee_overseas,
    feeWaiverRule: c.fee_waiver_rule === '' ? null : c.fee_waiver_rule,
    minMonthlySpend: c.min_monthly_spend,
    sample,
  }
}

function benefitRows(catalog: CardCatalog): (typeof cardBenefits.$inferInsert)[] {
  return catalog.cards.flatMap((c) =>
    c.benefits.map((b) => ({ id: b.benefit_id, cardId: c.card_id, categoryName: b.category_name, benefitRate: b.benefit_rate, benefitLimit: b.benefit_limit })),
  )
}

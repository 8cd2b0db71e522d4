import { bigint, bigserial, boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core'
import { ts } from './columns'
import { users } from './users'

/** The card catalog (ids as the catalog file gives them, so re-imports are upserts). */
export const cards = pgTable('cards', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  company: text('company').notNull(),
  imageUrl: text('image_url'),
  annualFeeDomestic: integer('annual_fee_domestic').notNull().default(0),
  annualFeeOverseas: integer('annual_fee_overseas').notNull().default(0),
  feeWaiverRule: text('fee_waiver_rule'),
  minMonthlySpend: integer('min_monthly_spend').notNull().default(0),
  sample: boolean('sample').notNull().default(false),
  updatedAt: ts('updated_at').notNull().defaultNow(),
})

/** One benefit of one card in one category. */
export const cardBenefits = pgTable(
  'card_benefits',
  {
    id: integer('id').primaryKey(),
    cardId: integer('card_id')
      .notNull()
      .references(() => cards.id, { onDelete: 'cascade' }),
    categoryName: text('category_name').notNull(),
    benefitRate: text('benefit_rate').notNull(),
    benefitLimit: integer('benefit_limit'),
  },
  (t) => [index('card_benefits_card_idx').on(t.cardId)],
)

/** The user's own spending, in KRW, that the finance advice reads. */
export const spendingTransactions = pgTable(
  'spending_transactions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    category: text('category').notNull(),
    merchant: text('merchant').notNull().default(''),
    occurredAt: ts('occurred_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('spending_user_time_idx').on(t.userId, t.occurredAt)],
)

import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { spendingTransactions } from '../../platform/db/schema'
import type { Transaction } from '../spending/transaction'

/** A stored transaction. */
export type StoredTransaction = typeof spendingTransactions.$inferSelect

/** Rows per INSERT: four values a row keeps a statement far below the bind-parameter limit. */
const ROWS_PER_STATEMENT = 1000

/** A user's spending transactions. */
export function createSpendingRepo({ db }: { db: Db }) {
  return {
    /** Stores all of `list` for the user in one transaction (all or nothing), returned in input order. */
    async insertMany(userId: number, list: Transaction[]): Promise<StoredTransaction[]> {
      if (list.length === 0) return []
      return db.transaction(async (tx) => {
        const stored: StoredTransaction[] = []
        for (let i = 0; i < list.length; i += ROWS_PER_STATEMENT) {
          const rows = list.slice(i, i + ROWS_PER_STATEMENT).map((t) => ({
            userId,
            amount: t.amount,
            category: t.category,
            merchant: t.merchant,
            occurredAt: t.occurred_at,
          }))
          stored.push(...(await tx.insert(spendingTransactions).values(rows).returning()))
        }
        return stored.sort((a, b) => a.id - b.id)
      })
    },

    /** The user's transactions with `from <= occurred_at < to`, oldest first. */
    async between(userId: number, from: Date, to: Date): Promise<StoredTransaction[]> {
      return db
        .select()
        .from(spendingTransactions)
        .where(and(eq(spendingTransactions.userId, userId), gte(spendingTransactions.occurredAt, from), lt(spendingTransactions.occurredAt, to)))
        .orderBy(asc(spendingTransactions.occurredAt), asc(spendingTransactions.id))
    },

    /** The same for several users in one query (a batch of finance questions). */
    async betweenForUsers(userIds: number[], from: Date, to: Date): Promise<StoredTransaction[]> {
      if (userIds.length === 0) return []
      return db
        .select()
        .from(spendingTransactions)
        .where(and(inArray(spendingTransactions.userId, userIds), gte(spendingTransactions.occurredAt, from), lt(spendingTransactions.occurredAt, to)))
        .orderBy(asc(spendingTransactions.occurredAt), asc(spendingTransactions.id))
    },
  }
}

/** The spending transactions repository. */
export type SpendingRepo = ReturnType<typeof createSpendingRepo>

import { AppError, isAppError } from '../../platform/errors'
import type { User } from '../auth/user-repo'
import { formatSpendingFacts } from '../spending/facts'
import { monthOf, previousMonth, summarizeSpending, type SpendingSummary, type SpendingTransaction } from '../spending/summary'
import { validateTransaction, type Transaction } from '../spending/transaction'
import type { SpendingRepo, StoredTransaction } from './spending-repo'

/** Most transactions one request may add. */
export const MAX_TRANSACTIONS_PER_REQUEST = 1000

/** Months are Korean calendar months: the amounts are KRW and the users are in Korea. */
const TIME_ZONE = 'Asia/Seoul'
/** Korea keeps +09:00 all year (no daylight saving), so a month starts at a fixed offset. */
const KST_OFFSET = '+09:00'

/** This month's spending compared with last month's, and the same as sentences for a model. */
export interface SpendingContext {
  summary: SpendingSummary
  facts: string[]
}

const monthStart = (month: string) => new Date(`${month}-01T00:00:00${KST_OFFSET}`)
const monthAfter = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
}

/** The instants a spending context reads: from the start of last month to the end of this one, Korean time. */
export function spendingWindow(at: Date): { from: Date; to: Date } {
  const month = monthOf(at, TIME_ZONE)
  return { from: monthStart(previousMonth(month)), to: monthStart(monthAfter(month)) }
}

/** The context of `rows` (any superset of the window is fine: other months are ignored) as of `at`. */
export function spendingContextOf(rows: readonly SpendingTransaction[], at: Date): SpendingContext {
  const summary = summarizeSpending(rows, at, TIME_ZONE)
  return { summary, facts: formatSpendingFacts(summary) }
}

/** A stored row as the summary reads it. */
export const asSpending = (r: StoredTransaction): SpendingTransaction => ({
  amount: r.amount,
  category: r.category,
  merchant: r.merchant,
  occurred_at: r.occurredAt,
})

/** Adds a user's transactions and summarises their spending. */
export function createSpendingService(deps: { spending: SpendingRepo; now?: () => Date }) {
  const now = deps.now ?? (() => new Date())
  return {
    /**
     * Validates and stores transactions for the caller. Guarantees all or nothing: one bad
     * row (named by its index, `transactions[3]: amount …`) stores none and answers 400
     * INVALID_TRANSACTION; more than MAX_TRANSACTIONS_PER_REQUEST, or none, is refused too.
     */
    async add(caller: User, inputs: unknown[], batch: boolean): Promise<StoredTransaction[]> {
      if (inputs.length === 0) throw invalid('transactions must hold at least one transaction')
      if (inputs.length > MAX_TRANSACTIONS_PER_REQUEST) {
        throw invalid(`at most ${MAX_TRANSACTIONS_PER_REQUEST} transactions per request (got ${inputs.length})`)
      }
      const errors: string[] = []
      const valid: Transaction[] = []
      inputs.forEach((input, i) => {
        try {
          valid.push(validateTransaction(input))
        } catch (e) {
          if (!isAppError(e)) throw e
          errors.push(batch ? `transactions[${i}]: ${e.message}` : e.message)
        }
      })
      if (errors.length > 0) {
        const shown = errors.slice(0, 5).join(' | ')
        throw invalid(errors.length > 5 ? `${shown} (and ${errors.length - 5} more)` : shown, errors)
      }
      return deps.spending.insertMany(caller.id, valid)
    },

    /**
     * The caller's spending this month (Korean time) against last month, as a summary and as
     * the fact sentences the finance chat grounds its answer on. Reads only those two months.
     */
    async context(caller: User): Promise<SpendingContext> {
      const at = now()
      const { from, to } = spendingWindow(at)
      return spendingContextOf((await deps.spending.between(caller.id, from, to)).map(asSpending), at)
    },
  }
}

/** The spending service. */
export type SpendingService = ReturnType<typeof createSpendingService>

const invalid = (message: string, errors?: string[]) =>
  new AppError('VALIDATION', message, { publicCode: 'INVALID_TRANSACTION', details: errors ? { errors } : undefined })

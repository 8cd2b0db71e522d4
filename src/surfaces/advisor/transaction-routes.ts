import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import { MAX_TRANSACTIONS_PER_REQUEST, type SpendingService } from '../../modules/advisor/spending-service'
import { authPlugin } from '../../platform/http/auth-plugin'
import { TransactionSchema, transactionView } from './advisor-views'

const ErrorBody = t.Object({ error_code: t.String(), message: t.String() })

/**
 * One transaction, or `{transactions: […]}`, as one object schema: a union would make every
 * mistake read "Value should be one of 'object', 'object'". Fields are typed loosely here and
 * checked precisely by the spending service, whose messages name the field and the row
 * (`transactions[3]: amount must be …`).
 */
const TransactionsBody = t.Object({
  amount: t.Optional(t.Union([t.Number(), t.String()], { description: 'KRW, a positive whole number ("15,000" is accepted)' })),
  category: t.Optional(t.String({ description: 'e.g. 식비, 교통, 카페' })),
  merchant: t.Optional(t.Nullable(t.String())),
  occurred_at: t.Optional(t.String({ description: 'ISO 8601; a time without an offset, or a bare date, is Korean time' })),
  transactions: t.Optional(
    t.Array(t.Record(t.String(), t.Unknown()), {
      description: `Instead of the fields above: 1–${MAX_TRANSACTIONS_PER_REQUEST} transactions {amount, category, merchant, occurred_at}, stored all or none`,
    }),
  ),
})

/** `POST /api/v1/transactions/`: the caller's spending, which the finance chat reads. */
export function transactionRoutes(deps: { auth: AuthService; cookieName: string; spending: SpendingService }) {
  return new Elysia({ name: 'advisor-transaction-routes', detail: { tags: ['advisor'] } })
    .use(authPlugin(deps.auth, deps.cookieName))
    .post(
      '/api/v1/transactions',
      async ({ principal, body, set }) => {
        const { transactions, ...single } = body
        const batch = transactions !== undefined
        const stored = await deps.spending.add(principal.user, batch ? transactions : [single], batch)
        set.status = 201
        return batch ? { count: stored.length, transactions: stored.map(transactionView) } : transactionView(stored[0]!)
      },
      {
        auth: true,
        body: TransactionsBody,
        response: {
          201: t.Union([TransactionSchema, t.Object({ count: t.Number(), transactions: t.Array(TransactionSchema) })]),
          400: ErrorBody,
        },
        detail: { summary: 'Add spending: one transaction, or {transactions: […]} (all or nothing)' },
      },
    )
}

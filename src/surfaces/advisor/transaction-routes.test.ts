import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { createTestApp, type TestApp } from '../../../test/support/app'
import { spendingTransactions } from '../../platform/db/schema'

let t: TestApp
let kim: Awaited<ReturnType<TestApp['user']>>

beforeAll(async () => {
  t = await createTestApp()
  kim = await t.user('tx-kim', '김거래')
})
afterAll(() => t.close())

const post = (json: unknown, token = kim.token) => t.request('POST', '/api/v1/transactions/', { token, json })
const countFor = async (userId: number) => {
  const [row] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(spendingTransactions)
    .where(eq(spendingTransactions.userId, userId))
  return Number(row!.n)
}

describe('POST /api/v1/transactions/', () => {
  test('stores one transaction and answers 201 with it; a time without an offset is Korean time', async () => {
    const res = await post({ amount: '15,000', category: '식비', merchant: '김밥천국', occurred_at: '2026-02-01T00:30:00' })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({
      id: expect.any(Number),
      amount: 15000,
      category: '식비',
      merchant: '김밥천국',
      occurred_at: '2026-01-31T15:30:00Z',
    })
  })

  test('stores a batch in order and answers with every stored row', async () => {
    const owner = await t.user('tx-batch', '배치')
    const res = await post(
      {
        transactions: [
          { amount: 4500, category: '카페', merchant: '스타벅스', occurred_at: '2026-01-05T09:00:00+09:00' },
          { amount: 1250, category: '교통', occurred_at: '2026-01-05' },
        ],
      },
      owner.token,
    )
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body.count).toBe(2)
    expect(body.transactions.map((x: any) => [x.amount, x.category, x.merchant])).toEqual([
      [4500, '카페', '스타벅스'],
      [1250, '교통', ''],
    ])
    expect(await countFor(owner.id)).toBe(2)
  })

  test('a bad row is named and nothing of the batch is stored', async () => {
    const owner = await t.user('tx-bad', '불량')
    const res = await post(
      {
        transactions: [
          { amount: 4500, category: '카페', occurred_at: '2026-01-05' },
          { amount: -3, category: '카페', occurred_at: '2026-01-05' },
          { amount: 100, category: '', occurred_at: '2026-02-30' },
        ],
      },
      owner.token,
    )
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error_code).toBe('INVALID_TRANSACTION')
    expect(body.message).toContain('transactions[1]: amount')
    expect(body.message).toContain('transactions[2]: category')
    expect(body.message).not.toContain('transactions[0]')
    expect(await countFor(owner.id)).toBe(0)
  })

  test('empty, oversized and malformed batches are 400, never 500', async () => {
    const many = Array.from({ length: 1001 }, () => ({ amount: 1000, category: '식비', occurred_at: '2026-01-01' }))
    const cases: [unknown, string][] = [
      [{ transactions: [] }, 'INVALID_TRANSACTION'],
      [{ transactions: many }, 'INVALID_TRANSACTION'],
      [{ transactions: [{ amount: 1000, category: '식비', occurred_at: '2026-01-01' }, 5] }, 'INVALID_TRANSACTION'],
      [{ transactions: 'x' }, 'INVALID_TRANSACTION'],
      [{}, 'INVALID_TRANSACTION'],
      [{ amount: 1000, category: 7, occurred_at: '2026-01-01' }, 'INVALID_REQUEST'],
      [{ amount: 1000, category: '식비', occurred_at: 'yesterday' }, 'INVALID_TRANSACTION'],
    ]
    const messages: string[] = []
    for (const [json, code] of cases) {
      const res = await post(json)
      const body = await res.json()
      messages.push(body.message)
      expect({ json: JSON.stringify(json).slice(0, 60), status: res.status, code: body.error_code }).toEqual({
        json: JSON.stringify(json).slice(0, 60),
        status: 400,
        code,
      })
    }
    expect(messages[2]).toContain('transactions[1]')
  })

  test('exactly 1000 rows are accepted', async () => {
    const owner = await t.user('tx-thousand', '천건')
    const rows = Array.from({ length: 1000 }, (_, i) => ({ amount: 1000 + i, category: '식비', occurred_at: '2026-01-01' }))
    const res = await post({ transactions: rows }, owner.token)
    expect(res.status).toBe(201)
    expect((await res.json()).count).toBe(1000)
    expect(await countFor(owner.id)).toBe(1000)
  })

  test('anonymous callers get 401 in the advisor shape', async () => {
    const res = await t.request('POST', '/api/v1/transactions', { json: { amount: 1 } })
    expect(res.status).toBe(401)
    expect((await res.json()).error_code).toBe('UNAUTHORIZED')
  })
})

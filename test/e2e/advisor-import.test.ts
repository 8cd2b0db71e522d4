import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asc, eq } from 'drizzle-orm'
import { openDatabase, type Database } from '../../src/platform/db/client'
import { migrate } from '../../src/platform/db/migrate'
import { cardBenefits, cards, spendingTransactions, users } from '../../src/platform/db/schema'
import { ensureCardCatalog } from '../../src/modules/advisor/card-catalog-seed'
import { loadSampleCatalog } from '../../src/modules/cards/sample-catalog'
import { createTestDatabase, unpackPgliteTemplate } from '../support/db'

/**
 * The two import commands run as real processes against a temporary DATA_DIR (embedded
 * database) or, when DATABASE_URL is set, against a fresh database on that server.
 */
const ROOT = join(import.meta.dir, '../..')
let dir: string
let serverDb: (Database & { url?: string }) | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'huddle-import-'))
  if (process.env.DATABASE_URL) serverDb = await createTestDatabase()
  else unpackPgliteTemplate(join(dir, 'data'))
})
afterAll(async () => {
  await serverDb?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Runs `fn` on the database the commands write; the embedded one is closed again so a command can open it. */
async function withDb<T>(fn: (db: Database['db']) => Promise<T>): Promise<T> {
  if (serverDb) return fn(serverDb.db)
  const d = await openDatabase({ dataDir: join(dir, 'data') })
  try {
    await migrate(d)
    return await fn(d.db)
  } finally {
    await d.close()
  }
}

async function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([process.execPath, 'run', join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    // Only what the commands should read: no keys or settings from the developer's shell.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, DATA_DIR: join(dir, 'data'), ...(serverDb?.url ? { DATABASE_URL: serverDb.url } : {}) },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { code, stdout, stderr }
}

const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const HEADER = 'card_id,card_name,company,card_image_url,annual_fee_domestic,annual_fee_overseas,fee_waiver_rule,min_monthly_spend,benefit_id,category_name,benefit_rate,benefit_limit'

describe('cards:import', () => {
  test('a real catalog replaces the sample; a bad file changes nothing and names its lines', async () => {
    // The sample catalog, as every start stores it (the test template already holds it).
    await withDb(async (db) => {
      await ensureCardCatalog(db)
      const sample = await db.select({ sample: cards.sample }).from(cards)
      expect(sample).toHaveLength(loadSampleCatalog().cards.length)
      expect(sample.every((c) => c.sample)).toBe(true)
    })
    const good = file(
      'cards.csv',
      [
        HEADER,
        '1,리얼 교통카드,리얼카드,https://example.com/1.png,"15,000",15000,전월실적 30만원 이상,300000,1,교통,10%,10000',
        '1,리얼 교통카드,리얼카드,https://example.com/1.png,"15,000",15000,전월실적 30만원 이상,300000,2,카페,5%,5000',
        '2,리얼 해외카드,리얼카드,,0,0,,0,3,해외,2%,0',
      ].join('\n'),
    )
    const ok = await run('cards-import.ts', [good])
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' })
    expect(ok.stdout).toContain('imported 2 card(s) with 3 benefit(s)')
    expect(ok.stdout).toContain('removed 28 sample card(s)')

    const snapshot = () =>
      withDb(async (db) => ({
        cards: await db.select({ id: cards.id, name: cards.name, fee: cards.annualFeeDomestic, sample: cards.sample }).from(cards).orderBy(asc(cards.id)),
        benefits: await db.select({ id: cardBenefits.id, card: cardBenefits.cardId, category: cardBenefits.categoryName }).from(cardBenefits).orderBy(asc(cardBenefits.id)),
      }))
    const after = await snapshot()
    expect(after.cards).toEqual([
      { id: 1, name: '리얼 교통카드', fee: 15000, sample: false },
      { id: 2, name: '리얼 해외카드', fee: 0, sample: false },
    ])
    expect(after.benefits).toEqual([
      { id: 1, card: 1, category: '교통' },
      { id: 2, card: 1, category: '카페' },
      { id: 3, card: 2, category: '해외' },
    ])

    const bad = file('bad.csv', [HEADER, '1,고장난 카드,리얼카드,,x,0,,0,1,교통,10%,0', '3,새 카드,리얼카드,,0,0,,0,4,없는분야,10,0'].join('\n'))
    const refused = await run('cards-import.ts', [bad])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('nothing was imported')
    expect(refused.stderr).toMatch(/line 2 .*annual_fee_domestic/)
    expect(refused.stderr).toMatch(/line 3 .*category_name/)
    expect(await snapshot()).toEqual(after)

    // Importing the same file again is an upsert: nothing doubles.
    expect((await run('cards-import.ts', [good])).code).toBe(0)
    expect(await snapshot()).toEqual(after)

    const usage = await run('cards-import.ts', [])
    expect(usage.code).toBe(1)
    expect(usage.stderr).toContain('usage:')
  }, 90_000)
})

describe('transactions:import', () => {
  test('loads a CSV for a user by subject, all or nothing', async () => {
    const good = file('tx.csv', 'amount,category,merchant,occurred_at\n15000,식비,김밥천국,2026-02-01T00:30:00\n"1,250",교통,,2026-01-06\n')
    const ok = await run('transactions-import.ts', [good, '--user-subject', 'import-alice'])
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' })
    expect(ok.stdout).toContain('imported 2 transaction(s)')

    const rows = () =>
      withDb(async (db) =>
        db
          .select({ amount: spendingTransactions.amount, category: spendingTransactions.category, merchant: spendingTransactions.merchant, at: spendingTransactions.occurredAt })
          .from(spendingTransactions)
          .innerJoin(users, eq(users.id, spendingTransactions.userId))
          .where(eq(users.subject, 'import-alice'))
          .orderBy(asc(spendingTransactions.id)),
      )
    const stored = await rows()
    expect(stored.map((r) => [r.amount, r.category, r.merchant, r.at.toISOString()])).toEqual([
      [15000, '식비', '김밥천국', '2026-01-31T15:30:00.000Z'],
      [1250, '교통', '', '2026-01-05T15:00:00.000Z'],
    ])

    const bad = file('bad-tx.csv', 'amount,category,merchant,occurred_at\n5000,카페,,2026-01-07\n-1,교통,,2026-13-06\n')
    const refused = await run('transactions-import.ts', [bad, '--user-subject', 'import-alice'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('line 3')
    expect(refused.stderr).toContain('nothing was imported')
    expect(await rows()).toHaveLength(2)

    const unknown = await run('transactions-import.ts', [good, '--user-id', '987654'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no user with id 987654')
    const noUser = await run('transactions-import.ts', [good])
    expect(noUser.code).toBe(1)
    expect(noUser.stderr).toContain('usage:')
  }, 90_000)
})

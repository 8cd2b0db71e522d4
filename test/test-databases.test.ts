import { expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../src/platform/db/client'
import { createTestDatabase } from './support/db'

// Test databases are recycled between test apps (test/support/db.ts): what one app left must
// never reach the next.
const userCount = async (d: Awaited<ReturnType<typeof createTestDatabase>>) =>
  Number((await queryRows<{ n: string }>(d.db, sql`select count(*) as n from users`))[0]!.n)
const addUser = async (d: Awaited<ReturnType<typeof createTestDatabase>>, name: string) =>
  (await queryRows<{ id: number }>(d.db, sql`insert into users (subject, name) values (${crypto.randomUUID()}, ${name}) returning id`))[0]!.id

test('a database handed out again holds only what the template holds, its ids start over and its session settings are gone', async () => {
  const first = await createTestDatabase()
  const templateUsers = await userCount(first)
  const firstId = Number(await addUser(first, 'a'))
  await addUser(first, 'b')
  await first.db.execute(sql`set statement_timeout = '1234ms'`)
  await first.close()
  const next = await createTestDatabase()
  try {
    expect(await userCount(next)).toBe(templateUsers)
    // The ids start where the template left them, whether a database is new or handed out
    // again: a test's ids never depend on which files ran before it.
    const id = Number(await addUser(next, 'c'))
    expect(id).toBe(firstId)
    const [setting] = await queryRows<{ statement_timeout: string }>(next.db, sql`show statement_timeout`)
    expect(setting!.statement_timeout).not.toBe('1234ms')
  } finally {
    await next.close()
  }
})

test('a database whose schema a test changed is never handed out again', async () => {
  const changed = await createTestDatabase()
  await changed.db.execute(sql`alter table users add constraint recycled_check check (name <> 'x')`)
  await changed.close()
  const next = await createTestDatabase()
  try {
    const constraints = await queryRows(next.db, sql`select 1 from pg_constraint where conname = 'recycled_check'`)
    expect(constraints).toHaveLength(0)
  } finally {
    await next.close()
  }
})

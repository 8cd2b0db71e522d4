import { afterAll, beforeAll, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { createTestDatabase } from '../../../test/support/db'
import { createMessageRepo } from '../../modules/messaging/message-repo'
import { queryRows, type Database } from './client'

// The message page must walk the (room_id, id) index on the embedded database too, which has
// no autovacuum: without statistics its planner hash-joined the whole room. Rooms are written
// in bursts, as chats are; the oldest room's page is the one a primary-key walk would miss.
let d: Database
let last: { sql: string; params: unknown[] } | undefined

beforeAll(async () => {
  d = await createTestDatabase({ onQuery: (text, params) => {
    if (/ limit /.test(text)) last = { sql: text, params }
  } })
  // Ids are taken from what was inserted: the template's own rows and sequences come first.
  await d.db.execute(sql`
    with u as (insert into users (subject, name) select 's' || g, 'user ' || g from generate_series(1, 20) g returning id),
         r as (insert into rooms (kind) select 'group' from generate_series(1, 40) returning id),
         us as (select array_agg(id order by id) as ids from u),
         rs as (select array_agg(id order by id) as ids from r)
    insert into messages (room_id, sender_id, content)
    select rs.ids[1 + g / 500], us.ids[1 + g % 20], 'message ' || g
      from generate_series(0, 19999) g, us, rs`)
}, 60_000)
afterAll(() => d.close())

test('after the bulk write, the statistics keeper (or a server autovacuum) lets the page query use the (room_id, id) index', async () => {
  // What the keeper's timer runs on the embedded database; a server has autovacuum, whose
  // timing a test cannot wait for, so it gets the ANALYZE autovacuum would run.
  if (d.statistics) expect(await d.statistics.check()).toContain('messages')
  else await d.db.execute(sql`analyze`)

  const [room] = await queryRows<{ id: number }>(d.db, sql`select min(room_id)::int as id from messages`)
  const repo = createMessageRepo({ db: d.db })
  const page = await repo.page(room!.id, 1, 50)
  expect(page.items).toHaveLength(50)
  expect(page.total).toBe(500)
  const pageQuery = last!
  const client = (d.db as unknown as { $client: { unsafe(q: string, p: unknown[]): Promise<Record<string, string>[]> } }).$client
  const plan = (await client.unsafe(`explain ${pageQuery.sql}`, pageQuery.params)).map((r) => r['QUERY PLAN']).join('\n')
  expect(plan).toContain('messages_room_id_idx')
  expect(plan).not.toContain('Seq Scan on messages')
})

test('search sees a message as soon as it is stored: the trigram index answers from its pending list, before and after the merge', async () => {
  const [room] = await queryRows<{ id: number }>(d.db, sql`select max(room_id)::int as id from messages`)
  const repo = createMessageRepo({ db: d.db })
  const [{ message }] = await repo.insertMany([{ roomId: room!.id, content: 'a quokka-shaped cake' }])
  const viaIndex = () =>
    d.db.transaction(async (tx) => {
      // Only the trigram index may answer, so the rows come from it (pending list included).
      await tx.execute(sql`set local enable_seqscan = off`)
      await tx.execute(sql`set local enable_indexscan = off`)
      const query = sql`select id::int from messages where content ilike '%quokka%'`
      const plan = (await queryRows<Record<string, string>>(tx, sql`explain ${query}`)).map((r) => r['QUERY PLAN']).join('\n')
      return { plan, ids: (await queryRows<{ id: number }>(tx, query)).map((r) => r.id) }
    })
  const before = await viaIndex()
  expect(before.plan).toContain('messages_content_trgm_idx')
  expect(before.ids).toEqual([message.id])
  if (d.statistics) await d.statistics.check()
  else await d.db.execute(sql`select gin_clean_pending_list('messages_content_trgm_idx'::regclass)`)
  const pending = await queryRows<{ n: number }>(d.db, sql`select gin_clean_pending_list('messages_content_trgm_idx'::regclass)::int as n`)
  expect(pending[0]!.n).toBe(0)
  expect((await viaIndex()).ids).toEqual([message.id])
})

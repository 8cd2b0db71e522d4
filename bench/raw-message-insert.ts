// What storing one message costs the database, index by index: huddle's own group-commit
// INSERT (message-repo insertMany) of 128-byte messages in batches, on the migrated schema,
// then again with one index changed at a time. Each variant gets a fresh database.
// Usage: bun run bench/raw-message-insert.ts [--n=4000] [--batch=64] [--db=pglite|postgres|both]
import { scratchServerDatabase } from './scratch-database'
import { sql } from 'drizzle-orm'
import { openDatabase, type Database } from '../src/platform/db/client'
import { migrate } from '../src/platform/db/migrate'
import { createMessageRepo } from '../src/modules/messaging/message-repo'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
const N = Number(arg('n') ?? 4000)
const BATCH = Number(arg('batch') ?? 64)
const which = arg('db') ?? 'both'
const ROUNDS = Number(arg('rounds') ?? 2)
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const variants: { name: string; ddl: string[] }[] = [
  { name: 'as migrated', ddl: [] },
  { name: 'no trigram GIN on content', ddl: ['drop index messages_content_trgm_idx'] },
  { name: 'trigram GIN without pending list', ddl: ['alter index messages_content_trgm_idx set (fastupdate = off)'] },
  { name: 'no unique public_id', ddl: ['alter table messages drop constraint messages_public_id_unique'] },
  {
    name: 'client_msg_id index partial',
    ddl: ['drop index messages_client_msg_uq', 'create unique index messages_client_msg_uq on messages (room_id, sender_id, client_msg_id) where client_msg_id is not null'],
  },
  { name: 'no (room_id, id) index', ddl: ['drop index messages_room_id_idx'] },
  {
    name: 'no foreign keys',
    ddl: ['messages_room_id_rooms_id_fk', 'messages_sender_id_users_id_fk', 'messages_file_id_files_id_fk'].map((fk) => `alter table messages drop constraint ${fk}`),
  },
  {
    name: 'primary key + client_msg_id (bound)',
    ddl: ['drop index messages_content_trgm_idx', 'alter table messages drop constraint messages_public_id_unique', 'drop index messages_room_id_idx'],
  },
]

// CPU of every thread of this process (the embedded database's thread included): steadier than
// wall time on a shared machine. A PostgreSQL server's own CPU is not in it.
const cpuUs = () => {
  const u = process.cpuUsage()
  return u.user + u.system
}

async function run(database: Database, ddl: string[]): Promise<{ wallUs: number; cpuUs: number }> {
  await migrate(database)
  const db = database.db
  for (const statement of ddl) await db.execute(sql.raw(statement))
  await db.execute(sql`insert into users (id, subject, name) values (1, 'bench', 'bench') on conflict do nothing`)
  await db.execute(sql`insert into rooms (id, name, kind, created_by) values (1, 'bench', 'group', 1) on conflict do nothing`)
  const repo = createMessageRepo({ db })
  const content = (i: number) => `message ${i} ${'lorem ipsum dolor sit amet '.repeat(4)}`.slice(0, 128)
  // Warm up (plans, caches), then measure.
  await repo.insertMany(Array.from({ length: BATCH }, (_, i) => ({ roomId: 1, senderId: 1, content: content(i) })))
  const started = performance.now()
  const cpu0 = cpuUs()
  for (let done = 0; done < N; done += BATCH) {
    await repo.insertMany(Array.from({ length: BATCH }, (_, i) => ({ roomId: 1, senderId: 1, content: content(done + i) })))
  }
  return { wallUs: ((performance.now() - started) / N) * 1000, cpuUs: (cpuUs() - cpu0) / N }
}

console.log(`${N} messages of 128 B in INSERTs of ${BATCH}; per message: wall time at the caller, CPU of this process's threads`)
// The first database of a process also pays for tiering up PGlite's WebAssembly: warm up once.
const warm = await openDatabase({})
await run(warm, []).finally(() => warm.close())
for (let round = 0; round < ROUNDS; round++)
for (const target of which === 'both' ? ['pglite', 'postgres'] : [which]) {
  for (const v of variants) {
    const scratch = target === 'postgres' ? await scratchServerDatabase(PG_URL, 'huddle_insert_bench') : undefined
    if (target === 'postgres' && !scratch) throw new Error(`cannot create a database on ${PG_URL}`)
    const database = await openDatabase({ url: scratch?.url })
    try {
      const { wallUs, cpuUs } = await run(database, v.ddl)
      console.log(`${target.padEnd(9)} ${v.name.padEnd(38)} wall ${wallUs.toFixed(0).padStart(6)} µs   process CPU ${cpuUs.toFixed(0).padStart(6)} µs`)
    } catch (error) {
      console.log(`${target.padEnd(9)} ${v.name.padEnd(34)} failed: ${String((error as Error).message).slice(0, 120)}`)
    } finally {
      await database.close()
      await scratch?.drop()
    }
  }
}
process.exit(0)

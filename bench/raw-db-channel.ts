// Compares the two ways of taking PGlite off the server's thread, on the same statements:
// PGlite in a Worker serving the PostgreSQL wire protocol (postgres.js over a unix socket,
// what huddle uses) against a hand-made postMessage channel (sql + params in, rows out), with
// PGlite on the caller's own thread as the reference. Usage: bun run bench/raw-db-channel.ts
import { PGlite } from '@electric-sql/pglite'
import { openDatabase } from '../src/platform/db/client'

const N = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 2000)
type Query = (sql: string, params?: unknown[]) => Promise<unknown>

async function measure(name: string, q: Query, cpu: () => number) {
  await q('create table if not exists t(id serial primary key, room int, v text)')
  await q('create index if not exists t_room on t(room, id)')
  const c0 = cpu()
  let t = performance.now()
  for (let i = 0; i < N; i++) await q('insert into t(room, v) values ($1, $2)', [i % 10, 'x'.repeat(128)])
  const insert = ((performance.now() - t) / N) * 1000
  t = performance.now()
  await Promise.all(Array.from({ length: N }, (_, i) => q('select id, v from t where room = $1 order by id desc limit 50', [i % 10])))
  const page = ((performance.now() - t) / N) * 1000
  const callerCpu = (cpu() - c0) / (2 * N)
  console.log(`${name.padEnd(28)} sequential insert ${insert.toFixed(0).padStart(5)} µs   pipelined 50-row page ${page.toFixed(0).padStart(5)} µs   process CPU ${callerCpu.toFixed(0).padStart(4)} µs/query`)
}

// Process CPU (every thread): Bun has no per-thread clock here. Wall times are the comparison.
const cpu = () => {
  const u = process.cpuUsage()
  return u.user + u.system
}

const socket = await openDatabase({})
const client = (socket.db as unknown as { $client: { unsafe(q: string, p?: unknown[]): Promise<unknown> } }).$client
await measure('worker + wire protocol', (s, p) => client.unsafe(s, p as never[]), cpu)
await socket.close()

const workerSrc = `
import { PGlite } from '@electric-sql/pglite'
let db
self.onmessage = async (e) => {
  const m = e.data
  if (m.type === 'start') { db = await PGlite.create(); postMessage({ type: 'ready' }); return }
  try { const r = await db.query(m.sql, m.params); postMessage({ id: m.id, rows: r.rows }) } catch (err) { postMessage({ id: m.id, error: String(err) }) }
}`
const file = `${import.meta.dir}/.raw-db-channel-worker.ts`
await Bun.write(file, workerSrc)
const w = new Worker(file)
await new Promise<void>((res) => {
  w.onmessage = () => res()
  w.postMessage({ type: 'start' })
})
let id = 0
const waiting = new Map<number, (r: unknown) => void>()
w.onmessage = (e) => {
  waiting.get(e.data.id)!(e.data)
  waiting.delete(e.data.id)
}
await measure('worker + postMessage channel', (sql, params = []) => new Promise((res) => {
  const i = ++id
  waiting.set(i, res)
  w.postMessage({ id: i, sql, params })
}), cpu)
w.terminate()
await Bun.file(file).delete()

const db = await PGlite.create()
await measure('same thread (before)', (s, p) => db.query(s, p), cpu)
await db.close()

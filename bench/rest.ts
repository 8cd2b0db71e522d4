// bench:rest — server CPU per request of huddle's messenger REST hot paths against a
// hand-written Bun.serve + postgres.js server sending the same statements and answering
// byte-identical JSON (bench/rest-ceiling-server.ts), on the same tables, with the same
// closed-loop client load, on both databases. Per database: huddle starts on a fresh
// database and builds the data through its own API (a room of 5,000 messages, 20 rooms in
// the caller's list), records its answers and stops; the ceiling opens the same database,
// must answer byte-identically (the send compared with its id and times masked), is timed
// and stops; huddle starts again on the same data and is timed. Only one server runs at a
// time, so the embedded database (one connection) is measured for both: its thread's CPU
// counts in each server's process. Traffic stays on 127.0.0.1; every phase is bounded.
// Usage: bun run bench:rest [--quick] [--only=PGlite|PostgreSQL] [--url=http://host:port] [--json]
//   --url drives a running deployment (needs its JWT_SECRET in the environment): latency and
//   throughput only there (its CPU is not ours to read); the local comparison still runs.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { scratchServerDatabase } from './scratch-database'
import { freePort } from '../test/support/free-port'
import { printBenchJson, wantsJson, type BenchRow } from './bench-json'

const SECRET = process.env.JWT_SECRET ?? 'bench-rest-secret-bench-rest-secret'
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const quick = process.argv.includes('--quick')
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const targets = arg('only') ? [arg('only')!] : ['PGlite', 'PostgreSQL']
const remote = arg('url')?.replace(/\/$/, '')
const PAGE_MESSAGES = 5_000
const ROOMS = 20
const CLIENTS = 16
const READERS = 32
const REQUESTS = quick ? 1_000 : 4_000
const MAX_SECONDS = quick ? 10 : 30
const CPU_TARGET = 1.5
const P99_TARGET = 3
const TICK_US = 10_000

type Endpoint = 'page' | 'rooms' | 'send' | 'healthz'
// The send goes last: it changes the room list.
const ENDPOINTS: Endpoint[] = ['page', 'rooms', 'healthz', 'send']

interface Seeded {
  token: string
  pageRoom: number
  sendRoom: number
}

/** CPU µs of a process and every process below it (threads included), from /proc. */
function treeCpuUs(pid: number): number {
  let total = 0
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    total += (Number(f[11]) + Number(f[12])) * TICK_US
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      for (const child of children ? children.split(' ') : []) total += treeCpuUs(Number(child))
    }
  } catch {}
  return total
}
const mainThreadUs = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * TICK_US
}

async function waitFor(url: string, ms = 90_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await Bun.sleep(100)
  }
  throw new Error(`${url} did not come up`)
}

interface Server {
  base: string
  pid: number
  stop(): Promise<void>
}

async function spawnServer(script: string, env: Record<string, string | undefined>, ready: string): Promise<Server> {
  const port = freePort()
  const full: Record<string, string> = { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', JWT_SECRET: SECRET }
  delete full.REDIS_URL
  delete full.DATABASE_URL
  for (const [k, v] of Object.entries(env)) if (v !== undefined) full[k] = v
  // BENCH_BUN_FLAGS passes profiler flags (e.g. --cpu-prof-md) to the measured servers.
  const flags = (process.env.BENCH_BUN_FLAGS ?? '').split(' ').filter(Boolean)
  const proc = Bun.spawn(['bun', ...flags, 'run', join(import.meta.dir, script)], { env: full, stdout: 'ignore', stderr: 'inherit' })
  const base = `http://127.0.0.1:${port}`
  await waitFor(`${base}${ready}`)
  return { base, pid: proc.pid, stop: async () => (proc.kill('SIGTERM'), void (await proc.exited)) }
}

// huddle as `bun start` runs it, default log level (one JSON line per request, to /dev/null here).
const startHuddle = (db: { dataDir: string; url?: string }) =>
  spawnServer('../src/main.ts', { DATA_DIR: db.dataDir, DATABASE_URL: db.url, AI_PROVIDER: 'offline' }, '/readyz')
const startCeiling = (db: { dataDir: string; url?: string }, analyze = false) =>
  spawnServer('rest-ceiling-server.ts', { DATA_DIR: db.dataDir, DATABASE_URL: db.url, CEILING_ANALYZE: analyze ? '1' : undefined }, '/healthz')

const token = (i: number) =>
  new SignJWT({ name: `rest bench ${i}` }).setProtectedHeader({ alg: 'HS256' }).setSubject(`rest-bench-${i}`).setExpirationTime('3h').sign(new TextEncoder().encode(SECRET))

async function call(base: string, tk: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${tk}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`)
  return text
}

/** Builds the data through huddle's API: a 5,000-message room, a room to send to, 18 more rooms. */
async function seed(base: string): Promise<Seeded> {
  const tokens = await Promise.all([0, 1, 2].map(token))
  const ids = await Promise.all(tokens.map(async (t) => (JSON.parse(await call(base, t, 'GET', '/api/auth/me')) as { id: number }).id))
  const rooms: number[] = []
  for (let r = 0; r < ROOMS; r++) {
    const other = ids[1 + (r % 2)]!
    const created = await call(base, tokens[0]!, 'POST', '/chat/rooms', { room_type: 'group', room_name: `rest bench ${r}`, participant_ids: [other] })
    rooms.push((JSON.parse(created) as { room_id: number }).room_id)
  }
  const [pageRoom, sendRoom, ...rest] = rooms
  await Promise.all(rest.map((room, i) => call(base, tokens[1 + (i % 2)]!, 'POST', `/chat/rooms/${room}/messages`, { message_content: `hello room ${i}` })))
  let next = 0
  const sender = async () => {
    for (let i = next++; i < PAGE_MESSAGES; i = next++)
      await call(base, tokens[i % 2]!, 'POST', `/chat/rooms/${pageRoom}/messages`, { message_content: `message ${i}: ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 4))}` })
  }
  await Promise.all(Array.from({ length: 32 }, sender))
  return { token: tokens[0]!, pageRoom: pageRoom!, sendRoom: sendRoom! }
}

const request = (s: Seeded, e: Endpoint): [string, string, unknown?] =>
  e === 'page'
    ? ['GET', `/chat/rooms/${s.pageRoom}/messages?page=1&size=50`]
    : e === 'rooms'
      ? ['GET', '/chat/rooms']
      : e === 'send'
        ? ['POST', `/chat/rooms/${s.sendRoom}/messages`, { message_content: 'a message sent by the REST bench', message_type: 'text' }]
        : ['GET', '/healthz']

const masked = (text: string) => text.replace(/"message_id":\d+/, '"message_id":0').replace(/"(created|updated)_at":"[^"]*"/g, '"$1_at":"-"')

interface Timed {
  requests: number
  perSecond: number
  p50: number
  p99: number
  cpuUs: number | null
  loopUs: number | null
}

/**
 * `clients` closed-loop clients: a warm-up (the servers' JIT and caches), then `count`
 * requests (or what `MAX_SECONDS` allows), with the server's CPU per request.
 */
async function timed(base: string, s: Seeded, e: Endpoint, clients: number, pid?: number, count = REQUESTS): Promise<Timed> {
  const [method, path, body] = request(s, e)
  const run = async (n: number, lat?: number[]) => {
    let left = n
    const until = performance.now() + MAX_SECONDS * 1000
    const client = async () => {
      while (left-- > 0 && performance.now() < until) {
        const t0 = performance.now()
        await call(base, s.token, method, path, body)
        lat?.push(performance.now() - t0)
      }
    }
    await Promise.all(Array.from({ length: clients }, client))
  }
  await run(Math.round(count / 4))
  const lat: number[] = []
  const cpu0 = pid ? treeCpuUs(pid) : 0
  const loop0 = pid ? mainThreadUs(pid) : 0
  const started = performance.now()
  await run(count, lat)
  const elapsed = (performance.now() - started) / 1000
  lat.sort((a, b) => a - b)
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!
  return {
    requests: lat.length,
    perSecond: lat.length / elapsed,
    p50: pct(50),
    p99: pct(99),
    cpuUs: pid ? (treeCpuUs(pid) - cpu0) / lat.length : null,
    loopUs: pid ? (mainThreadUs(pid) - loop0) / lat.length : null,
  }
}

const rows: BenchRow[] = []
const lines: string[] = []
const fmt = (n: number | null, d = 1) => (n == null ? '–' : n.toFixed(d))
const overtime = setTimeout(() => {
  process.stderr.write('bench:rest: still running after 15 minutes, stopping\n')
  process.exit(1)
}, 15 * 60_000)

async function compareOn(target: string) {
  const server = target === 'PostgreSQL' ? await scratchServerDatabase(PG_URL, 'huddle_bench_rest') : undefined
  if (target === 'PostgreSQL' && !server) return void lines.push('PostgreSQL server unreachable: skipped')
  const db = { dataDir: mkdtempSync(join(tmpdir(), 'huddle-bench-rest-')), url: server?.url }
  let running: Server | undefined
  try {
    running = await startHuddle(db)
    const s = await seed(running.base)
    const expected = new Map<Endpoint, string>()
    // huddle's send first, so the ceiling reads the same data that huddle's reads saw.
    for (const e of ['send', ...ENDPOINTS.filter((x) => x !== 'send')] as Endpoint[]) expected.set(e, await call(running.base, s.token, ...request(s, e)))
    await running.stop()

    // Planner statistics for the fresh data, kept in the database for huddle's second start too.
    running = await startCeiling(db, true)
    for (const e of ENDPOINTS) {
      const got = await call(running.base, s.token, ...request(s, e))
      const want = expected.get(e)!
      if (e === 'send' ? masked(got) !== masked(want) : got !== want)
        throw new Error(`ceiling answers ${e} differently on ${target}:\nhuddle:  ${want.slice(0, 400)}\nceiling: ${got.slice(0, 400)}`)
    }
    const ceiling = new Map<Endpoint, Timed>()
    for (const e of ENDPOINTS) ceiling.set(e, await timed(running.base, s, e, CLIENTS, running.pid))
    await running.stop()

    running = await startHuddle(db)
    for (const e of ENDPOINTS) {
      const h = await timed(running.base, s, e, CLIENTS, running.pid)
      const c = ceiling.get(e)!
      const ratio = h.cpuUs! / c.cpuUs!
      lines.push(
        `| ${e} | ${target} | ${fmt(h.cpuUs)} | ${fmt(c.cpuUs)} | **${ratio.toFixed(2)}×** | ${fmt(h.loopUs)} / ${fmt(c.loopUs)} | ${Math.round(h.perSecond)} / ${Math.round(c.perSecond)} | ${fmt(h.p99, 2)} / ${fmt(c.p99, 2)} |`,
      )
      // The target is set for the three hot paths; healthz shows the fixed cost of a request.
      const targeted = e !== 'healthz'
      rows.push({
        scenario: `rest ${e}, ${target}`, metric: 'server CPU per request', value: h.cpuUs!, ceiling: c.cpuUs!, ratio,
        target: targeted ? `≤ ${CPU_TARGET}×` : 'report', pass: targeted ? ratio <= CPU_TARGET : null, unit: 'µs',
      })
    }
    const readers = await timed(running.base, s, 'page', READERS)
    await running.stop()
    running = undefined
    return readers
  } finally {
    await running?.stop()
    // BENCH_REST_KEEP=1 keeps the data (to profile or explain queries afterwards).
    if (process.env.BENCH_REST_KEEP) console.log(`kept: ${db.url ?? db.dataDir}`)
    else {
      rmSync(db.dataDir, { recursive: true, force: true })
      await server?.drop()
    }
  }
}

console.log(`bench:rest on ${navigator.hardwareConcurrency} cores, Bun ${Bun.version}; ${CLIENTS} closed-loop clients, ${REQUESTS} requests per endpoint after ${REQUESTS / 4} to warm up (at most ${MAX_SECONDS} s each)`)
const readers = new Map<string, Timed>()
for (const target of targets) {
  const r = await compareOn(target)
  if (r) readers.set(target, r)
}
const pg = readers.get('PostgreSQL')
const lite = readers.get('PGlite')
if (pg && lite) {
  const ratio = lite.p99 / pg.p99
  lines.push(`\nmessage page at ${READERS} concurrent readers, p99: PGlite ${fmt(lite.p99, 2)} ms, PostgreSQL ${fmt(pg.p99, 2)} ms → ${ratio.toFixed(2)}× (target ≤ ${P99_TARGET}×)`)
  rows.push({ scenario: `rest page, ${READERS} readers`, metric: 'p99 PGlite vs PostgreSQL', value: lite.p99, ceiling: pg.p99, ratio, target: `≤ ${P99_TARGET}×`, pass: ratio <= P99_TARGET, unit: 'ms' })
} else for (const [t, r] of readers) lines.push(`\nmessage page at ${READERS} concurrent readers on ${t}: p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms`)

if (remote) {
  lines.push(`\n${remote} (a running deployment; its CPU is not read):`, '| endpoint | requests/s | p50 ms | p99 ms |', '|---|---|---|---|')
  const s = await seed(remote)
  for (const e of ENDPOINTS) {
    const r = await timed(remote, s, e, CLIENTS)
    lines.push(`| ${e} | ${Math.round(r.perSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} |`)
    rows.push({ scenario: `rest ${e}, ${remote}`, metric: 'p99 latency', value: r.p99, ceiling: null, ratio: null, target: 'report', pass: null, unit: 'ms' })
  }
}
clearTimeout(overtime)

console.log('\n| endpoint | database | huddle CPU µs/request | ceiling CPU µs/request | ratio | event loop µs/request (huddle / ceiling) | requests/s (huddle / ceiling) | p99 ms (huddle / ceiling) |')
console.log('|---|---|---:|---:|---:|---:|---:|---:|')
for (const l of lines) console.log(l)
if (wantsJson()) printBenchJson(rows)
process.exit(0)

// bench:fanout — huddle's persisted WebSocket fan-out against a raw Bun pub/sub server (the
// ceiling), same clients, same load, one run. Traffic stays on 127.0.0.1 and every phase is
// bounded in count and time. Usage: bun run bench:fanout [--quick] [--scenario=N] [--only=PGlite|PostgreSQL]
// [--trace] (per-stage waits inside huddle, from its /metrics) [--sockets=N] (scenario 5's idle sockets)
// [--url=http://host:port] also drives a running deployment after the huddles started here: its
// JWT_SECRET (in this environment) mints the clients' tokens; `--only=none` skips the local ones.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { scratchServerDatabase } from './scratch-database'
import { runLoad, type LoadClient, type LoadResult } from './fanout-load'
import { freePort } from '../test/support/free-port'
import { cpuPer, sampleCpu, sampleProcessesNamed, sampleThreads, threadsPer, type CpuSample } from './proc-cpu'
import { formatStages, scrapeMetrics, stageFigures } from './fanout-trace'
import { bounded, holdIdleSockets, treeRssMb } from './fanout-idle'
import { fanoutJsonRows, printBenchJson, wantsJson } from './bench-json'

const SECRET = 'bench-secret-bench-secret-bench-secret'
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const quick = process.argv.includes('--quick')
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
// intervalMs: open loop, each client sends on a fixed clock (latency at a known rate);
// without it, closed loop as fast as acks return (throughput). idle: the clients only open
// their sockets and hold them (memory).
type Scenario = { clients: number; rooms: number; messages: number; bytes: number; intervalMs?: number; idle?: boolean }
const deployment = arg('url')?.replace(/\/$/, '')
// The quick run is the rooms scenario itself: CPU is read in 10 ms clock ticks, and a smaller
// load left the raw ceiling's share under one tick (0 µs per delivery, no ratio).
const allScenarios: Scenario[] = quick
  ? deployment
    ? // A deployment keeps its frame limit (20 a second per socket by default): a fixed rate under it.
      [{ clients: 200, rooms: 10, messages: 20, bytes: 128, intervalMs: 200 }]
    : [{ clients: 200, rooms: 10, messages: 50, bytes: 128 }]
  : [
      { clients: 200, rooms: 10, messages: 50, bytes: 128 },
      { clients: 500, rooms: 1, messages: 20, bytes: 128 },
      { clients: 200, rooms: 10, messages: 20, bytes: 128, intervalMs: 250 },
      // 200 clients × 5 messages/s × 20 members per room = 20,000 deliveries/s for 10 s.
      { clients: 200, rooms: 10, messages: 50, bytes: 128, intervalMs: 200 },
      { clients: Number(arg('sockets') ?? 10_000), rooms: 100, messages: 0, bytes: 0, idle: true },
    ]
if (deployment && !process.env.JWT_SECRET) throw new Error('--url needs the deployment\'s JWT_SECRET in the environment, to mint the clients\' tokens')
const secret = new TextEncoder().encode(deployment ? process.env.JWT_SECRET! : SECRET)
const picked = arg('scenario')
// A deployment keeps its own per-socket frame limit (WS_MESSAGES_PER_SECOND, 20 a second with
// a burst of 40 by default): scenario 1's 50 closed-loop messages per client would measure that
// limit, and scenario 5 reads the server's RSS from /proc, so neither runs against a URL.
const forDeployment = (s: Scenario) => !deployment || (!s.idle && (s.intervalMs !== undefined || s.messages <= 40))
const scenarios = picked ? [allScenarios[Number(picked) - 1]!] : allScenarios
const targets = (arg('only')?.split(',') ?? ['PGlite', 'PostgreSQL']).filter((t) => t === 'PGlite' || t === 'PostgreSQL')
const trace = process.argv.includes('--trace')
const WARMUP_MESSAGES = 40


async function waitFor(url: string, ms = 180_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await Bun.sleep(100)
  }
  throw new Error(`${url} did not come up`)
}

async function startRaw() {
  const port = freePort()
  const proc = Bun.spawn(['bun', 'run', join(import.meta.dir, 'raw-pubsub-server.ts')], { env: { ...process.env, PORT: String(port) }, stdout: 'pipe' })
  await Bun.sleep(300)
  return { port, pid: proc.pid, stop: () => proc.kill() }
}

async function startHuddle(databaseUrl?: string) {
  const port = freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-bench-'))
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, JWT_SECRET: SECRET, LOG_LEVEL: 'warn', AI_PROVIDER: 'offline',
    // The per-connection rate limit is a policy, not what this measures.
    WS_MESSAGES_PER_SECOND: '10000', WS_BACKPRESSURE_LIMIT_BYTES: String(64 * 1024 * 1024),
  }
  delete env.REDIS_URL
  if (databaseUrl) env.DATABASE_URL = databaseUrl
  else delete env.DATABASE_URL
  // BENCH_BUN_FLAGS passes profiler flags (e.g. --cpu-prof-md) to the huddle process.
  const flags = (process.env.BENCH_BUN_FLAGS ?? '').split(' ').filter(Boolean)
  const proc = Bun.spawn(['bun', ...flags, 'run', join(import.meta.dir, '../src/main.ts')], { env, stdout: 'ignore', stderr: 'inherit' })
  try {
    await waitFor(`http://127.0.0.1:${port}/readyz`)
  } catch (error) {
    proc.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  return { port, pid: proc.pid, stop: async () => (proc.kill('SIGTERM'), await proc.exited, rmSync(dataDir, { recursive: true, force: true })) }
}

const token = (i: number) =>
  new SignJWT({ name: `bench ${i}` }).setProtectedHeader({ alg: 'HS256' }).setSubject(`bench-${i}`).setExpirationTime('2h').sign(secret)

/** Creates the users and rooms through huddle's own API at `base`; returns one socket URL per client. */
async function prepareHuddle(base: string, clients: number, rooms: number): Promise<LoadClient[]> {
  const wsBase = base.replace(/^http/, 'ws')
  const people = await bounded(
    Array.from({ length: clients }, (_, i) => i),
    50,
    async (i) => {
      const t = await token(i)
      const me = (await (await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${t}` } })).json()) as { id: number }
      return { token: t, id: me.id as number }
    },
  )
  const out: LoadClient[] = []
  for (let r = 0; r < rooms; r++) {
    const members = people.filter((_, i) => i % rooms === r)
    const res = await fetch(`${base}/chat/rooms/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${members[0]!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ room_type: 'group', room_name: `bench ${r}`, participant_ids: members.slice(1).map((m) => m.id), max_participants: 1000 }),
    })
    const roomId = ((await res.json()) as { room_id: number }).room_id
    for (const m of members) out.push({ url: `${wsBase}/chat/ws/${roomId}?token=${m.token}`, room: roomId })
  }
  return out
}

const fmt = (r: LoadResult, cpu: CpuSample) =>
  `${Math.round(r.perSecond).toString().padStart(9)} ${r.p50ms.toFixed(1).padStart(8)} ${r.p99ms.toFixed(1).padStart(8)} ${String(r.lost).padStart(6)} ${cpu.mainThreadUs.toFixed(2).padStart(9)} ${cpu.processUs.toFixed(2).padStart(9)}`

/** Scenario 5: the server tree's RSS with every client's socket open and idle. */
async function idleRow(label: string, target: string, pid: number, clients: LoadClient[], ceilingMb?: number) {
  const r = await holdIdleSockets(pid, clients.map((c) => c.url))
  const ratio = ceilingMb ? ` (${(r.rssAfterMb / ceilingMb).toFixed(2)}× the ceiling)` : ''
  console.log(`${target.padEnd(22)} ${r.opened} open, ${r.failed} failed in ${r.seconds.toFixed(1)} s; RSS ${r.rssBeforeMb} MB before, ${r.rssAfterMb} MB with them open${ratio}`)
  rows.push(`| ${label} | ${target} | ${r.opened} open, ${r.failed} failed | RSS ${r.rssBeforeMb} → ${r.rssAfterMb} MB${ratio} |`)
  return r.rssAfterMb
}

/** Runs the load against a server process, with its CPU per delivery and RSS after. */
async function measured(pid: number, clients: LoadClient[], s: Scenario, afterWarmUp?: () => Promise<void>) {
  // Steady state, as a server that has run for a while: a short warm-up load first (the JIT
  // compiles the hot path; without it the JIT threads were ~40 % of huddle's CPU in a 5 s run),
  // and CPU counted from the moment every client is connected (socket setup and auth are not
  // deliveries).
  await runLoad(clients, WARMUP_MESSAGES, s.bytes)
  await afterWarmUp?.()
  let before = sampleCpu(pid)
  let threadsBefore: Map<string, number> | undefined
  let postgresBefore = 0
  const r = await runLoad(clients, s.messages, s.bytes, {
    intervalMs: s.intervalMs,
    onConnected: () => {
      before = sampleCpu(pid)
      if (trace) {
        threadsBefore = sampleThreads(pid)
        postgresBefore = sampleProcessesNamed('postgres')
      }
    },
  })
  const cpu = cpuPer(before, sampleCpu(pid), Math.max(1, r.deliveries))
  if (trace) console.log(`  postgres processes (the whole machine's), CPU µs per delivery: ${((sampleProcessesNamed('postgres') - postgresBefore) / Math.max(1, r.deliveries)).toFixed(2)}`)
  if (threadsBefore) console.log(`  threads, CPU µs per delivery: ${threadsPer(threadsBefore, sampleThreads(pid), Math.max(1, r.deliveries))}`)
  return { r, cpu, rss: treeRssMb(pid) }
}

const rows: string[] = []
console.log(`bench:fanout on ${navigator.hardwareConcurrency} cores, Bun ${Bun.version}`)
for (const s of scenarios) {
  if (s.idle) {
    const label = `${s.clients} idle sockets in ${s.rooms} rooms`
    console.log(`\n${label}`)
    const raw = await startRaw()
    const ceilingMb = await idleRow(label, 'raw Bun pub/sub (ceiling)', raw.pid, Array.from({ length: s.clients }, (_, i) => ({ url: `ws://127.0.0.1:${raw.port}/ws/${i % s.rooms}?user=${i}`, room: i % s.rooms })))
    raw.stop()
    for (const target of targets) {
      const db = target === 'PostgreSQL' ? await scratchServerDatabase(PG_URL, 'huddle_bench') : undefined
      if (target === 'PostgreSQL' && !db) continue
      const huddle = await startHuddle(db?.url)
      try {
        await idleRow(label, `huddle, ${target}`, huddle.pid, await prepareHuddle(`http://127.0.0.1:${huddle.port}`, s.clients, s.rooms), ceilingMb)
      } finally {
        await huddle.stop()
        await db?.drop()
      }
    }
    continue
  }
  const label = `${s.clients} clients × ${s.rooms} room(s) × ${s.messages} msgs × ${s.bytes} B${s.intervalMs ? `, one every ${s.intervalMs} ms per client` : ''}`
  console.log(`\n${label}`)
  console.log('target                 deliveries/s  p50 ms   p99 ms   lost  loop µs/d  proc µs/d  ratio (throughput; loop CPU; process CPU)')
  const raw = await startRaw()
  const base = await measured(
    raw.pid,
    Array.from({ length: s.clients }, (_, i) => ({ url: `ws://127.0.0.1:${raw.port}/ws/${i % s.rooms}?user=${i}`, room: i % s.rooms })),
    s,
  )
  const ceiling = base.r
  raw.stop()
  console.log(`raw Bun pub/sub       ${fmt(ceiling, base.cpu)}   1.00  ${base.rss} MB`)
  rows.push(`| ${label} | raw Bun pub/sub (ceiling) | ${Math.round(ceiling.perSecond)} | ${ceiling.p50ms.toFixed(1)} | ${ceiling.p99ms.toFixed(1)} | ${ceiling.lost} | 1.00 | ${base.cpu.mainThreadUs.toFixed(2)} µs | ${base.cpu.processUs.toFixed(2)} µs | ${base.rss} MB |`)
  for (const target of targets) {
    const db = target === 'PostgreSQL' ? await scratchServerDatabase(PG_URL, 'huddle_bench') : undefined
    if (target === 'PostgreSQL' && !db) {
      console.log('PostgreSQL server unreachable: skipped')
      continue
    }
    const huddle = await startHuddle(db?.url)
    try {
      const clients = await prepareHuddle(`http://127.0.0.1:${huddle.port}`, s.clients, s.rooms)
      let scraped: Awaited<ReturnType<typeof scrapeMetrics>> | undefined
      const { r, cpu, rss } = await measured(huddle.pid, clients, s, async () => {
        if (trace) scraped = await scrapeMetrics(`http://127.0.0.1:${huddle.port}`)
      })
      if (scraped) console.log(formatStages(target, stageFigures(scraped, await scrapeMetrics(`http://127.0.0.1:${huddle.port}`))))
      const ratio = (r.perSecond / ceiling.perSecond).toFixed(2)
      const loop = (cpu.mainThreadUs / base.cpu.processUs).toFixed(2)
      const proc = (cpu.processUs / base.cpu.processUs).toFixed(2)
      console.log(`huddle on ${target.padEnd(11)} ${fmt(r, cpu)}   ${ratio}; ${loop}×; ${proc}×  ${rss} MB`)
      rows.push(`| ${label} | huddle, ${target} | ${Math.round(r.perSecond)} | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} | ${r.lost} | ${ratio} | ${cpu.mainThreadUs.toFixed(2)} µs (${loop}×) | ${cpu.processUs.toFixed(2)} µs (${proc}×) | ${rss} MB |`)
    } finally {
      await huddle.stop()
      await db?.drop()
    }
  }
  if (deployment && forDeployment(s)) {
    // The deployment's CPU and memory are not this machine's to read: throughput and latency only.
    const r = await runLoad(await prepareHuddle(deployment, s.clients, s.rooms), s.messages, s.bytes, { intervalMs: s.intervalMs })
    const ratio = (r.perSecond / ceiling.perSecond).toFixed(2)
    console.log(`huddle at ${deployment}  ${Math.round(r.perSecond)} deliveries/s, p50 ${r.p50ms.toFixed(1)} ms, p99 ${r.p99ms.toFixed(1)} ms, ${r.lost} lost; throughput ${ratio}× the ceiling`)
    rows.push(`| ${label} | huddle at ${deployment} | ${Math.round(r.perSecond)} | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} | ${r.lost} | ${ratio} | – | – | – |`)
  }
}
console.log('\nMarkdown:\n| load | target | deliveries/s | p50 ms | p99 ms | lost | throughput ratio | event-loop CPU / delivery | process CPU / delivery | RSS after |\n|---|---|---|---|---|---|---|---|---|---|')
console.log(rows.join('\n'))
if (wantsJson()) printBenchJson(fanoutJsonRows(rows))
process.exit(0)

// bench:fanout:two-process — the cost of the Redis hop. The same clients and load run against
// one huddle process (PostgreSQL server, no Redis: the in-run ceiling) and against two huddle
// processes sharing the database and a Redis server, with every room's clients split across
// the two, so most deliveries cross Redis. Reported: deliveries lost, total server CPU per
// delivery (every huddle process, from /proc, from the moment all sockets are open), its
// ratio to one process, p50/p99 latency. A middle row, one process publishing through
// Redis to itself, separates the cost of the hop from the cost of splitting the clients.
// Redis is this bench's own redis-server on a free port (its CPU is shown apart); traffic
// stays on 127.0.0.1, every phase is bounded in count and time.
// Usage: bun run bench:fanout:two-process [--quick] [--scenario=N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { runLoad, type LoadClient, type LoadResult } from './fanout-load'
import { freePort } from '../test/support/free-port'
import { createTestDatabase } from '../test/support/db'
import { startHuddle } from '../test/support/huddle-process'

const SECRET = 'bench-secret-bench-secret-bench-secret'
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const quick = process.argv.includes('--quick')
const picked = process.argv.find((a) => a.startsWith('--scenario='))?.split('=')[1]
const allScenarios: { clients: number; rooms: number; messages: number; bytes: number; intervalMs?: number }[] = quick
  ? [{ clients: 40, rooms: 4, messages: 10, bytes: 128 }]
  : [
      { clients: 200, rooms: 10, messages: 50, bytes: 128 },
      { clients: 200, rooms: 10, messages: 20, bytes: 128, intervalMs: 250 },
    ]
const scenarios = picked ? [allScenarios[Number(picked) - 1]!] : allScenarios

/** Seconds of CPU (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function startRedis() {
  const port = freePort()
  const dir = mkdtempSync(join(tmpdir(), 'huddle-bench-redis-'))
  const proc = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdout: 'ignore' })
  await Bun.sleep(300)
  return { url: `redis://127.0.0.1:${port}`, pid: proc.pid, stop: async () => (proc.kill(), await proc.exited, rmSync(dir, { recursive: true, force: true })) }
}

async function startServer(databaseUrl: string, redisUrl?: string) {
  const env: Record<string, string> = {
    JWT_SECRET: SECRET, DATABASE_URL: databaseUrl,
    // The per-connection rate limit is a policy, not what this measures.
    WS_MESSAGES_PER_SECOND: '10000', WS_BACKPRESSURE_LIMIT_BYTES: String(64 * 1024 * 1024),
  }
  if (redisUrl) env.REDIS_URL = redisUrl
  const huddle = await startHuddle(env)
  return { port: huddle.port, pid: huddle.proc.pid, stop: () => huddle.stop('SIGTERM') }
}

// A fresh migrated database (from the tests' template) on the server PG_URL names.
async function freshDatabase() {
  process.env.DATABASE_URL = PG_URL
  const db = await createTestDatabase()
  return { url: db.url!, drop: () => db.close() }
}

const token = (i: number) =>
  new SignJWT({ name: `bench ${i}` }).setProtectedHeader({ alg: 'HS256' }).setSubject(`bench-${i}`).setExpirationTime('2h').sign(new TextEncoder().encode(SECRET))

/** Users and rooms made through the first process; client i connects to process i % ports. */
async function prepare(ports: number[], clients: number, rooms: number): Promise<LoadClient[]> {
  const base = `http://127.0.0.1:${ports[0]}`
  const people = await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const t = await token(i)
      const me = (await (await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${t}` } })).json()) as { id: number }
      return { token: t, id: me.id, index: i }
    }),
  )
  const out: LoadClient[] = []
  for (let r = 0; r < rooms; r++) {
    const members = people.filter((p) => p.index % rooms === r)
    const res = await fetch(`${base}/chat/rooms/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${members[0]!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ room_type: 'group', room_name: `bench ${r}`, participant_ids: members.slice(1).map((m) => m.id), max_participants: 1000 }),
    })
    const roomId = ((await res.json()) as { room_id: number }).room_id
    // Alternate within the room so every room has members on every process.
    members.forEach((m, k) => out.push({ url: `ws://127.0.0.1:${ports[k % ports.length]}/chat/ws/${roomId}?token=${m.token}`, room: roomId }))
  }
  return out
}

interface Row {
  result: LoadResult
  usPerDelivery: number
  redisUs?: number
}

async function measure(processes: number, withRedis: boolean, s: (typeof scenarios)[number]): Promise<Row> {
  const db = await freshDatabase()
  const redis = withRedis ? await startRedis() : undefined
  const servers: Array<Awaited<ReturnType<typeof startServer>>> = []
  try {
    for (let i = 0; i < processes; i++) servers.push(await startServer(db.url, redis?.url))
    const clients = await prepare(servers.map((x) => x.port), s.clients, s.rooms)
    // CPU is counted from the moment every socket is open: connecting is not fan-out.
    let before: number[] = []
    let redisBefore = 0
    const onConnected = () => {
      before = servers.map((x) => cpuSeconds(x.pid))
      redisBefore = redis ? cpuSeconds(redis.pid) : 0
    }
    const result = await runLoad(clients, s.messages, s.bytes, { intervalMs: s.intervalMs, onConnected })
    const used = servers.reduce((sum, x, i) => sum + cpuSeconds(x.pid) - before[i]!, 0)
    const redisUsed = redis ? cpuSeconds(redis.pid) - redisBefore : 0
    return { result, usPerDelivery: (used * 1e6) / result.deliveries, redisUs: redis ? (redisUsed * 1e6) / result.deliveries : undefined }
  } finally {
    for (const x of servers) await x.stop()
    await redis?.stop()
    await db.drop()
  }
}

const rows: string[] = []
console.log(`bench:fanout two processes on ${navigator.hardwareConcurrency} cores, Bun ${Bun.version}`)
for (const s of scenarios) {
  const label = `${s.clients} clients × ${s.rooms} room(s) × ${s.messages} msgs × ${s.bytes} B${s.intervalMs ? `, one every ${s.intervalMs} ms per client` : ''}`
  console.log(`\n${label}`)
  console.log('target                      deliveries/s  p50 ms   p99 ms   lost   server CPU µs/delivery  ratio  (redis µs)')
  const one = await measure(1, false, s)
  const oneRedis = await measure(1, true, s)
  const two = await measure(2, true, s)
  for (const [name, row] of [['one process', one], ['one process + Redis', oneRedis], ['two processes + Redis', two]] as const) {
    const r = row.result
    const ratio = (row.usPerDelivery / one.usPerDelivery).toFixed(2)
    console.log(
      `${name.padEnd(27)} ${Math.round(r.perSecond).toString().padStart(9)} ${r.p50ms.toFixed(1).padStart(8)} ${r.p99ms.toFixed(1).padStart(8)} ${String(r.lost).padStart(6)} ${row.usPerDelivery.toFixed(2).padStart(22)} ${ratio.padStart(6)}  ${row.redisUs?.toFixed(2) ?? ''}`,
    )
    rows.push(`| ${name === 'one process' ? label : ''} | huddle, ${name} | ${Math.round(r.perSecond)} | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} | ${r.lost} | ${row.usPerDelivery.toFixed(2)} | ${ratio} | ${row.redisUs?.toFixed(2) ?? '–'} |`)
  }
  console.log(`p99 added by the Redis hop: ${(two.result.p99ms - one.result.p99ms).toFixed(1)} ms`)
}
console.log('\nMarkdown:\n| load | target | deliveries/s | p50 ms | p99 ms | lost | server CPU µs/delivery | ratio to one process | Redis µs/delivery |\n|---|---|---|---|---|---|---|---|---|')
console.log(rows.join('\n'))
process.exit(0)

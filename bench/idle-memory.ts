// Idle memory of `bun start`: the resident memory of the huddle process (and any child) with
// nothing connected, on the embedded database, measured against its 150 MB target. A fresh
// data directory is initialised by a first start that is not counted (PostgreSQL's initdb),
// then huddle is restarted on it `--runs` times, as an operator's later starts would be; each
// start is read once /readyz answers and the process has settled. Also reports the CPU time
// each start took to become ready.
// Usage: bun run bench/idle-memory.ts [--runs=3] [--settle-ms=5000] [--json]
//   PGLITE_SHARED_BUFFERS_MB and BUN_JSC_* pass through to the measured process.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/support/free-port'
import { printBenchJson, wantsJson } from './bench-json'
import { treeRssMb } from './fanout-idle'

const TARGET_MB = 150
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const runs = Number(arg('runs') ?? 3)
const settleMs = Number(arg('settle-ms') ?? 5000)

/** User + system CPU seconds of one process (all its threads), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function waitReady(url: string, ms = 120_000) {
  const deadline = performance.now() + ms
  while (performance.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(50)
  }
  throw new Error(`${url} did not answer within ${ms} ms`)
}

/** Starts huddle on `dataDir`, waits until ready and settled, and returns what it measured. */
async function startOnce(dataDir: string) {
  const port = freePort()
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', AI_PROVIDER: 'offline' }
  delete env.DATABASE_URL
  delete env.REDIS_URL
  const proc = Bun.spawn(['bun', 'run', join(import.meta.dir, '../src/main.ts')], { env, stdout: 'ignore', stderr: 'inherit' })
  try {
    await waitReady(`http://127.0.0.1:${port}/readyz`)
    const readyCpu = cpuSeconds(proc.pid)
    await Bun.sleep(settleMs)
    return { rssMb: treeRssMb(proc.pid), readyCpu }
  } finally {
    proc.kill('SIGTERM')
    await proc.exited
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'huddle-idle-'))
const results: { rssMb: number; readyCpu: number }[] = []
try {
  const first = await startOnce(dataDir)
  console.log(`first start (initialises the data directory, not counted): ${first.rssMb} MB, ${first.readyCpu.toFixed(2)} s CPU to ready`)
  for (let i = 0; i < runs; i++) results.push(await startOnce(dataDir))
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}

const rss = results.map((r) => r.rssMb).sort((a, b) => a - b)
const worst = rss.at(-1)!
console.log(`\nidle RSS of bun start (PGlite, existing data directory, ${settleMs / 1000} s after ready), ${runs} restarts\n`)
console.log('| start | RSS | CPU to ready |')
console.log('|---|---:|---:|')
results.forEach((r, i) => console.log(`| ${i + 1} | ${r.rssMb} MB | ${r.readyCpu.toFixed(2)} s |`))
console.log(`\nhighest ${worst} MB against the ${TARGET_MB} MB target: ${worst <= TARGET_MB ? 'pass' : 'FAIL'}`)

if (wantsJson())
  printBenchJson([
    {
      scenario: `idle bun start, PGlite (${runs} restarts)`,
      metric: 'idle RSS (highest)',
      value: worst,
      ceiling: null,
      ratio: null,
      target: `≤ ${TARGET_MB} MB`,
      pass: worst <= TARGET_MB,
      unit: 'MB',
    },
  ])

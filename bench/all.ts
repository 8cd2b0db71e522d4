// `bun run bench`: every benchmark in its quick form, one after the other, then one table of
// what each measured against its ceiling and target. Each script runs as its own process with
// `--json` and is read from its last stdout line (bench-json.ts); its own output is kept in
// BENCH_OUT_DIR (default: a temporary directory) for the details.
// Usage: bun run bench [--url=http://host:port] [--answers] [--only=rest,fanout,…]
//   --url drives a running deployment for the REST and fan-out scenarios (JWT_SECRET must be
//   its secret, so the bench can mint tokens); the ceilings still run here, on this machine.
//   --answers adds bench:answers (slow: it ingests and asks every labelled question).
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseBenchJson, type BenchRow } from './bench-json'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const url = arg('url')
const only = arg('only')?.split(',')
const outDir = process.env.BENCH_OUT_DIR ?? mkdtempSync(join(tmpdir(), 'huddle-bench-'))
mkdirSync(outDir, { recursive: true })

interface Scenario {
  name: string
  args: string[]
  minutes: number
}

const scenarios: Scenario[] = [
  // Idle memory is of a `bun start` on this machine; a deployment's is its own container's.
  ...(url ? [] : [{ name: 'idle', args: ['bench/idle-memory.ts'], minutes: 3 }]),
  { name: 'fanout', args: ['bench/fanout.ts', '--quick', ...(url ? [`--url=${url}`] : [])], minutes: 10 },
  { name: 'stream', args: ['bench/stream.ts', '--quick', '--db=both'], minutes: 12 },
  { name: 'rest', args: ['bench/rest.ts', '--quick', ...(url ? [`--url=${url}`] : [])], minutes: 15 },
  {
    name: 'rag',
    // Small scale: the labelled documents plus 5,000 synthetic chunks over 2 owners.
    args: ['bench/rag.ts', '--quick'],
    minutes: 10,
  },
  ...(process.argv.includes('--answers') ? [{ name: 'answers', args: ['bench/answers.ts'], minutes: 20 }] : []),
].filter((s) => !only || only.includes(s.name))

const rows: BenchRow[] = []
const problems: string[] = []
const started = performance.now()
for (const s of scenarios) {
  process.stderr.write(`bench ${s.name}: running (at most ${s.minutes} min; output in ${outDir}/${s.name}.log and .err)\n`)
  const t0 = performance.now()
  // Output goes to files, not pipes: a server a failed script leaves behind would hold a pipe open.
  const logPath = join(outDir, `${s.name}.log`)
  const errPath = join(outDir, `${s.name}.err`)
  const proc = Bun.spawn(['bun', 'run', ...s.args, '--json'], {
    cwd: join(import.meta.dir, '..'),
    env: process.env,
    stdout: Bun.file(logPath),
    stderr: Bun.file(errPath),
  })
  const timer = setTimeout(() => proc.kill(), s.minutes * 60_000)
  const code = await proc.exited
  clearTimeout(timer)
  const stdout = await Bun.file(logPath).text()
  const got = parseBenchJson(stdout)
  const seconds = ((performance.now() - t0) / 1000).toFixed(0)
  if (!got) problems.push(`${s.name}: no result (exit ${code}${proc.signalCode ? `, ${proc.signalCode}` : ''} after ${seconds} s; see ${logPath} and ${errPath})`)
  else rows.push(...got)
  process.stderr.write(`bench ${s.name}: ${got ? `${got.length} rows` : 'no result'} in ${seconds} s\n`)
}

const figure = (n: number | null, unit = '') => {
  if (n == null || Number.isNaN(n)) return '–'
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2
  return `${n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit ? ` ${unit}` : ''}`
}
const verdict = (pass: boolean | null) => (pass == null ? '–' : pass ? 'pass' : '**FAIL**')
console.log(`\nbun run bench — ${navigator.hardwareConcurrency} cores, Bun ${Bun.version}, ${((performance.now() - started) / 60_000).toFixed(1)} min${url ? `; REST and fan-out also against ${url}` : ''}\n`)
console.log('| scenario | metric | huddle | ceiling | ratio | target | result |')
console.log('|---|---|---:|---:|---:|---|---|')
for (const r of rows)
  console.log(`| ${r.scenario} | ${r.metric} | ${figure(r.value, r.unit)} | ${figure(r.ceiling, r.unit)} | ${r.ratio == null ? '–' : `${figure(r.ratio)}×`} | ${r.target} | ${verdict(r.pass)} |`)
const failed = rows.filter((r) => r.pass === false).length
console.log(`\n${rows.filter((r) => r.pass).length} pass, ${failed} fail, ${rows.filter((r) => r.pass == null).length} reported only`)
for (const p of problems) console.log(`- ${p}`)
process.exit(problems.length ? 2 : 0)

// bench:stream — what huddle adds to a streamed AI answer. A fake OpenAI server streams
// TOKENS chunks PACE_MS apart; the same clients read that stream directly (the ceiling) and
// through huddle's POST /api/v1/chat/stream/ (a separate process: createApp on PGlite, or on
// the local PostgreSQL server with --db=postgres, provider openai pointed at the fake), one
// after the other in every round. Reported per concurrency: first token and chunk
// inter-arrival at p50/p99 at the client, and huddle minus direct. Traffic stays on
// 127.0.0.1; rounds are fixed and the whole run is bounded by DEADLINE_MS.
// Usage: bun run bench:stream [--quick] [--db=pglite|postgres|both]; BENCH_STREAM_TOKENS=N chunks per stream (50):
// two runs with different N split huddle's CPU per stream into setup and per chunk.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { startFakeOpenAi } from '../test/fakes/fake-openai'
import { repeatedText } from '../test/fakes/fake-script'
import { huddleDelta, measureStream, openAiText, percentile, type StreamSample } from './stream-client'
import { startStreamServer, type StreamServer } from './stream-process'
import { printBenchJson, streamJsonRows, wantsJson } from './bench-json'
import { sampleCpu } from './proc-cpu'

const TOKENS = Number(process.env.BENCH_STREAM_TOKENS ?? 50)
const PACE_MS = 10
const TARGET_ADDED_P99_MS = 5
const quick = process.argv.includes('--quick')
const SCENARIOS = quick ? [{ streams: 1, rounds: 5 }, { streams: 50, rounds: 3 }] : [{ streams: 1, rounds: 20 }, { streams: 200, rounds: 3 }]
const dbArg = process.argv.find((a) => a.startsWith('--db='))?.slice(5) ?? 'pglite'
const DATABASES = dbArg === 'both' ? (['pglite', 'postgres'] as const) : dbArg === 'postgres' ? (['postgres'] as const) : (['pglite'] as const)
const DEADLINE_MS = 5 * 60_000 * DATABASES.length
const STREAM_TIMEOUT_MS = 60_000
const SECRET = 'bench-stream-secret-bench-stream-secret'
const QUESTION = '이번 달 소비 패턴 분석해줘'

const fake = startFakeOpenAi({ script: { text: repeatedText(TOKENS), tokensPerChunk: 1, chunkDelayMs: PACE_MS } })
let current: StreamServer | undefined
const overtime = setTimeout(async () => {
  process.stderr.write(`bench:stream: still running after ${DEADLINE_MS / 1000} s, stopping\n`)
  await current?.stop()
  await fake.stop()
  process.exit(1)
}, DEADLINE_MS)

const maxStreams = Math.max(...SCENARIOS.map((s) => s.streams))
const tokens = await Promise.all(
  Array.from({ length: maxStreams }, (_, i) =>
    new SignJWT({ name: `bench ${i}` }).setProtectedHeader({ alg: 'HS256' }).setSubject(`bench-${i}`).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(SECRET)),
  ),
)
const direct = () =>
  measureStream(`${fake.url}/chat/completions`, {
    headers: { authorization: 'Bearer bench' },
    body: { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: QUESTION }] },
    isText: openAiText,
    timeoutMs: STREAM_TIMEOUT_MS,
  })
const wave = (n: number, run: (i: number) => Promise<StreamSample>) => Promise.all(Array.from({ length: n }, (_, i) => run(i)))
const ms = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(2))

const rows: string[] = []
const notes: string[] = []
for (const db of DATABASES) {
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-bench-stream-'))
  current = await startStreamServer({
    db,
    dataDir,
    env: { JWT_SECRET: SECRET, AI_PROVIDER: 'openai', OPENAI_API_KEY: 'bench', OPENAI_BASE_URL: fake.url, AI_TIMEOUT_MS: String(STREAM_TIMEOUT_MS) },
  })
  const base = current.url
  const viaHuddle = (i: number) =>
    measureStream(`${base}/api/v1/chat/stream/`, {
      headers: { authorization: `Bearer ${tokens[i]}` },
      body: { message: QUESTION },
      isText: huddleDelta,
      timeoutMs: STREAM_TIMEOUT_MS,
    })

  // Warm-up: creates every bench user and their finance room, and lets both paths JIT.
  await wave(Math.min(20, maxStreams), direct)
  await wave(maxStreams, viaHuddle)

  for (const { streams, rounds } of SCENARIOS) {
    const got = { direct: [] as StreamSample[], huddle: [] as StreamSample[] }
    let huddleCpuUs = 0
    for (let r = 0; r < rounds; r++) {
      // Alternate which path goes first so neither always runs on a fresher machine.
      const order = r % 2 === 0 ? (['direct', 'huddle'] as const) : (['huddle', 'direct'] as const)
      for (const path of order) {
        const before = path === 'huddle' ? sampleCpu(current.pid).processUs : 0
        got[path].push(...(await wave(streams, path === 'direct' ? direct : viaHuddle)))
        if (path === 'huddle') huddleCpuUs += sampleCpu(current.pid).processUs - before
      }
    }
    const stats = (list: StreamSample[]) => {
      const first = list.map((s) => s.firstToken)
      const gaps = list.flatMap((s) => s.gaps)
      return { f50: percentile(first, 50), f99: percentile(first, 99), g50: percentile(gaps, 50), g99: percentile(gaps, 99), n: gaps.length }
    }
    const d = stats(got.direct)
    const h = stats(got.huddle)
    const short = [...got.direct, ...got.huddle].filter((s) => s.chunks !== TOKENS).length
    if (short > 0) notes.push(`${db}, ${streams} streams: ${short} stream(s) did not deliver ${TOKENS} chunks`)
    const label = `${streams} | ${db}`
    rows.push(
      `| ${label} | direct (ceiling) | ${ms(d.f50)} | ${ms(d.f99)} | ${ms(d.g50)} | ${ms(d.g99)} | ${d.n} |`,
      `| ${label} | huddle | ${ms(h.f50)} | ${ms(h.f99)} | ${ms(h.g50)} | ${ms(h.g99)} | ${h.n} |`,
      `| ${label} | **added** | ${ms(h.f50 - d.f50)} | ${ms(h.f99 - d.f99)} | ${ms(h.g50 - d.g50)} | **${ms(h.g99 - d.g99)}** | p99 gap ratio ${(h.g99 / d.g99).toFixed(2)}× |`,
    )
    // Where in a stream huddle's late chunks fall tells start-up work (early) from steady cost.
    const late = new Array(10).fill(0)
    for (const s of got.huddle) s.gaps.forEach((g, i) => (g > 2 * PACE_MS ? late[Math.floor((i / s.gaps.length) * 10)]++ : 0))
    const firsts = got.huddle.map((s) => s.firstToken)
    notes.push(
      `${db}, ${streams} stream(s): huddle gaps over ${2 * PACE_MS} ms by tenth of the stream: ${late.join(' ')}; first tokens from ${ms(Math.min(...firsts))} to ${ms(Math.max(...firsts))} ms; huddle's CPU ${ms(huddleCpuUs / 1000 / (streams * rounds))} ms per stream`,
    )
    if (streams === maxStreams) {
      const added = h.g99 - d.g99
      notes.push(`${db}: target added p99 chunk delay < ${TARGET_ADDED_P99_MS} ms at ${streams} streams → ${added < TARGET_ADDED_P99_MS ? 'met' : 'NOT met'} (${ms(added)} ms)`)
    }
  }
  await current.stop()
  current = undefined
  rmSync(dataDir, { recursive: true, force: true })
}

clearTimeout(overtime)
await fake.stop()
console.log(`bench:stream — ${TOKENS} chunks ${PACE_MS} ms apart from a fake OpenAI server; huddle in its own process; times in ms at the client`)
console.log(`rounds: ${SCENARIOS.map((s) => `${s.streams} stream(s) × ${s.rounds}`).join(', ')}; ${navigator.hardwareConcurrency} CPUs visible\n`)
console.log('| streams | database | path | first token p50 | first token p99 | chunk gap p50 | chunk gap p99 | gaps |')
console.log('|---:|---|---|---:|---:|---:|---:|---:|')
for (const row of rows) console.log(row)
console.log('')
for (const note of notes) console.log(note)
if (wantsJson()) printBenchJson(streamJsonRows(rows, TARGET_ADDED_P99_MS))

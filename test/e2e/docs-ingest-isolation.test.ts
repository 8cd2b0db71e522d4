import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { makeDocx } from '../fixtures/docx-fixtures'
import { makeHostileDocx, makeHostilePdf, makeHostilePptx } from '../fixtures/hostile-documents'
import { signToken, startHuddle, type HuddleProcess } from '../support/huddle-process'

// Hostile uploads through POST /api/ingest of a real huddle process (`bun start` on its own
// PGlite data directory, which has pgvector in every run), with /healthz asked back to back
// meanwhile and the process's RSS read as an operator sees it.
const SECRET = 'ingest-isolation-secret-0123456789'
/** The stated bound: a hostile upload may grow the server's RSS by at most this much. */
const RSS_GROWTH_BOUND_MB = 512
/**
 * Each hostile upload is refused within this much of the server's CPU time (every thread; the
 * document worker's included). CPU time, not wall time: on a machine busy with other test files
 * the wall time of the same work stretched past any fixed bound (9.4 s against 8 s once).
 */
const REFUSAL_CPU_MS = 8000
const HEALTHZ_P99_MS = 50

let server: HuddleProcess
let base = ''
let token = ''
/** /healthz p99 of the idle server: the machine's own scheduling noise, which the bound allows on top. */
let idleP99 = 0

/** The CPU time the server process has used so far (all its threads, ended ones too), in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** The server's resident set size in MB, read from /proc as the kernel counts it. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!
  return Number(line.split(/\s+/)[1]) / 1024
}

beforeAll(async () => {
  server = await startHuddle({ JWT_SECRET: SECRET, RATE_LIMIT_DOCS_INGEST_PER_MINUTE: '1000' })
  base = server.base
  token = await signToken(SECRET, 'isolation-uploader')
  idleP99 = p99((await observed(base, server.proc.pid, () => Bun.sleep(500))).latencies)
}, 90_000)

afterAll(async () => {
  await server?.stop('SIGKILL')
})

function upload(url: string, bearer: string, bytes: Uint8Array, name: string) {
  const form = new FormData()
  form.append('file', new File([bytes], name))
  return fetch(`${url}/api/ingest`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form, signal: AbortSignal.timeout(60_000) })
}

async function documentCount(): Promise<number> {
  const res = await fetch(`${base}/api/documents`, { headers: { authorization: `Bearer ${token}` } })
  return ((await res.json()) as unknown[]).length
}

/**
 * Runs `work` while /healthz is asked back to back and the server's RSS is sampled; returns
 * the work's result, every healthz latency, and the largest RSS growth seen.
 */
async function observed<T>(url: string, pid: number, work: () => Promise<T>) {
  const latencies: number[] = []
  const startRss = rssMb(pid)
  let peakRss = startRss
  let done = false
  const prober = (async () => {
    while (!done) {
      const t0 = performance.now()
      const res = await fetch(`${url}/healthz`)
      await res.arrayBuffer()
      latencies.push(performance.now() - t0)
      peakRss = Math.max(peakRss, rssMb(pid))
      await Bun.sleep(5)
    }
  })()
  try {
    return { result: await work(), latencies, growthMb: () => peakRss - startRss }
  } finally {
    done = true
    await prober
  }
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1]!

/**
 * How long /healthz may take while a document is processed: 50 ms over the idle server's own
 * p99, or a quarter of the processing time when the machine is so busy (other test files run
 * on the same cores) that everything stretches. Work on the event loop would hold a probe for
 * most of the processing time, far above either.
 */
const healthzBound = (idleP99: number, workMs: number) => Math.max(HEALTHZ_P99_MS + idleP99, workMs / 4)

test('hostile DOCX, PPTX and PDF of 1.3 million paragraphs are refused within seconds, storing nothing, with RSS bounded and /healthz answering', async () => {
  const hostile: [string, Uint8Array][] = [
    ['hostile.docx', makeHostileDocx()],
    ['hostile.pptx', makeHostilePptx()],
    ['hostile.pdf', await makeHostilePdf()],
  ]
  const before = await documentCount()
  for (const [name, bytes] of hostile) {
    const run = await observed(base, server.proc.pid, async () => {
      const t0 = performance.now()
      const cpu0 = cpuMs(server.proc.pid)
      const res = await upload(base, token, bytes, name)
      const body = (await res.json()) as { error?: string }
      return { status: res.status, body, ms: performance.now() - t0, cpuMs: cpuMs(server.proc.pid) - cpu0 }
    })
    const { status, body, ms, cpuMs: spent } = run.result
    expect({ name, status }).toEqual({ name, status: 400 })
    expect(body.error).toMatch(/more than 50000 paragraphs/)
    expect(spent).toBeLessThan(REFUSAL_CPU_MS)
    expect(run.growthMb()).toBeLessThan(RSS_GROWTH_BOUND_MB)
    expect(p99(run.latencies)).toBeLessThan(healthzBound(idleP99, ms))
  }
  expect(await documentCount()).toBe(before)
}, 120_000)

test('a large legitimate DOCX is stored while /healthz keeps answering', async () => {
  // 1,000 paragraphs of varied text: a hundred chunks and more, each embedded and stored with
  // its vector, a second or more of work during which /healthz is asked dozens of times.
  const blocks = Array.from({ length: 1_000 }, (_, i) =>
    i % 200 === 0 ? { heading: `Section ${i / 200 + 1}` } : `Paragraph ${i} explains the maintenance step ${i} of the pump, valve ${i % 97} and filter ${i % 13}.`,
  )
  const bytes = await makeDocx(blocks)
  const run = await observed(base, server.proc.pid, async () => {
    const t0 = performance.now()
    const res = await upload(base, token, bytes, 'pump-manual.docx')
    return { status: res.status, body: (await res.json()) as { chunks?: number }, ms: performance.now() - t0 }
  })
  expect(run.result.status).toBe(200)
  expect(run.result.body.chunks!).toBeGreaterThan(100)
  expect(run.latencies.length).toBeGreaterThan(20)
  expect(p99(run.latencies)).toBeLessThan(healthzBound(idleP99, run.result.ms))
}, 120_000)

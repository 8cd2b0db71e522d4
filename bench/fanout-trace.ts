// bench:fanout --trace: where a message waits inside huddle. The server records each stored
// message's time per stage in `huddle_message_stage_seconds` (see message-service.ts); this
// reads /metrics before and after a load and reports, per stage, the mean and the p50/p99
// interpolated within the histogram's buckets, plus the mean group-commit batch.

export type Scrape = Map<string, number>

const LINE = /^([a-z_]+)(?:\{([^}]*)\})? ([0-9.eE+-]+|\+Inf|NaN)$/

/** The metrics this report reads, keyed by name and labels as exposed. */
export async function scrapeMetrics(base: string): Promise<Scrape> {
  const text = await (await fetch(`${base}/metrics`)).text()
  const out: Scrape = new Map()
  for (const line of text.split('\n')) {
    if (!line.startsWith('huddle_message_stage_seconds') && !line.startsWith('huddle_message_batch_size')) continue
    const m = LINE.exec(line)
    if (m) out.set(`${m[1]}{${m[2] ?? ''}}`, Number(m[3]))
  }
  return out
}

export const STAGES = ['accept', 'queue', 'insert', 'resume', 'publish'] as const

/** Quantile `q` of a cumulative histogram (upper bounds → counts), linear within a bucket. */
function quantile(buckets: [number, number][], q: number): number {
  const total = buckets.at(-1)?.[1] ?? 0
  if (total === 0) return NaN
  const rank = q * total
  let prevBound = 0
  let prevCount = 0
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(bound)) return prevBound
      const inBucket = count - prevCount
      return prevBound + (inBucket > 0 ? ((rank - prevCount) / inBucket) * (bound - prevBound) : 0)
    }
    prevBound = bound
    prevCount = count
  }
  return prevBound
}

export interface StageFigure {
  stage: string
  count: number
  meanMs: number
  p50Ms: number
  p99Ms: number
}

/** Per-stage figures of the messages stored between two scrapes. */
export function stageFigures(before: Scrape, after: Scrape): { stages: StageFigure[]; meanBatch: number } {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0)
  const stages = STAGES.map((stage) => {
    const label = `stage="${stage}"`
    const buckets: [number, number][] = []
    for (const key of after.keys()) {
      const m = key.startsWith('huddle_message_stage_seconds_bucket{') && key.includes(label) ? /le="([^"]+)"/.exec(key) : null
      if (m) buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), delta(key)])
    }
    buckets.sort((a, b) => a[0] - b[0])
    const count = delta(`huddle_message_stage_seconds_count{${label}}`)
    const sum = delta(`huddle_message_stage_seconds_sum{${label}}`)
    return { stage, count, meanMs: count ? (sum / count) * 1000 : NaN, p50Ms: quantile(buckets, 0.5) * 1000, p99Ms: quantile(buckets, 0.99) * 1000 }
  })
  const batches = delta('huddle_message_batch_size_count{}')
  return { stages, meanBatch: batches ? delta('huddle_message_batch_size_sum{}') / batches : NaN }
}

export function formatStages(target: string, figures: ReturnType<typeof stageFigures>): string {
  const lines = figures.stages.map(
    (f) => `  ${target.padEnd(11)} ${f.stage.padEnd(8)} ${String(f.count).padStart(7)} msgs  mean ${f.meanMs.toFixed(3).padStart(8)} ms  p50 ${f.p50Ms.toFixed(3).padStart(8)}  p99 ${f.p99Ms.toFixed(3).padStart(8)}`,
  )
  return [...lines, `  ${target.padEnd(11)} mean group-commit batch ${figures.meanBatch.toFixed(1)} messages`].join('\n')
}

// The contract between the bench scripts and `bun run bench` (bench/all.ts): given `--json`,
// a script prints as its last stdout line `BENCH_JSON {"rows":[…]}` with one row per
// measured figure.

export interface BenchRow {
  scenario: string
  metric: string
  value: number
  /** The same figure for the ceiling measured in the same run, when there is one. */
  ceiling: number | null
  /** value / ceiling (or the script's own ratio, e.g. throughput ceiling / huddle), when there is one. */
  ratio: number | null
  /** What passing means, in words (`≤ 1.5×`, `≥ 0.5×`, `≤ 5 ms`). */
  target: string
  pass: boolean | null
  unit: string
}

export const BENCH_JSON_PREFIX = 'BENCH_JSON '

export const wantsJson = () => process.argv.includes('--json')

/** Prints the rows as the script's last stdout line. */
export function printBenchJson(rows: BenchRow[]): void {
  process.stdout.write(`${BENCH_JSON_PREFIX}${JSON.stringify({ rows })}\n`)
}

/** Reads the rows a script printed (its last BENCH_JSON line); undefined when there is none. */
export function parseBenchJson(stdout: string): BenchRow[] | undefined {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(BENCH_JSON_PREFIX))
  return line ? (JSON.parse(line.slice(BENCH_JSON_PREFIX.length)) as { rows: BenchRow[] }).rows : undefined
}

/** The cells of a markdown table row (`| a | b |` → ['a', 'b']), emphasis removed. */
const cells = (row: string) => row.split('|').slice(1, -1).map((c) => c.trim().replace(/\*\*/g, ''))
const num = (cell: string | undefined) => Number.parseFloat((cell ?? '').replace(/,/g, ''))

/**
 * bench:fanout's rows from its markdown result rows: throughput and process CPU per delivery
 * against raw Bun pub/sub for the closed-loop scenarios, p99 for the fixed-rate ones.
 */
export function fanoutJsonRows(markdown: string[]): BenchRow[] {
  const out: BenchRow[] = []
  const ceilings = new Map<string, string[]>()
  for (const row of markdown.map(cells).filter((c) => c.length >= 10)) {
    const [label, target, perSecond, , p99, , , loopCpu, processCpu] = row as [string, string, string, string, string, string, string, string, string]
    if (target.includes('ceiling')) {
      ceilings.set(label, row)
      continue
    }
    const ceiling = ceilings.get(label)
    if (!ceiling) continue
    const db = target.replace(/^huddle, /, '')
    const scenario = `fanout ${label}, ${db}`
    if (target.startsWith('huddle at ')) {
      // A deployment driven with --url: its figures include the network and its own limits, so
      // they are reported against the local ceiling, not judged by this machine's targets.
      const metric = label.includes('one every') ? 'p99 latency' : 'throughput'
      const [value, base, unit] = metric === 'throughput' ? [num(perSecond), num(ceiling[2]), 'deliveries/s'] : [num(p99), num(ceiling[4]), 'ms']
      out.push({ scenario, metric, value, ceiling: base, ratio: value / base, target: 'report', pass: null, unit })
      continue
    }
    if (label.includes('one every')) {
      out.push({ scenario, metric: 'p99 latency', value: num(p99), ceiling: num(ceiling[4]), ratio: num(p99) / num(ceiling[4]), target: '≤ 5 ms', pass: num(p99) <= 5, unit: 'ms' })
      continue
    }
    const rate = num(perSecond) / num(ceiling[2])
    out.push({ scenario, metric: 'throughput', value: num(perSecond), ceiling: num(ceiling[2]), ratio: rate, target: '≥ 0.5×', pass: rate >= 0.5, unit: 'deliveries/s' })
    const limit = label.includes('× 1 room(s)') ? 1.3 : db === 'PGlite' ? 5 : 2
    // A ceiling under one clock tick of CPU gives no ratio: reported, not judged.
    const cpu = num(ceiling[8]) > 0 ? num(processCpu) / num(ceiling[8]) : null
    out.push({ scenario, metric: 'process CPU per delivery', value: num(processCpu), ceiling: num(ceiling[8]), ratio: cpu, target: `≤ ${limit}×`, pass: cpu == null ? null : cpu <= limit, unit: 'µs' })
    // On the embedded database the event loop has its own target (the database runs beside it).
    if (db === 'PGlite' && limit === 5) {
      const loop = num(ceiling[8]) > 0 ? num(loopCpu) / num(ceiling[8]) : null
      out.push({ scenario, metric: 'event-loop CPU per delivery', value: num(loopCpu), ceiling: num(ceiling[8]), ratio: loop, target: '≤ 3×', pass: loop == null ? null : loop <= 3, unit: 'µs' })
    }
  }
  return out
}

/** bench:stream's rows from its markdown result rows: the added p99 chunk gap per concurrency and database. */
export function streamJsonRows(markdown: string[], targetMs: number): BenchRow[] {
  const out: BenchRow[] = []
  const direct = new Map<string, number>()
  for (const [streams, db, path, , , , g99] of markdown.map(cells)) {
    const key = `${streams} | ${db}`
    if (path?.startsWith('direct')) direct.set(key, num(g99))
    if (path !== 'added') continue
    const ceiling = direct.get(key) ?? null
    const value = num(g99)
    out.push({
      scenario: `stream ${streams} stream(s), ${db}`, metric: 'added p99 chunk gap', value, ceiling,
      ratio: ceiling ? (ceiling + value) / ceiling : null, target: `≤ ${targetMs} ms`, pass: value <= targetMs, unit: 'ms',
    })
  }
  return out
}

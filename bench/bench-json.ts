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

// `bun run test`: every test file, in parallel worker processes, slowest first (their last
// durations are kept in node_modules/.cache/huddle-test-timings.json); arguments are passed on
// to `bun test`. On embedded PGlite the run is CPU-bound, so one worker per core; against a
// PostgreSQL server the workers wait on it and on the processes the tests start (measured on
// 2 cores: 25.6 s with 2 workers, 22 s with 3; on PGlite 3 workers were slower, 33.7 against
// 31.8 s), so one more.
import { availableParallelism } from 'node:os'

const workers = availableParallelism() + (process.env.DATABASE_URL ? 1 : 0)
const proc = Bun.spawn(
  [
    process.execPath, 'test', '--timeout', '30000', `--parallel=${workers}`, '--no-isolate',
    '--timings=node_modules/.cache/huddle-test-timings.json', '--update-timings', ...process.argv.slice(2),
  ],
  { stdio: ['inherit', 'inherit', 'inherit'] },
)
process.exit(await proc.exited)

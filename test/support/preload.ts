// Loaded before every test file (bunfig.toml). Tests build their own config through
// test/support/app.ts; nothing here reads the developer's environment except
// DATABASE_URL and REDIS_URL, which choose the real servers to test against.
process.env.TZ = 'UTC'

import { afterAll } from 'bun:test'
import { closeIdleTestDatabases, prepareTestDatabases } from './db'

// The migrated template is built here, once, before any test file runs: a cold build takes
// several seconds, and inside a hook it would count against whichever file opened a database
// first, which then failed on a fresh clone's first run.
const TEMPLATE_BUDGET_MS = 180_000
let timer: ReturnType<typeof setTimeout> | undefined
await Promise.race([
  prepareTestDatabases(),
  new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`building the test database template took over ${TEMPLATE_BUDGET_MS} ms`)), TEMPLATE_BUDGET_MS)
  }),
]).finally(() => clearTimeout(timer))

// Databases kept for reuse between test apps (see createTestDatabase) end with the run; on the
// server they would otherwise stay behind as huddle_t_* databases. A `--parallel` worker runs
// this file's afterAll after every test file and is then ended without any hook, so there the
// databases are kept for its next file (starting a new one costs ~0.5 s of CPU) and the next
// run drops the server's leftovers (see prepareTestDatabases).
if (!process.env.BUN_TEST_WORKER_ID) afterAll(closeIdleTestDatabases)

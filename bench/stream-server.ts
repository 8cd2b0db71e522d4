// The huddle process of bench:stream: createApp on the database DATABASE_URL / DATA_DIR name
// (PGlite in the bench), listening on 127.0.0.1 on a free port, which it prints as one JSON
// line. It stops when its stdin closes, so it never outlives the bench that started it, and
// after MAX_LIFETIME_MS in any case.
import { loadConfig } from '../src/config'
import { createApp } from '../src/app'
import { openDatabase } from '../src/platform/db/client'
import { migrate } from '../src/platform/db/migrate'
import { createLogger } from '../src/platform/logger'
import { resolveJwtSecret } from '../src/modules/auth/jwt-secret'

const MAX_LIFETIME_MS = 10 * 60_000

const config = loadConfig()
const logger = createLogger({ level: 'warn', base: { service: 'huddle-bench' } })
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
await migrate(database)
const jwtSecret = resolveJwtSecret({ secret: config.jwt.secret, secretBase64: config.jwt.secretBase64, dataDir: config.dataDir }, logger)
const runtime = await createApp({ config, database, logger, jwtSecret })
runtime.app.listen({ hostname: '127.0.0.1', port: 0 })
const server = runtime.app.server!
runtime.attach(server)
process.stdout.write(JSON.stringify({ port: server.port, driver: database.driver }) + '\n')

// BENCH_STALL_PROBE=1: how long the event loop's turns were, from a 1 ms interval's lateness
// (a turn that held the loop shows as one late tick), and the heap after each, printed on stop.
const stalls: { at: number; ms: number; heapMb: number }[] = []
if (process.env.BENCH_STALL_PROBE === '1') {
  let last = performance.now()
  setInterval(() => {
    const now = performance.now()
    if (now - last > 10) stalls.push({ at: Math.round(now), ms: Math.round(now - last), heapMb: Math.round(process.memoryUsage().heapUsed / 1e6) })
    last = now
  }, 1).unref()
}

let stopping = false
async function stop(): Promise<never> {
  if (!stopping) {
    stopping = true
    if (stalls.length) process.stderr.write(`stall probe: ${stalls.length} turns over 10 ms: ${JSON.stringify(stalls.slice(0, 400))}\n`)
    runtime.markShuttingDown()
    await server.stop(true)
    await runtime.shutdown()
    await database.close()
  }
  process.exit(0)
}
setTimeout(stop, MAX_LIFETIME_MS).unref()
process.on('SIGTERM', () => void stop())
for await (const _ of Bun.stdin.stream()) {
  // Nothing is ever written; the loop ends when the bench closes the pipe or exits.
}
await stop()

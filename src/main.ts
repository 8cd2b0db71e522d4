import { ConfigError, loadConfig } from './config'
import { createLogger } from './platform/logger'
import { openDatabase } from './platform/db/client'
import { migrate } from './platform/db/migrate'
import { resolveJwtSecret } from './modules/auth/jwt-secret'
import { createApp } from './app'
import { announceReady, onSupervisorGone, startSupervisor } from './platform/supervisor'

/** `bun start --workers N` is `WORKERS=N bun start`. */
function workersArgument(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--workers' || a.startsWith('--workers='))
  if (i < 0) return undefined
  return argv[i]!.includes('=') ? argv[i]!.split('=')[1] : (argv[i + 1] ?? '')
}

/** Whether `port` on `host` is taken now (checked before the database is opened and migrated). */
function portTaken(port: number, host: string): boolean {
  if (port === 0) return false
  try {
    Bun.listen({ hostname: host, port, socket: { data() {} } }).stop(true)
    return false
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') return true
    throw error
  }
}

function refuseTakenPort(config: { port: number; host: string }) {
  process.stderr.write(
    `Port ${config.port} on ${config.host} is already in use (another huddle?). Stop that process or set another PORT; ` +
      `to run several huddle processes on one port, use WORKERS=N (see README "Several processes").\n`,
  )
}

/** Starts huddle: config, database, migrations, listen; stops gracefully on SIGTERM/SIGINT. */
async function main() {
  let config
  try {
    const workers = workersArgument(process.argv.slice(2))
    config = loadConfig(workers === undefined ? process.env : { ...process.env, WORKERS: workers })
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + '\n')
      process.exit(2)
    }
    throw e
  }
  const logger = createLogger({ level: config.logLevel, base: { service: 'huddle', pid: process.pid } })
  if (config.processes.workers > 1) return supervise(config.processes.workers, logger)
  // A second huddle on a taken port stops here, before it opens (and migrates) the database;
  // the listen below still refuses a port taken in between.
  if (!config.processes.reusePort && portTaken(config.port, config.host)) {
    refuseTakenPort(config)
    process.exit(1)
  }
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedMemory: { sharedBuffersMb: config.pgliteSharedBuffersMb },
  })
  await migrate(database)
  logger.info('database ready', {
    driver: database.driver,
    vector: database.hasVector,
    ...(database.driver === 'pglite' ? { dataDir: config.dataDir } : {}),
  })
  if (!database.hasVector) logger.warn('the vector extension is not installed: document search will answer 503')

  const jwtSecret = resolveJwtSecret({ secret: config.jwt.secret, secretBase64: config.jwt.secretBase64, dataDir: config.dataDir }, logger)
  const runtime = await createApp({ config, database, logger, jwtSecret })
  const maxBody = Math.max(config.http.bodyMaxBytes, config.http.uploadMaxBytes) + 1024 * 1024
  try {
    // Elysia asks Bun for SO_REUSEPORT unless told otherwise; with it, a second process on a
    // taken port would silently take half of the new connections. Only the supervisor's
    // workers share a port (REUSE_PORT, set by it).
    runtime.app.listen({ port: config.port, hostname: config.host, maxRequestBodySize: maxBody, reusePort: config.processes.reusePort })
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error
    refuseTakenPort(config)
    await runtime.shutdown()
    await database.close()
    process.exit(1)
  }
  const server = runtime.app.server!
  runtime.attach(server)
  logger.info('listening', { url: `http://${config.host}:${server.port}`, ai: config.ai.provider, docs: '/swagger' })
  announceReady()

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    runtime.markShuttingDown()
    // Stop accepting, let in-flight requests finish; sockets would keep the server open, so
    // they are closed (1001) meanwhile. Then flush the accepted writes and close the stores.
    const stopped = server.stop(false)
    await runtime.closeSockets()
    await stopped
    await runtime.shutdown()
    await database.close()
    logger.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
  onSupervisorGone(() => void stop('supervisor gone'))
}

/** `WORKERS=N`: this process supervises N workers that share the port, and serves nothing itself. */
async function supervise(workers: number, logger: ReturnType<typeof createLogger>) {
  const command = [process.execPath, ...process.execArgv, Bun.main]
  logger.info('starting workers', { workers })
  let supervisor
  try {
    supervisor = await startSupervisor({ workers, command, env: process.env, logger })
  } catch (error) {
    logger.error('the first worker did not start', { error })
    process.exit(1)
  }
  let stopping = false
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info('stopping workers', { signal })
    await supervisor.stop(signal)
    logger.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

await main()

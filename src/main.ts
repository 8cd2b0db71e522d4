import { ConfigError, loadConfig } from './config'
import { createLogger } from './platform/logger'
import { openDatabase } from './platform/db/client'
import { migrate } from './platform/db/migrate'
import { resolveJwtSecret } from './modules/auth/jwt-secret'
import { createApp } from './app'

/** Starts huddle: config, database, migrations, listen; stops gracefully on SIGTERM/SIGINT. */
async function main() {
  let config
  try {
    config = loadConfig()
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + '\n')
      process.exit(2)
    }
    throw e
  }
  const logger = createLogger({ level: config.logLevel, base: { service: 'huddle', pid: process.pid } })
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
  runtime.app.listen({ port: config.port, hostname: config.host, maxRequestBodySize: maxBody })
  const server = runtime.app.server!
  runtime.attach(server)
  logger.info('listening', { url: `http://${config.host}:${server.port}`, ai: config.ai.provider, docs: '/swagger' })

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
}

await main()

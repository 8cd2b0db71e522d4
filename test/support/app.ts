import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { loadConfig, type Config } from '../../src/config'
import { createApp, type AppRuntime } from '../../src/app'
import { silentLogger, type Logger } from '../../src/platform/logger'
import type { Database } from '../../src/platform/db/client'
import { createTestDatabase } from './db'

export const TEST_SECRET = 'test-secret-of-at-least-32-bytes!!'

/** A Response whose JSON is untyped, as tests assert on shapes rather than declare them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> }

export interface TestApp {
  runtime: AppRuntime
  app: AppRuntime['app']
  config: Config
  database: Database
  dataDir: string
  /** Every SQL statement the app sent, in order (clear it to count one action's queries). */
  queries: string[]
  /** Sends a request through `app.handle` (no socket); `json` sets the body and content-type. */
  request(method: string, path: string, init?: { token?: string; json?: unknown; body?: RequestInit['body']; headers?: Record<string, string> }): Promise<TestResponse>
  /** An HS256 token for `subject` signed with the test secret (extra claims merged in). */
  token(subject: string | number, claims?: Record<string, unknown>): Promise<string>
  /** A user created by their first token: the token, the integer id and the name. */
  user(subject: string | number, name?: string): Promise<{ token: string; id: number; uid: string; name: string }>
  /** Starts a real listening server on a free port (for WebSocket and stream tests). */
  listen(): Promise<string>
  close(): Promise<void>
}

/** Removes a test app's Redis namespace (presence, limits) once it has stopped. */
async function deleteRedisKeys(url: string, prefix: string) {
  const { default: Redis } = await import('ioredis')
  const redis = new Redis(url, { lazyConnect: true })
  try {
    await redis.connect()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      cursor = next
      if (keys.length) await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

/** A whole huddle on a fresh database, configured from `env` on top of test defaults. */
export async function createTestApp(env: Record<string, string> = {}, options: { logger?: Logger; clock?: () => number } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-test-'))
  // Each test app has its own database, so room ids repeat across apps: give each its own
  // Redis namespace too, or one file's sockets would hear another's rooms.
  const config = loadConfig({
    JWT_SECRET: TEST_SECRET,
    DATA_DIR: dataDir,
    AI_PROVIDER: 'offline',
    // The cheapest argon2id: production's cost (~0.2 s of CPU a hash) would be most of the
    // account tests' time. The test that times a login sets production's cost again.
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_TIME_COST: '1',
    REDIS_PREFIX: `huddle-test:${crypto.randomUUID().slice(0, 8)}:`,
    // REDIS_URL in the environment puts every test app's hub, presence and limits on Redis.
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  })
  const queries: string[] = []
  const database = await createTestDatabase({ onQuery: (sql) => queries.push(sql) })
  const runtime = await createApp({
    config,
    database,
    logger: options.logger ?? silentLogger,
    jwtSecret: new TextEncoder().encode(TEST_SECRET),
    clock: options.clock,
  })
  let listening = false
  const testApp: TestApp = {
    runtime,
    app: runtime.app,
    config,
    database,
    dataDir,
    queries,
    request(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers }
      if (init.token) headers.authorization = `Bearer ${init.token}`
      let body = init.body
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json'
        body = JSON.stringify(init.json)
      }
      return runtime.app.handle(new Request(`http://localhost${path}`, { method, headers, body }))
    },
    token: (subject, claims = {}) =>
      new SignJWT({ name: `user ${subject}`, ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(subject))
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(TEST_SECRET)),
    async user(subject, name) {
      const token = await testApp.token(subject, name ? { name } : {})
      const me = await (await testApp.request('GET', '/api/auth/me', { token })).json()
      return { token, id: me.id, uid: me.uid, name: me.name }
    },
    async listen() {
      runtime.app.listen({ port: 0, hostname: '127.0.0.1' })
      runtime.attach(runtime.app.server!)
      listening = true
      return `http://127.0.0.1:${runtime.app.server!.port}`
    },
    async close() {
      runtime.markShuttingDown()
      if (listening) await runtime.app.stop(true)
      await runtime.shutdown()
      await database.close()
      rmSync(dataDir, { recursive: true, force: true })
      if (config.redisUrl) await deleteRedisKeys(config.redisUrl, config.redisPrefix)
    },
  }
  return testApp
}

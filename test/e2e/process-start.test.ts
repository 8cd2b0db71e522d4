import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestDatabase } from '../support/db'
import { freePort } from '../support/free-port'
import { startHuddle, type HuddleProcess } from '../support/huddle-process'
import { isAlive } from '../support/process-alive'

// How huddle processes come to share a port: only on purpose (WORKERS=N), never by accident.
const SECRET = 'process-start-secret-0123456789'

test('a second process on a taken port fails at start with a clear message', async () => {
  const port = freePort()
  // The first server asks for SO_REUSEPORT, as a huddle of old (Elysia's default) did: a
  // second huddle that also asked would have silently shared the port with it.
  const first = Bun.serve({ port, hostname: '127.0.0.1', reusePort: true, fetch: () => new Response('first') })
  try {
    // Refused before it opens a database, so its data directory is left empty.
    const second = await startHuddle({ PORT: String(port), JWT_SECRET: SECRET }, { waitReady: false, emptyDataDir: true })
    expect(await second.proc.exited).toBe(1)
    expect(second.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`)
    expect(second.stderr()).toContain('WORKERS=N')
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('first')
  } finally {
    first.stop(true)
  }
}, 30_000)

test('WORKERS=N (or --workers N) is refused at start without DATABASE_URL and REDIS_URL', async () => {
  for (const [env, args] of [[{ WORKERS: '2' }, []], [{}, ['--workers', '2']]] as const) {
    // Refused while reading its configuration, before any database: no data directory to unpack.
    const p = await startHuddle({ ...env, JWT_SECRET: SECRET }, { waitReady: false, emptyDataDir: true, args: [...args] })
    expect(await p.proc.exited).toBe(2)
    expect(p.stderr()).toContain('WORKERS > 1 needs DATABASE_URL and REDIS_URL')
  }
}, 30_000)

const serverRun = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL)

describe.skipIf(!serverRun)('WORKERS=2: a supervisor and two processes sharing one port', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let supervisor: HuddleProcess | undefined
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await supervisor?.stop('SIGKILL')
    await db?.close()
  })

  const startSupervisor = () =>
    startHuddle({
      WORKERS: '2',
      DATABASE_URL: db.url!,
      REDIS_URL: process.env.REDIS_URL!,
      REDIS_PREFIX: `test:workers:${crypto.randomUUID().slice(0, 8)}:`,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'info',
    })
  const listening = (p: HuddleProcess) => p.logs().filter((l) => l.msg === 'listening').map((l) => l.pid as number)

  test('starts both, restarts one that dies, and forwards SIGTERM to all', async () => {
    supervisor = await startSupervisor()
    const until = async (what: string, predicate: () => boolean) => {
      for (let i = 0; i < 300 && !predicate(); i++) await Bun.sleep(50)
      if (!predicate()) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(supervisor!.logs()).slice(0, 2000)}`)
    }
    await until('two workers listening', () => listening(supervisor!).length === 2)
    const [w1, w2] = listening(supervisor)
    expect(w1).not.toBe(w2)
    expect(w1).not.toBe(supervisor.proc.pid)

    process.kill(w1!, 'SIGKILL')
    await until('a replacement worker listening', () => listening(supervisor!).length === 3)
    const w3 = listening(supervisor).at(-1)!
    expect(isAlive(w3)).toBe(true)
    expect((await fetch(`${supervisor.base}/readyz`)).ok).toBe(true)

    expect(await supervisor.stop('SIGTERM')).toBe(0)
    expect(isAlive(w2!)).toBe(false)
    expect(isAlive(w3)).toBe(false)
    expect(supervisor.logs().filter((l) => l.msg === 'stopped').map((l) => l.pid).sort()).toEqual([w2, w3, supervisor.proc.pid].sort())
  }, 60_000)

  test('workers whose supervisor was killed stop gracefully instead of serving unsupervised', async () => {
    const orphaned = await startSupervisor()
    try {
      for (let i = 0; i < 300 && listening(orphaned).length < 2; i++) await Bun.sleep(50)
      const workers = listening(orphaned)
      expect(workers).toHaveLength(2)
      await orphaned.stop('SIGKILL')
      for (let i = 0; i < 200 && workers.some(isAlive); i++) await Bun.sleep(50)
      expect(workers.filter(isAlive)).toEqual([])
    } finally {
      for (const pid of listening(orphaned)) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
    }
  }, 60_000)
})

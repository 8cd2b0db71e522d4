import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { openSocket } from '../support/ws-client'
import { freePort } from '../support/free-port'
import { createTestDatabase } from '../support/db'

// A real huddle process on its own data directory (PGlite, or the test server's database
// when DATABASE_URL is set): SIGTERM must store every accepted message, close sockets with
// 1001 and exit 0; a restart on the same data finds them all.
const SECRET = 'shutdown-secret-shutdown-secret-123'
const dataDir = mkdtempSync(join(tmpdir(), 'huddle-shutdown-'))
let serverDb: Awaited<ReturnType<typeof createTestDatabase>> | undefined
beforeAll(async () => {
  if (process.env.DATABASE_URL) serverDb = await createTestDatabase()
})
afterAll(async () => {
  await serverDb?.close()
  rmSync(dataDir, { recursive: true, force: true })
})


async function start(port: number) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, JWT_SECRET: SECRET, LOG_LEVEL: 'warn' }
  delete env.REDIS_URL
  if (serverDb?.url) env.DATABASE_URL = serverDb.url
  const proc = Bun.spawn(['bun', 'run', join(import.meta.dir, '../../src/main.ts')], { env, stdout: 'ignore', stderr: 'pipe' })
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return proc
    } catch {}
    await Bun.sleep(100)
  }
  proc.kill()
  throw new Error('huddle did not start')
}

const token = (sub: string) => new SignJWT({ name: sub }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET))

test('SIGTERM stores every accepted message, closes sockets with 1001 and exits 0', async () => {
  const port = freePort()
  const base = `http://127.0.0.1:${port}`
  const first = await start(port)
  const [a, b] = await Promise.all([token('shutdown-a'), token('shutdown-b')])
  const bId = ((await (await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${b}` } })).json()) as any).id
  const room: any = await (
    await fetch(`${base}/chat/rooms/`, { method: 'POST', headers: { authorization: `Bearer ${a}`, 'content-type': 'application/json' }, body: JSON.stringify({ room_type: 'direct', participant_ids: [bId] }) })
  ).json()
  const socket = await openSocket(`ws://127.0.0.1:${port}/chat/ws/${room.room_id}?token=${b}`)

  const sends = Array.from({ length: 40 }, (_, i) =>
    fetch(`${base}/chat/rooms/${room.room_id}/messages/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message_content: `m${i}`, message_type: 'text' }),
    }).then((r) => (r.status === 201 ? r.json() : undefined), () => undefined),
  )
  await Bun.sleep(5)
  first.kill('SIGTERM')
  const accepted = (await Promise.all(sends)).filter(Boolean) as { message_id: number }[]
  expect(await first.exited).toBe(0)
  expect((await socket.closed).code).toBe(1001)

  const second = await start(port)
  try {
    const list: any = await (await fetch(`${base}/chat/rooms/${room.room_id}/messages/?size=200`, { headers: { authorization: `Bearer ${a}` } })).json()
    const stored = new Set(list.messages.map((m: { message_id: number }) => m.message_id))
    for (const m of accepted) expect(stored.has(m.message_id)).toBe(true)
  } finally {
    second.kill('SIGTERM')
    await second.exited
  }
}, 60_000)

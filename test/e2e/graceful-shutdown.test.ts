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
/** Every huddle this file started; one left running by a failed test is killed at the end. */
const started: ReturnType<typeof Bun.spawn>[] = []
afterAll(async () => {
  for (const p of started) if (p.exitCode === null) p.kill('SIGKILL')
  await serverDb?.close()
  rmSync(dataDir, { recursive: true, force: true })
})


async function start(port: number) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, JWT_SECRET: SECRET, LOG_LEVEL: 'warn', WS_MESSAGES_PER_SECOND: '1000' }
  delete env.REDIS_URL
  if (serverDb?.url) env.DATABASE_URL = serverDb.url
  const proc = Bun.spawn(['bun', 'run', join(import.meta.dir, '../../src/main.ts')], { env, stdout: 'ignore', stderr: 'pipe' })
  started.push(proc)
  // A first start runs initdb and the migrations: seconds when the machine is quiet, far more
  // when it is busy. Wait for readiness or for the process to die, within the test's budget.
  while (proc.exitCode === null) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return proc
    } catch {}
    await Bun.sleep(100)
  }
  throw new Error(`huddle exited with ${proc.exitCode} before it was ready: ${await new Response(proc.stderr).text()}`)
}

const token = (sub: string) => new SignJWT({ name: sub }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET))

/** Acknowledgements to wait for on each path before SIGTERM, so the test always has something to check. */
const ACKED_BEFORE_STOP = 10
/** Socket frames sent, unanswered, right before SIGTERM: they are in flight while the server stops. */
const IN_FLIGHT_FRAMES = 20

test('SIGTERM stores every acknowledged message (REST and socket, some in flight), closes sockets with 1001 and exits 0', async () => {
  const port = freePort()
  const base = `http://127.0.0.1:${port}`
  const first = await start(port)
  const [a, b] = await Promise.all([token('shutdown-a'), token('shutdown-b')])
  const auth = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' })
  const bId = ((await (await fetch(`${base}/api/auth/me`, { headers: auth(b) })).json()) as any).id
  const room: any = await (await fetch(`${base}/chat/rooms/`, { method: 'POST', headers: auth(a), body: JSON.stringify({ room_type: 'direct', participant_ids: [bId] }) })).json()
  const sender = await openSocket(`ws://127.0.0.1:${port}/chat/ws/${room.room_id}?token=${b}`)

  // REST: four senders post one message after another until the server stops answering;
  // a 201 is an acknowledgement, and so the promise that the message is stored.
  const restAcked: number[] = []
  let restEnough!: () => void
  const restReady = new Promise<void>((r) => (restEnough = r))
  const restSender = async (w: number) => {
    for (let i = 0; ; i++) {
      const res = await fetch(`${base}/chat/rooms/${room.room_id}/messages/`, {
        method: 'POST',
        headers: auth(a),
        body: JSON.stringify({ message_content: `rest ${w}.${i}`, message_type: 'text' }),
      }).catch(() => undefined)
      if (res?.status !== 201) return
      restAcked.push(((await res.json()) as { message_id: number }).message_id)
      if (restAcked.length >= ACKED_BEFORE_STOP) restEnough()
    }
  }
  const restSenders = Promise.all([0, 1, 2, 3].map(restSender))

  // Socket: frames one after another, each acknowledged by its own `message` event.
  const socketAck = (id: string) => sender.next((e) => e.type === 'message' && e.client_msg_id === id, 10_000)
  for (let i = 0; i < ACKED_BEFORE_STOP; i++) {
    sender.send({ type: 'message', content: `ws ${i}`, client_msg_id: `ws-${i}` })
    await socketAck(`ws-${i}`)
  }
  await restReady
  for (let i = 0; i < IN_FLIGHT_FRAMES; i++) sender.send({ type: 'message', content: `ws late ${i}`, client_msg_id: `ws-late-${i}` })
  first.kill('SIGTERM')

  await restSenders
  expect(await first.exited).toBe(0)
  expect((await sender.closed).code).toBe(1001)
  const socketAcked = sender.events.filter((e) => e.type === 'message' && e.sender_id === bId).map((e) => e.message_id as number)
  expect(restAcked.length).toBeGreaterThanOrEqual(ACKED_BEFORE_STOP)
  expect(socketAcked.length).toBeGreaterThanOrEqual(ACKED_BEFORE_STOP)

  const second = await start(port)
  try {
    const all: { message_id: number; message_content: string }[] = []
    for (let page = 1; ; page++) {
      const list: any = await (await fetch(`${base}/chat/rooms/${room.room_id}/messages/?size=200&page=${page}`, { headers: auth(a) })).json()
      all.push(...list.messages)
      if (!list.has_more) break
    }
    const stored = new Set(all.map((m) => m.message_id))
    expect(restAcked.filter((id) => !stored.has(id))).toEqual([])
    expect(socketAcked.filter((id) => !stored.has(id))).toEqual([])
    // Nothing is stored twice, and nothing appears that nobody sent.
    const contents = all.map((m) => m.message_content)
    expect(new Set(contents).size).toBe(contents.length)
    expect(contents.every((c) => /^(rest \d+\.\d+|ws \d+|ws late \d+)$/.test(c))).toBe(true)
  } finally {
    second.kill('SIGTERM')
    await second.exited
  }
}, 150_000)

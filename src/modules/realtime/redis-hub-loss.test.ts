import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Redis from 'ioredis'
import { createRedisHub } from './redis-hub'
import { CLOSE_CODES } from './protocol'
import { openClient, startHubServer, waitUntil } from './test-kit'
import { freePort } from '../../../test/support/free-port'

// Redis pub/sub forgets what it could not deliver: while a process's subscriber connection
// is down, its sockets silently miss the other processes' events. When the bus comes back,
// every hub must close its sockets with 1012 so clients reconnect with `?since=`. The Redis
// server here is this test's own, on a free port; the shared one is never touched.
const port = freePort()
const dir = mkdtempSync(join(tmpdir(), 'huddle-redis-loss-'))
let server: ReturnType<typeof Bun.spawn> | undefined

async function startRedis() {
  server = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdout: 'pipe', stderr: 'pipe' })
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
  probe.on('error', () => {})
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect()
      await probe.ping()
      probe.disconnect()
      return
    } catch {
      await Bun.sleep(50)
    }
  }
  throw new Error('redis-server did not start')
}

async function stopRedis() {
  server?.kill('SIGKILL')
  await server?.exited
}

afterAll(async () => {
  await stopRedis()
  rmSync(dir, { recursive: true, force: true })
})

// Each "process" gets its own connection, retrying the way the app's does.
const connect = () => {
  const redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 50, 200) })
  redis.on('error', () => {})
  return redis
}

test.skipIf(!Bun.which('redis-server'))('after the bus was lost and is back, every socket is closed with 1012', async () => {
  await startRedis()
  const [redisA, redisB] = [connect(), connect()]
  const hubA = await createRedisHub({ redis: redisA, channelPrefix: 'loss:' })
  const hubB = await createRedisHub({ redis: redisB, channelPrefix: 'loss:' })
  const srvA = startHubServer(hubA)
  const srvB = startHubServer(hubB)
  try {
    const onA = await openClient(`${srvA.url}?topic=room`)
    const onB = await openClient(`${srvB.url}?topic=room`)
    await hubA.publish('room', { type: 'typing', user_id: 1, user_name: 'before', is_typing: true })
    await onB.waitForCount(1)

    await stopRedis()
    // Published during the outage: A's own socket gets it, B's cannot, and A is told.
    await expect(hubA.publish('room', { type: 'typing', user_id: 1, user_name: 'during', is_typing: true })).rejects.toThrow('realtime bus is unavailable')
    await onA.waitForCount(2)
    expect(onB.received).toHaveLength(1)
    expect(onB.closed).toBeNull()

    await startRedis()
    await waitUntil(() => onA.closed !== null && onB.closed !== null, 'both sockets closed after Redis returned', 10_000)
    expect(onA.closed!.code).toBe(CLOSE_CODES.SERVICE_RESTART)
    expect(onB.closed!.code).toBe(CLOSE_CODES.SERVICE_RESTART)

    // A reconnecting client is served through the bus again.
    const again = await openClient(`${srvB.url}?topic=room`)
    await hubA.publish('room', { type: 'typing', user_id: 1, user_name: 'after', is_typing: true })
    await again.waitForCount(1)
    expect(again.received).toEqual([{ type: 'typing', user_id: 1, user_name: 'after', is_typing: true }])
    again.close()
  } finally {
    srvA.stop()
    srvB.stop()
    await hubA.close()
    await hubB.close()
    redisA.disconnect()
    redisB.disconnect()
  }
}, 30_000)

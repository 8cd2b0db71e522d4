/**
 * Real servers and clients for the realtime and rate-limit tests: a Bun.serve WebSocket
 * server wired to a hub on an ephemeral port, browser-style WebSocket clients, a raw TCP
 * client that completes the handshake and then stops reading (a slow consumer), and a
 * Redis connection that fails loudly when Redis is unreachable. Not used by the app.
 */
import type { Server, ServerWebSocket, Socket } from 'bun'
import Redis from 'ioredis'
import { realtimeSocketOptions, type RealtimeSocketConfig } from './connection'
import type { Hub } from './hub'

/** Polls `predicate` until it holds; throws with `what` after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(2)
  }
}

interface SocketData {
  topics: string[]
}

/** A listening server whose every socket subscribes through the hub under test. */
export interface HubTestServer {
  server: Server<SocketData>
  /** `ws://127.0.0.1:{port}/ws`; add `?topic=a&topic=b` to subscribe. */
  url: string
  /** Close codes seen by the server's close handler, in order. */
  closes: Array<{ code: number; reason: string }>
  /** Server-side sockets that are open now. */
  sockets: Set<ServerWebSocket<SocketData>>
  stop(): void
}

/** A Bun.serve WebSocket server on port 0 whose sockets subscribe through `hub`. */
export function startHubServer(hub: Hub, config: RealtimeSocketConfig = {}): HubTestServer {
  const closes: Array<{ code: number; reason: string }> = []
  const sockets = new Set<ServerWebSocket<SocketData>>()
  const server = Bun.serve<SocketData>({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req, srv) {
      const topics = new URL(req.url).searchParams.getAll('topic')
      if (srv.upgrade(req, { data: { topics } })) return undefined
      return new Response('upgrade required', { status: 426 })
    },
    websocket: {
      ...realtimeSocketOptions(config),
      open(ws) {
        sockets.add(ws)
        for (const topic of ws.data.topics) hub.subscribe(ws, topic)
      },
      message() {},
      close(ws, code, reason) {
        sockets.delete(ws)
        hub.unsubscribeAll(ws)
        closes.push({ code, reason })
      },
    },
  })
  hub.attachServer(server)
  return { server, url: `ws://127.0.0.1:${server.port}/ws`, closes, sockets, stop: () => server.stop(true) }
}

/** A client that records every frame and its close code. */
export interface TestClient {
  /** Every text frame received, parsed as JSON, in arrival order. */
  received: unknown[]
  /** Set once the socket closed. */
  closed: { code: number; reason: string } | null
  /** Resolves once `count` frames have arrived. */
  waitForCount(count: number): Promise<void>
  close(): void
}

/** A standard WebSocket client connected to `url`; resolves once open. */
export async function openClient(url: string): Promise<TestClient> {
  const ws = new WebSocket(url)
  const client: TestClient = {
    received: [],
    closed: null,
    waitForCount: (count) => waitUntil(() => client.received.length >= count, `${count} frames`),
    close: () => ws.close(),
  }
  ws.onmessage = (e) => client.received.push(JSON.parse(String(e.data)))
  ws.onclose = (e) => (client.closed = { code: e.code, reason: e.reason })
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve()
    ws.onerror = () => reject(new Error(`could not connect to ${url}`))
  })
  return client
}

/**
 * A client that completes the WebSocket handshake and then never reads again, so the
 * server's writes pile up first in the kernel, then in the socket's own buffer.
 */
export async function openStalledClient(url: string): Promise<{ end(): void }> {
  const target = new URL(url)
  let upgraded!: () => void
  const ready = new Promise<void>((resolve) => (upgraded = resolve))
  const socket: Socket<undefined> = await Bun.connect({
    hostname: target.hostname,
    port: Number(target.port),
    socket: {
      open(s) {
        s.write(
          `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\n` +
            `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        )
      },
      data(s) {
        s.pause()
        upgraded()
      },
    },
  })
  await ready
  return { end: () => socket.end() }
}

/** REDIS_URL or the local Redis; connecting fails the test instead of retrying forever. */
export async function connectTestRedis(): Promise<Redis> {
  const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
  } catch (err) {
    redis.disconnect()
    throw new Error(`Redis is required for this test and is unreachable: ${(err as Error).message}`)
  }
  return redis
}

/** A key prefix unique to one test run, so parallel runs never share keys. */
export const uniquePrefix = (what: string) => `test:${what}:${crypto.randomUUID().slice(0, 8)}:`

/** Deletes every key under `prefix`. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) await redis.del(...keys)
  } while (cursor !== '0')
}

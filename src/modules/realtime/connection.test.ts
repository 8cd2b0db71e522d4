import { afterEach, describe, expect, test } from 'bun:test'
import type { ServerWebSocket } from 'bun'
import { realtimeSocketOptions, safeSend, type RealtimeSocketConfig } from './connection'
import { createFrameRateLimiter } from './frame-rate-limiter'
import { openClient, openStalledClient, waitUntil } from './test-kit'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

/** A server that keeps its open sockets and the close codes it saw, with our socket options. */
function startServer(config: RealtimeSocketConfig = {}) {
  const sockets: ServerWebSocket<undefined>[] = []
  const closes: number[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req, srv) {
      if (srv.upgrade(req, { data: undefined })) return undefined
      return new Response('upgrade required', { status: 426 })
    },
    websocket: {
      ...realtimeSocketOptions(config),
      open: (ws) => void sockets.push(ws),
      message: (ws, msg) => void ws.send(`echo:${String(msg).length}`),
      close: (_ws, code) => void closes.push(code),
    },
  })
  cleanups.push(() => server.stop(true))
  return { url: `ws://127.0.0.1:${server.port}/`, sockets, closes }
}

describe('safeSend', () => {
  test('closes a client that stopped reading with 4009 once its buffer passes the bound', async () => {
    const srv = startServer()
    const stalled = await openStalledClient(srv.url)
    cleanups.push(() => stalled.end())
    await waitUntil(() => srv.sockets.length === 1, 'the socket to open')
    const ws = srv.sockets[0]!
    const frame = 'y'.repeat(64 * 1024)
    let accepted = 0
    // 64 KB frames: the kernel takes a few MB, then the 256 KB bound trips long before 4,000.
    while (accepted < 4000 && safeSend(ws, frame, { maxBufferedBytes: 256 * 1024, maxBackpressuredSends: 1000 })) {
      accepted += 1
      if (accepted % 16 === 0) await Bun.sleep(1)
    }
    expect(accepted).toBeLessThan(4000)
    expect(srv.closes).toEqual([4009])
    expect(safeSend(ws, 'more')).toBe(false)
  })

  test('closes after repeated backpressured sends even below the byte bound', async () => {
    const srv = startServer()
    const stalled = await openStalledClient(srv.url)
    cleanups.push(() => stalled.end())
    await waitUntil(() => srv.sockets.length === 1, 'the socket to open')
    const ws = srv.sockets[0]!
    const frame = 'z'.repeat(64 * 1024)
    let accepted = 0
    while (accepted < 4000 && safeSend(ws, frame, { maxBufferedBytes: 64 * 1024 * 1024, maxBackpressuredSends: 3 })) {
      accepted += 1
      if (accepted % 16 === 0) await Bun.sleep(1)
    }
    expect(srv.closes).toEqual([4009])
    expect(ws.getBufferedAmount()).toBeLessThan(64 * 1024 * 1024)
  })

  test('a reading client receives what safeSend sends', async () => {
    const srv = startServer()
    const client = await openClient(srv.url)
    cleanups.push(() => client.close())
    await waitUntil(() => srv.sockets.length === 1, 'the socket to open')
    expect(safeSend(srv.sockets[0]!, JSON.stringify({ type: 'error', detail: 'bad frame' }))).toBe(true)
    await client.waitForCount(1)
    expect(client.received).toEqual([{ type: 'error', detail: 'bad frame' }])
  })
})

describe('realtimeSocketOptions', () => {
  test('defaults: 64 KB frames, a hard backpressure stop at twice the 1 MB bound, pings', () => {
    expect(realtimeSocketOptions()).toEqual({
      maxPayloadLength: 64 * 1024,
      backpressureLimit: 2 * 1024 * 1024,
      closeOnBackpressureLimit: true,
      idleTimeout: 60,
      sendPings: true,
      publishToSelf: false,
      perMessageDeflate: false,
    })
  })

  test('refuses settings Bun would clamp silently', () => {
    expect(() => realtimeSocketOptions({ idleTimeoutSeconds: 961 })).toThrow(RangeError)
    expect(() => realtimeSocketOptions({ maxFrameBytes: 0 })).toThrow(RangeError)
  })

  test('a frame over the limit closes the socket with 1009; one at the limit is handled', async () => {
    const srv = startServer({ maxFrameBytes: 1024 })
    const ws = new WebSocket(srv.url)
    const frames: string[] = []
    let closeCode = 0
    ws.onmessage = (e) => frames.push(String(e.data))
    ws.onclose = (e) => (closeCode = e.code)
    await new Promise((resolve) => (ws.onopen = resolve))
    ws.send('a'.repeat(1024))
    await waitUntil(() => frames.length === 1, 'the echo')
    ws.send('a'.repeat(1025))
    await waitUntil(() => closeCode !== 0, 'the close')
    expect(frames).toEqual(['echo:1024'])
    expect(closeCode).toBe(1009)
  })
})

describe('createFrameRateLimiter', () => {
  test('accepts a burst, then the sustained rate', () => {
    let t = 0
    const limiter = createFrameRateLimiter({ framesPerSecond: 2, burst: 3, maxViolations: 100, now: () => t })
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual(['accept', 'accept', 'accept', 'reject'])
    t = 499
    expect(limiter.take()).toBe('reject')
    t = 500
    expect(limiter.take()).toBe('accept')
    t = 10_000
    expect(Array.from({ length: 4 }, () => limiter.take())).toEqual(['accept', 'accept', 'accept', 'reject'])
  })

  test('repeated violations within the window turn into a close; old ones are forgiven', () => {
    let t = 0
    const limiter = createFrameRateLimiter({
      framesPerSecond: 0.001,
      burst: 1,
      maxViolations: 2,
      violationWindowMs: 1000,
      now: () => t,
    })
    expect(limiter.take()).toBe('accept')
    expect(limiter.take()).toBe('reject')
    t = 600
    expect(limiter.take()).toBe('reject')
    expect(limiter.take()).toBe('close')
    t = 1700
    expect(limiter.take()).toBe('reject')
  })
})

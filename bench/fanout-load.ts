// The load side of bench:fanout: C WebSocket clients in R rooms each send M messages of S
// bytes (at most WINDOW unacknowledged at a time; a client's own echo is its ack) and record
// every delivery's end-to-end latency from the sender's clock.

export interface LoadClient {
  url: string
  room: number
}

export interface LoadResult {
  deliveries: number
  expected: number
  lost: number
  seconds: number
  perSecond: number
  p50ms: number
  p99ms: number
}

const WINDOW = 4
const now = () => performance.timeOrigin + performance.now()

function percentile(sorted: Float64Array, p: number) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/**
 * Runs one load against already-prepared client URLs; resolves when every delivery arrived or
 * time ran out. Closed loop by default (at most WINDOW unacknowledged sends per client, as fast
 * as acks come back: throughput); with `intervalMs` each client sends on a fixed clock instead
 * (open loop: latency at a known rate).
 */
export async function runLoad(clients: LoadClient[], messages: number, bytes: number, options: { intervalMs?: number; timeoutMs?: number; onConnected?: () => void } = {}): Promise<LoadResult> {
  const timeoutMs = options.timeoutMs ?? 120_000
  const perRoom = new Map<number, number>()
  for (const c of clients) perRoom.set(c.room, (perRoom.get(c.room) ?? 0) + 1)
  const expected = clients.reduce((sum, c) => sum + perRoom.get(c.room)! * messages, 0)
  const latencies = new Float64Array(expected)
  let received = 0
  let lastAt = 0
  let finish!: () => void
  const done = new Promise<void>((r) => (finish = r))

  const sockets = await Promise.all(
    clients.map(
      (c, index) =>
        new Promise<{ ws: WebSocket; index: number }>((resolve, reject) => {
          const ws = new WebSocket(c.url)
          ws.onopen = () => resolve({ ws, index })
          ws.onerror = () => reject(new Error(`client ${index} could not connect`))
        }),
    ),
  )

  const padding = 'x'.repeat(Math.max(0, bytes - 40))
  const state = sockets.map(() => ({ sent: 0, acked: 0 }))
  const sendOne = (i: number) => {
    const s = state[i]!
    s.sent++
    sockets[i]!.ws.send(JSON.stringify({ type: 'message', content: `${i}:${s.sent}:${now()}|${padding}`, message_type: 'text' }))
  }
  const sendNext = (i: number) => {
    if (options.intervalMs) return
    const s = state[i]!
    while (s.sent < messages && s.sent - s.acked < WINDOW) sendOne(i)
  }

  for (const { ws, index } of sockets) {
    ws.onmessage = (m) => {
      const text = String(m.data)
      if (!text.includes('"type":"message"')) return
      const at = text.indexOf('"content":"') + 11
      const bar = text.indexOf('|', at)
      const [sender, , sentAt] = text.slice(at, bar).split(':')
      const t = now()
      if (received < expected) latencies[received] = t - Number(sentAt)
      received++
      lastAt = t
      if (Number(sender) === index) {
        state[index]!.acked++
        sendNext(index)
      }
      if (received >= expected) finish()
    }
  }

  options.onConnected?.()
  const started = now()
  const timers: ReturnType<typeof setInterval>[] = []
  if (options.intervalMs) {
    // Spread the clients' clocks over one interval so sends do not arrive in bursts.
    sockets.forEach((_, i) =>
      setTimeout(() => {
        sendOne(i)
        const timer = setInterval(() => (state[i]!.sent < messages ? sendOne(i) : clearInterval(timer)), options.intervalMs)
        timers.push(timer)
      }, (i * options.intervalMs!) / sockets.length),
    )
  } else for (let i = 0; i < sockets.length; i++) sendNext(i)
  await Promise.race([done, Bun.sleep(timeoutMs)])
  for (const timer of timers) clearInterval(timer)
  const seconds = ((received > 0 ? lastAt : now()) - started) / 1000
  for (const { ws } of sockets) ws.close()
  const got = latencies.subarray(0, Math.min(received, expected)).sort()
  return {
    deliveries: received,
    expected,
    lost: Math.max(0, expected - received),
    seconds,
    perSecond: received / seconds,
    p50ms: percentile(got, 50),
    p99ms: percentile(got, 99),
  }
}

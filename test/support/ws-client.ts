/** A real WebSocket client for tests: collects every event and waits for the ones asked for. */
export interface TestSocket {
  ws: WebSocket
  events: any[]
  /** Resolves with the first event (received so far or later) matching `match` not yet taken. */
  next(match?: (e: any) => boolean, timeoutMs?: number): Promise<any>
  /**
   * Waits for the first not-yet-taken event matching `sentinel` and returns the events that
   * arrived from index `from` (take it from `events.length` before acting) up to it: send a
   * marker after the thing that must not arrive, and assert on what came before the marker.
   */
  before(from: number, sentinel: (e: any) => boolean, timeoutMs?: number): Promise<any[]>
  /**
   * Waits `ms` and returns the events that arrived meanwhile. Prefer `before` with a sentinel:
   * a fixed window passes whenever the unwanted event is merely late.
   */
  quiet(ms?: number): Promise<any[]>
  send(frame: unknown): void
  closed: Promise<{ code: number; reason: string }>
  close(): Promise<void>
}

/** Opens `url`; rejects when the upgrade is refused (status in the error message). */
export function openSocket(url: string): Promise<TestSocket> {
  return new Promise((resolveOpen, rejectOpen) => {
    const ws = new WebSocket(url)
    const events: any[] = []
    const taken = new Set<number>()
    const waiters: { match: (e: any) => boolean; resolve: (e: any) => void }[] = []
    let resolveClosed!: (v: { code: number; reason: string }) => void
    const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r))
    const offer = (index: number) => {
      const e = events[index]
      const w = waiters.findIndex((w) => w.match(e))
      if (w >= 0) {
        taken.add(index)
        waiters.splice(w, 1)[0]!.resolve(e)
      }
    }
    ws.onmessage = (m) => {
      let e: unknown
      try {
        e = JSON.parse(String(m.data))
      } catch {
        e = { raw: String(m.data) }
      }
      events.push(e)
      offer(events.length - 1)
    }
    ws.onclose = (c) => {
      resolveClosed({ code: c.code, reason: c.reason })
      rejectOpen(new Error(`socket closed before open: ${c.code}`))
    }
    ws.onerror = () => rejectOpen(new Error('socket error (upgrade refused?)'))
    ws.onopen = () => {
      const socket: TestSocket = {
        ws,
        events,
        closed,
        next(match = () => true, timeoutMs = 3000) {
          for (let i = 0; i < events.length; i++) {
            if (!taken.has(i) && match(events[i])) {
              taken.add(i)
              return Promise.resolve(events[i])
            }
          }
          return new Promise((resolve, reject) => {
            const waiter = { match, resolve }
            waiters.push(waiter)
            setTimeout(() => {
              const at = waiters.indexOf(waiter)
              if (at >= 0) {
                waiters.splice(at, 1)
                reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events).slice(0, 500)}`))
              }
            }, timeoutMs)
          })
        },
        async before(from, sentinel, timeoutMs) {
          const marker = await socket.next(sentinel, timeoutMs)
          return events.slice(from, events.indexOf(marker))
        },
        async quiet(ms = 150) {
          const from = events.length
          await Bun.sleep(ms)
          return events.slice(from)
        },
        send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
        async close() {
          if (ws.readyState === WebSocket.OPEN) ws.close()
          await closed
        },
      }
      resolveOpen(socket)
    }
  })
}

/**
 * Connects to `url` as a browser would and waits for the server to close the socket:
 * whether the upgrade was accepted, the close code and reason, and every frame received.
 */
export function refusal(url: string, timeoutMs = 3000): Promise<{ opened: boolean; code: number; reason: string; frames: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const frames: string[] = []
    let opened = false
    const timer = setTimeout(() => {
      ws.close()
      reject(new Error(`socket not closed by the server within ${timeoutMs} ms (opened: ${opened}, frames: ${frames.length})`))
    }, timeoutMs)
    ws.onopen = () => (opened = true)
    ws.onmessage = (m) => frames.push(String(m.data))
    ws.onclose = (c) => {
      clearTimeout(timer)
      resolve({ opened, code: c.code, reason: c.reason, frames })
    }
  })
}

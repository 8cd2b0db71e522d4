// bench:fanout idle-sockets scenario: N sockets opened as real clients would (authenticated,
// each a member of its room, joined), then left idle; the server's memory is read from /proc.
import { readdirSync, readFileSync } from 'node:fs'

/** Resident memory of a process and every descendant (a PostgreSQL server's own is not one). */
export function treeRssMb(pid: number): number {
  let kb = 0
  const walk = (p: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0)
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim()
        for (const c of children ? children.split(' ') : []) walk(Number(c))
      }
    } catch {
      // The process ended between reads.
    }
  }
  walk(pid)
  return Math.round(kb / 1024)
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function bounded<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i]!, i)
      }
    }),
  )
  return out
}

export interface IdleResult {
  opened: number
  failed: number
  seconds: number
  rssBeforeMb: number
  rssAfterMb: number
}

/**
 * Opens every URL (at most `concurrency` handshakes at once, the whole phase bounded by
 * `timeoutMs`), waits `settleMs` with all of them idle, reads the server tree's RSS, then
 * closes them. Every event a socket receives meanwhile (presence) is read and dropped.
 */
export async function holdIdleSockets(pid: number, urls: string[], options: { concurrency?: number; timeoutMs?: number; settleMs?: number } = {}): Promise<IdleResult> {
  const rssBeforeMb = treeRssMb(pid)
  const started = performance.now()
  const deadline = started + (options.timeoutMs ?? 180_000)
  const sockets: WebSocket[] = []
  let failed = 0
  await bounded(urls, options.concurrency ?? 100, async (url) => {
    if (performance.now() > deadline) return void failed++
    const ok = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(url)
      const timer = setTimeout(() => resolve(false), 30_000)
      ws.onopen = () => (clearTimeout(timer), sockets.push(ws), resolve(true))
      ws.onclose = () => (clearTimeout(timer), resolve(false))
      ws.onmessage = () => {}
    })
    if (!ok) failed++
  })
  const seconds = (performance.now() - started) / 1000
  await Bun.sleep(options.settleMs ?? 3000)
  // A socket the server closed at once (refused) counts as failed, not as held.
  const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length
  const rssAfterMb = treeRssMb(pid)
  for (const ws of sockets) ws.close()
  await Bun.sleep(500)
  return { opened: open, failed: failed + (sockets.length - open), seconds, rssBeforeMb, rssAfterMb }
}

/**
 * Starts the embedded database (PGlite) on its own thread, serving the PostgreSQL wire
 * protocol on a unix socket (see pglite-worker.ts). The socket lives in DATA_DIR/private
 * (owner-only; the protocol has no password here), or in a fresh owner-only temporary
 * directory for in-memory databases and data directories whose path is too long for a socket.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { WorkerStart } from './pglite-worker'

/** Memory bounds of the embedded database. */
export interface EmbeddedMemory {
  /** PostgreSQL's shared_buffers (page cache) in MB; the default keeps idle RSS small. */
  sharedBuffersMb?: number
}

/**
 * The page cache's default size. Every MB of it becomes resident once pages pass through it
 * (the ANALYZE at start fills it) and stays so, since a WASM heap never shrinks; a page that
 * is not cached is read from the operating system's file cache. At 4 MB, storing messages and
 * reading pages cost what they did at 16 MB within the benches' run-to-run spread.
 */
export const DEFAULT_SHARED_BUFFERS_MB = 4

export interface Embedded {
  socketPath: string
  dump(): Promise<Blob>
  /** Stops serving and closes PGlite (its data is flushed), then ends the thread. */
  close(): Promise<void>
}

/**
 * PGlite's WASM compiled once per process and handed to each thread (test files open many
 * databases); compiling it in every new thread costs about a second. Its file bundle is not
 * kept here: each thread reads it from disk (pglite.data, 6 MB), so the only copy in memory
 * is the one PGlite's in-memory file system holds.
 */
let compiled: Promise<{ wasm: WebAssembly.Module; fsBundlePath: string }> | undefined
function compilePglite() {
  compiled ??= (async () => {
    const dist = dirname(Bun.resolveSync('@electric-sql/pglite', import.meta.dir))
    const wasm = await WebAssembly.compile(await Bun.file(join(dist, 'pglite.wasm')).arrayBuffer())
    return { wasm, fsBundlePath: join(dist, 'pglite.data') }
  })()
  return compiled
}

/** Unix socket paths are limited to ~107 bytes. */
const MAX_SOCKET_PATH = 100

/**
 * The settings that bound PGlite's memory; work_mem stays PostgreSQL's default (4 MB). The
 * per-backend shared tables (locks, process slots), which PostgreSQL zeroes at start, are sized
 * for PGlite's one session instead of 100 connections, 10 WAL senders and 3 autovacuum workers
 * (shared memory 24 -> 21 MB at a 16 MB page cache).
 */
export function embeddedSettings(memory: EmbeddedMemory = {}): string[] {
  const shared = memory.sharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB
  return [
    `shared_buffers = ${shared}MB`,
    'maintenance_work_mem = 32MB',
    'temp_buffers = 1MB',
    'wal_buffers = 1MB',
    'max_connections = 4',
    'superuser_reserved_connections = 0',
    'max_wal_senders = 0',
    'max_replication_slots = 0',
    'autovacuum_max_workers = 1',
    // ANALYZE samples 300 rows per unit of target. PGlite runs it on the database's one
    // thread (statistics.ts, every 30 s for tables that grew), so it stalls every query: 330-370
    // ms for 60,000 messages at the default 100, 26-73 ms at 10, which still gives the planner
    // the rooms' sizes its hot queries need (statistics.test.ts checks the page query's index).
    'default_statistics_target = 10',
  ]
}

export async function startEmbedded(options: { dataDir?: string; loadDataDir?: Blob; memory?: EmbeddedMemory }): Promise<Embedded> {
  let socketDir: string | undefined
  let dataDir: string | undefined
  let tempDir: string | undefined
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true })
    dataDir = join(options.dataDir, 'pglite')
    const priv = join(options.dataDir, 'private')
    if (join(priv, 'pglite.sock').length <= MAX_SOCKET_PATH) {
      mkdirSync(priv, { recursive: true, mode: 0o700 })
      chmodSync(priv, 0o700)
      socketDir = priv
    }
  }
  if (!socketDir) socketDir = tempDir = mkdtempSync(join(tmpdir(), 'huddle-db-'))
  const socketPath = join(socketDir, 'pglite.sock')
  // A socket left by a process that died; PGlite itself refuses a data directory in use.
  if (existsSync(socketPath)) rmSync(socketPath)

  const start: Omit<WorkerStart, 'wasm' | 'fsBundlePath'> = { type: 'start', dataDir, socketPath, settings: embeddedSettings(options.memory) }
  // PostgreSQL's initdb grows PGlite's WASM heap to ~700 MB, and a WASM heap never shrinks:
  // a fresh data directory is created by a thread that then ends, and served by a new one.
  if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) {
    const init = await spawnThread(start)
    await init.request('close')
    await init.stop()
  }
  const thread = await spawnThread({ ...start, loadDataDir: await options.loadDataDir?.arrayBuffer() })
  const request = thread.request
  let closing: Promise<void> | undefined
  return {
    socketPath,
    dump: async () => new Blob([(await request('dump')) as ArrayBuffer]),
    close: () =>
      (closing ??= (async () => {
        try {
          await request('close')
        } finally {
          await thread.stop()
          if (tempDir) rmSync(tempDir, { recursive: true, force: true })
          else rmSync(socketPath, { force: true })
        }
      })()),
  }
}

/** One database thread: started, answering requests, stopped. */
async function spawnThread(start: Omit<WorkerStart, 'wasm' | 'fsBundlePath'>) {
  const { wasm, fsBundlePath } = await compilePglite()
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url))
  let nextId = 0
  const waiting = new Map<number, { resolve: (data: unknown) => void; reject: (e: Error) => void }>()
  const exited = new Promise<void>((resolve) => worker.addEventListener('close', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent) => {
      const msg = event.data as { type: string; id?: number; error?: string; data?: unknown }
      if (msg.type === 'ready') return resolve()
      if (msg.type === 'failed') return reject(new Error(`embedded database failed to start: ${msg.error}`))
      const w = waiting.get(msg.id!)
      waiting.delete(msg.id!)
      if (msg.error) w?.reject(new Error(msg.error))
      else w?.resolve(msg.data)
    }
    worker.onerror = (e) => reject(new Error(`embedded database thread failed: ${e.message}`))
    const message: WorkerStart = { ...start, wasm, fsBundlePath }
    worker.postMessage(message, start.loadDataDir ? [start.loadDataDir] : [])
  })
  const request = (type: 'dump' | 'close') =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextId
      waiting.set(id, { resolve, reject })
      worker.postMessage({ type, id })
    })
  const stop = async () => {
    worker.terminate()
    await exited
  }
  return { request, stop }
}

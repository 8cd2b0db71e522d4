/**
 * The embedded database's own thread. PGlite runs every query synchronously in WASM, so on
 * the server's thread each statement would stall every socket; here it runs beside it and
 * speaks the PostgreSQL wire protocol on a unix socket, so the server reaches it with the
 * same driver (postgres.js) as a PostgreSQL server. One connection in use: PGlite has one
 * session, and postgres.js pipelines queries and holds the connection for a transaction.
 */
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

declare const self: Worker

/** What the opener sends first. */
export interface WorkerStart {
  type: 'start'
  dataDir?: string
  loadDataDir?: ArrayBuffer
  socketPath: string
  /** Compiled once by the opener (see embedded.ts). */
  wasm: WebAssembly.Module
  /** PGlite's file bundle, read here so the opener keeps no copy of it. */
  fsBundlePath: string
  /** postgresql.conf lines (memory bounds). */
  settings: string[]
}

/** Later requests; each is answered with `{ type: 'done', id, ... }`. */
export type WorkerRequest = { type: 'close'; id: number } | { type: 'dump'; id: number }

let db: PGlite | undefined
let server: PGLiteSocketServer | undefined

self.onmessage = async (event: MessageEvent<WorkerStart | WorkerRequest>) => {
  const msg = event.data
  try {
    if (msg.type === 'start') {
      db = await PGlite.create({
        dataDir: msg.dataDir,
        loadDataDir: msg.loadDataDir ? new Blob([msg.loadDataDir]) : undefined,
        extensions: { vector, pg_trgm },
        pgliteWasmModule: msg.wasm,
        fsBundle: Bun.file(msg.fsBundlePath),
        postgresqlconf: msg.settings,
      })
      // The server uses one connection at a time, but a reconnection (the test harness handing
      // a database from app to app, a connection that broke) can arrive before this thread has
      // handled the old socket's close; at a limit of 1 it was reset (ECONNRESET). PGlite runs
      // every connection's statements one at a time through one queue either way.
      server = new PGLiteSocketServer({ db, path: msg.socketPath, maxConnections: 2 })
      await server.start()
      postMessage({ type: 'ready' })
    } else if (msg.type === 'dump') {
      const blob = await db!.dumpDataDir('gzip')
      postMessage({ type: 'done', id: msg.id, data: await blob.arrayBuffer() })
    } else if (msg.type === 'close') {
      await server?.stop()
      await db?.close()
      postMessage({ type: 'done', id: msg.id })
    }
  } catch (e) {
    postMessage({ type: msg.type === 'start' ? 'failed' : 'done', id: (msg as { id?: number }).id, error: String((e as Error)?.stack ?? e) })
  }
}

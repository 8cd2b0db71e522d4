import { sql, type SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import * as schema from './schema'
import { keepStatistics, type StatisticsKeeper } from './statistics'
import { startEmbedded, type Embedded, type EmbeddedMemory } from './embedded'

/** The one Drizzle type every repository takes, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
/** A Drizzle transaction handle; repositories accept `Db | Tx` where they may run inside one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface Database {
  db: Db
  driver: 'pglite' | 'postgres'
  /** True when the vector extension is installed (document search works). */
  hasVector: boolean
  /** Runs a cheap query; throws when the database cannot answer. */
  ping(): Promise<void>
  close(): Promise<void>
  /** Embedded database only: keeps planner statistics current (no autovacuum there). */
  statistics?: StatisticsKeeper
  /** Embedded database only: a gzipped dump of its data directory (test templates). */
  dumpDataDir?(): Promise<Blob>
}

export interface OpenOptions {
  /** postgres:// URL; without it an embedded PGlite opens in `dataDir` (or in memory). */
  url?: string
  dataDir?: string
  /** PGlite only: start from a dumped data directory (test templates). */
  loadDataDir?: Blob
  /**
   * An embedded database that is already running: connect to it instead of starting one, and
   * leave it running on close (tests hand one database thread to app after app).
   */
  embedded?: Embedded
  poolSize?: number
  /** Embedded database only: memory bounds (see embedded.ts). */
  embeddedMemory?: EmbeddedMemory
  /** Called with every SQL statement Drizzle sends (tests count the queries of a hot path). */
  onQuery?: (sql: string, params: unknown[]) => void
}

/** Opens the database with the right driver; does not migrate (see migrate.ts). */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) return openPostgres({ url: options.url }, options, 'postgres', async () => {})
  const owned = !options.embedded
  const embedded = options.embedded ?? (await startEmbedded({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, memory: options.embeddedMemory }))
  // One connection: PGlite has one session. postgres.js pipelines queries on it and holds it
  // for the length of a transaction, so transactions stay isolated.
  let statistics: StatisticsKeeper | undefined
  const database = await openPostgres({ path: embedded.socketPath, max: 1 }, options, 'pglite', async () => {
    statistics?.stop()
    if (owned) await embedded.close()
  })
  database.dumpDataDir = embedded.dump
  database.statistics = statistics = keepStatistics(database.db)
  return database
}

async function openPostgres(
  target: { url: string } | { path: string; max: number },
  options: OpenOptions,
  driver: Database['driver'],
  after: () => Promise<void>,
): Promise<Database> {
  const { default: postgres } = await import('postgres')
  const { drizzle } = await import('drizzle-orm/postgres-js')
  const settings = { onnotice: () => {}, connect_timeout: 10 }
  const client =
    'url' in target
      ? postgres(target.url, { ...settings, max: options.poolSize ?? 10 })
      : // Never retired (postgres.js otherwise replaces a connection after 30–60 min): on PGlite's
        // one session a replaced connection's prepared statements would stay behind.
        postgres({ ...settings, path: target.path, max: target.max, max_lifetime: null, username: 'postgres', database: 'postgres' })
  const db = drizzle({ client, schema, logger: queryLogger(options) }) as unknown as Db
  return finish(db, driver, async () => {
    await client.end({ timeout: 5 })
    await after()
  })
}

const queryLogger = (options: OpenOptions) => (options.onQuery ? { logQuery: (sql: string, params: unknown[]) => options.onQuery!(sql, params) } : undefined)

async function finish(db: Db, driver: Database['driver'], close: () => Promise<void>): Promise<Database> {
  const database: Database = {
    db,
    driver,
    hasVector: false,
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    close,
  }
  return database
}

/** Re-reads which optional extensions are installed (after migrations created them). */
export async function detectExtensions(database: Database): Promise<void> {
  const rows = await queryRows<{ extname: string }>(database.db, sql`select extname from pg_extension`)
  database.hasVector = rows.some((r) => r.extname === 'vector')
}

/** Runs raw SQL and returns its rows, hiding the drivers' different result shapes. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}

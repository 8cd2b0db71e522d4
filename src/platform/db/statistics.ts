/**
 * Planner statistics for the embedded database. A PostgreSQL server's autovacuum keeps them
 * current; PGlite has none, and without statistics the planner guesses (the message page
 * hash-joined a whole room: ~100 ms instead of ~1 ms). So: ANALYZE everything once the
 * migrations ran, then every CHECK_MS analyse the tables that grew by a fifth (or 8 pages)
 * since their last ANALYZE — bulk writes from anywhere grow the files — and everything
 * every FULL_MS for the updates and deletes that do not. Each check also merges the GIN
 * indexes' pending lists (the trigram search index takes new messages there, see the
 * messages schema), which a server's autovacuum does on its own.
 */
import { sql } from 'drizzle-orm'
import type { Db } from './client'
import { queryRows } from './client'

const CHECK_MS = 30_000
const FULL_MS = 30 * 60_000

export interface StatisticsKeeper {
  /** ANALYZE the tables that grew since their last ANALYZE, merge GIN pending lists (what the timer runs). */
  check(): Promise<string[]>
  /** ANALYZE every table. */
  analyzeAll(): Promise<void>
  stop(): void
}

export function keepStatistics(db: Db): StatisticsKeeper {
  let running: Promise<unknown> = Promise.resolve()
  // One at a time, and never overlapping a stop.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = running.then(fn, fn)
    running = next.catch(() => {})
    return next
  }
  const check = () =>
    serial(async () => {
      const grown = await queryRows<{ name: string }>(
        db,
        sql`select quote_ident(c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind = 'r'
               and pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 8`,
      )
      for (const { name } of grown) await db.execute(sql.raw(`analyze ${name}`))
      await db.execute(sql`select gin_clean_pending_list(c.oid) from pg_class c join pg_am a on a.oid = c.relam
                            join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and a.amname = 'gin'`)
      return grown.map((g) => g.name)
    })
  const analyzeAll = () => serial(async () => void (await db.execute(sql`analyze`)))
  let last = Date.now()
  const timer = setInterval(() => {
    const full = Date.now() - last >= FULL_MS
    if (full) last = Date.now()
    // A failure (the database closing, say) is retried on the next tick.
    ;(full ? analyzeAll() : check()).catch(() => {})
  }, CHECK_MS)
  timer.unref()
  return { check, analyzeAll, stop: () => clearInterval(timer) }
}

import { join } from 'node:path'
import type { Database } from './client'
import { detectExtensions } from './client'

/** Where drizzle-kit writes the migrations; resolved from this file so the cwd does not matter. */
export const MIGRATIONS_DIR = join(import.meta.dir, '../../../drizzle')

/** Applies every pending migration (idempotent), then records which extensions exist. */
export async function migrate(database: Database): Promise<void> {
  // Both databases are reached through postgres.js (the embedded one over its socket).
  const { migrate: run } = await import('drizzle-orm/postgres-js/migrator')
  await run(database.db as never, { migrationsFolder: MIGRATIONS_DIR })
  // The embedded database has no autovacuum: give the planner statistics right away.
  await database.statistics?.analyzeAll()
  await detectExtensions(database)
}

import { join } from 'node:path'
import type { Database } from './client'
import { detectExtensions } from './client'

/** Where drizzle-kit writes the migrations; resolved from this file so the cwd does not matter. */
export const MIGRATIONS_DIR = join(import.meta.dir, '../../../drizzle')

/** Applies every pending migration (idempotent), then records which extensions exist. */
export async function migrate(database: Database): Promise<void> {
  if (database.driver === 'pglite') {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator')
    await run(database.db as never, { migrationsFolder: MIGRATIONS_DIR })
  } else {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator')
    await run(database.db as never, { migrationsFolder: MIGRATIONS_DIR })
  }
  await detectExtensions(database)
}

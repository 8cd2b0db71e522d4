import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase, detectExtensions, type Database, type OpenOptions } from '../../src/platform/db/client'
import { migrate, MIGRATIONS_DIR } from '../../src/platform/db/migrate'

/**
 * A fresh, migrated database for one test file. With DATABASE_URL set (a PostgreSQL
 * server) it is a new database created from a migrated template; otherwise an in-memory
 * PGlite loaded from a migrated data-directory dump, which takes ~0.2 s instead of the
 * ~3 s of a PGlite initdb. Both templates are keyed by a hash of the migrations, so a new
 * migration rebuilds them. The preload (test/support/preload.ts) builds the template before
 * any test file runs, outside every hook's time budget; see `prepareTestDatabases`.
 */
export async function createTestDatabase(options: { onQuery?: OpenOptions['onQuery'] } = {}): Promise<Database & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL
  const d = serverUrl ? await serverDatabase(serverUrl, options.onQuery) : await pgliteDatabase(options.onQuery)
  // Tests register `skipIf(!testDatabaseHasVector())` before any database opens: a database
  // that disagrees with that answer would make them skip or run for the wrong reason.
  if (prepared !== undefined && d.hasVector !== prepared.hasVector) {
    await d.close()
    throw new Error(`test database hasVector=${d.hasVector}, but the template said ${prepared.hasVector}`)
  }
  return d
}

let prepared: { hasVector: boolean } | undefined

/**
 * Builds (or finds) the migrated template for the configured database and records whether
 * it has the vector extension. Called once by the preload, so the first run of a fresh
 * clone spends its template build here rather than inside some test file's `beforeAll`.
 */
export async function prepareTestDatabases(): Promise<{ hasVector: boolean }> {
  const serverUrl = process.env.DATABASE_URL
  if (serverUrl) {
    serverTemplate ??= ensureServerTemplate(serverUrl)
    await serverTemplate
    // The extension migration installs vector exactly when the server offers it.
    const [row] = await adminQuery<{ available: boolean }>(
      serverUrl,
      `select exists (select 1 from pg_available_extensions where name = 'vector') as available`,
    )
    prepared = { hasVector: row!.available }
  } else {
    pgliteTemplate ??= buildPgliteTemplate()
    await pgliteTemplate
    // openDatabase always loads pgvector into PGlite, and the first migration installs it.
    prepared = { hasVector: true }
  }
  return prepared
}

/**
 * Whether test databases have the vector extension, known before any test registers (the
 * preload calls `prepareTestDatabases`): use it as `test.skipIf(!testDatabaseHasVector())`.
 */
export function testDatabaseHasVector(): boolean {
  if (!prepared) throw new Error('test databases are not prepared: bunfig.toml must preload test/support/preload.ts')
  return prepared.hasVector
}

const migrationsHash = (() => {
  const h = createHash('sha256')
  const walk = (dir: string) => {
    for (const f of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (f.isDirectory()) walk(join(dir, f.name))
      else h.update(f.name).update(readFileSync(join(dir, f.name)))
    }
  }
  walk(MIGRATIONS_DIR)
  return h.digest('hex').slice(0, 12)
})()

let pgliteTemplate: Promise<Blob> | undefined
/** Where the PGlite dump is cached between runs (`.ci/run` deletes it to start cold). */
export const TEST_CACHE_DIR = join(import.meta.dir, '../../node_modules/.cache/huddle-test')

async function buildPgliteTemplate(): Promise<Blob> {
  const file = join(TEST_CACHE_DIR, `pglite-${migrationsHash}.tar.gz`)
  if (existsSync(file)) return new Blob([readFileSync(file)])
  const d = await openDatabase({})
  await migrate(d)
  const dump = await d.dumpDataDir!()
  await d.close()
  mkdirSync(TEST_CACHE_DIR, { recursive: true })
  // Written aside and renamed, so a concurrent run never reads half a dump.
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()))
  renameSync(partial, file)
  return dump
}

async function pgliteDatabase(onQuery?: OpenOptions['onQuery']): Promise<Database> {
  pgliteTemplate ??= buildPgliteTemplate()
  const d = await openDatabase({ loadDataDir: await pgliteTemplate, onQuery })
  await detectExtensions(d)
  return d
}

let serverTemplate: Promise<string> | undefined

async function adminQuery<T = unknown>(url: string, text: string): Promise<T[]> {
  const { default: postgres } = await import('postgres')
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    return (await sql.unsafe(text)) as unknown as T[]
  } finally {
    await sql.end({ timeout: 5 })
  }
}

const withDb = (url: string, name: string) => {
  const u = new URL(url)
  u.pathname = '/' + name
  return u.toString()
}

const pgCode = (e: unknown) => (e as { code?: string }).code
/** The template's name: any database by this name is complete, as it only ever appears by rename. */
export const SERVER_TEMPLATE_PREFIX = 'huddle_tpl_'
const serverTemplateName = `${SERVER_TEMPLATE_PREFIX}${migrationsHash}`

/**
 * Makes sure the migrated server template exists. Two test runs may race here: each
 * migrates its own scratch database and renames it to the template's name, which is
 * atomic, so the loser drops its copy and nobody ever copies a half-migrated template.
 */
async function ensureServerTemplate(url: string): Promise<string> {
  const exists = await adminQuery(url, `select 1 from pg_database where datname = '${serverTemplateName}'`)
  if (exists.length) return serverTemplateName
  const scratch = `huddle_build_${migrationsHash}_${crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`
  await adminQuery(url, `CREATE DATABASE ${scratch}`)
  try {
    const d = await openDatabase({ url: withDb(url, scratch), poolSize: 1 })
    try {
      await migrate(d)
    } finally {
      await d.close()
    }
    await adminQuery(url, `ALTER DATABASE ${scratch} RENAME TO ${serverTemplateName}`)
  } catch (e) {
    await adminQuery(url, `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`)
    if (pgCode(e) !== '42P04') throw e
  }
  return serverTemplateName
}

async function serverDatabase(url: string, onQuery?: OpenOptions['onQuery']): Promise<Database & { url: string }> {
  serverTemplate ??= ensureServerTemplate(url)
  const template = await serverTemplate
  const name = `huddle_t_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
  try {
    await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${template}`)
  } catch (e) {
    // Another run (`.ci/run` starting cold) dropped the template under us: build it again.
    if (pgCode(e) !== '3D000') throw e
    serverTemplate = ensureServerTemplate(url)
    await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${await serverTemplate}`)
  }
  const dbUrl = withDb(url, name)
  const d = await openDatabase({ url: dbUrl, poolSize: 5, onQuery })
  await detectExtensions(d)
  const close = d.close
  return {
    ...d,
    url: dbUrl,
    close: async () => {
      await close()
      await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}

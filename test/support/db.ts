import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { openDatabase, detectExtensions, queryRows, type Database, type OpenOptions } from '../../src/platform/db/client'
import { startEmbedded, type Embedded } from '../../src/platform/db/embedded'
import { migrate, MIGRATIONS_DIR } from '../../src/platform/db/migrate'
import { isAlive } from './process-alive'

/**
 * A fresh, migrated database for one test app. With DATABASE_URL set (a PostgreSQL server) it
 * is a database created from a migrated template; otherwise an in-memory PGlite loaded from a
 * migrated data-directory dump. Both templates are keyed by a hash of the migrations, so a new
 * migration rebuilds them; the preload (test/support/preload.ts) builds the template before
 * any test file runs, outside every hook's time budget; see `prepareTestDatabases`.
 *
 * Starting a PGlite from the dump costs ~3 s of CPU (and creating a server database a
 * checkpoint), which the suite would pay ~100 times. So a closed database is recycled (see
 * `recycle`): emptied back to the template's state and handed to the next test app.
 */
export async function createTestDatabase(options: { onQuery?: OpenOptions['onQuery'] } = {}): Promise<Database & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL
  const slot = idle.pop() ?? (await newSlot(serverUrl))
  const d = await openDatabase(slot.kind === 'server' ? { url: slot.url, poolSize: 5, onQuery: options.onQuery } : { embedded: slot.embedded, onQuery: options.onQuery })
  await detectExtensions(d)
  // Tests register `skipIf(!testDatabaseHasVector())` before any database opens: a database
  // that disagrees with that answer would make them skip or run for the wrong reason.
  if (prepared !== undefined && d.hasVector !== prepared.hasVector) {
    await d.close()
    await discard(slot)
    throw new Error(`test database hasVector=${d.hasVector}, but the template said ${prepared.hasVector}`)
  }
  const close = d.close
  let closing: Promise<void> | undefined
  return {
    ...d,
    ...(slot.kind === 'server' ? { url: slot.url } : {}),
    close: () => (closing ??= close().then(() => recycle(slot))),
  }
}

/** A database a test app can be given: a PGlite thread, or a database on the server. */
type Slot = { kind: 'pglite'; embedded: Embedded } | { kind: 'server'; url: string; name: string; admin: string }

/** Closed databases, emptied and waiting for the next test app. */
const idle: Slot[] = []

/**
 * Empties a closed database back to the template's state and keeps it for the next test app,
 * or throws it away when that cannot be promised: a test that changed the schema (a constraint,
 * a trigger), a database that stopped answering, a connection still holding a lock.
 */
async function recycle(slot: Slot) {
  const sql = await connect(slot)
  let kept = false
  try {
    // What apps build at start is dropped; any other change to the schema retires the database.
    const built = (await sql.unsafe(PUBLIC_INDEXES)).map((r) => r.name as string).filter((name) => !templateIndexes.includes(name))
    if (built.length) await sql.unsafe(`DROP INDEX ${built.join(', ')}`)
    const [{ shape }] = await sql.unsafe(SCHEMA_SHAPE)
    if (shape === templateShape) {
      await sql.unsafe(`SET lock_timeout = '2s'`)
      const tables = await sql.unsafe(`select quote_ident(tablename) as t from pg_tables where schemaname = 'public'`)
      if (tables.length) await sql.unsafe(`TRUNCATE ${tables.map((r) => r.t).join(', ')} RESTART IDENTITY CASCADE`)
      await sql.unsafe(RESTORE_SEEDS)
      // Session state (settings, prepared statements, advisory locks) must not reach the next
      // app: PGlite has one session, whichever connection it is reached through.
      await sql.unsafe('DISCARD ALL')
      kept = true
    }
  } catch {
    kept = false
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {})
  }
  if (kept) idle.push(slot)
  else await discard(slot)
}

async function discard(slot: Slot) {
  if (slot.kind === 'pglite') await slot.embedded.close().catch(() => {})
  else await adminQuery(slot.admin, `DROP DATABASE IF EXISTS ${slot.name} WITH (FORCE)`)
}

/** Closes every database kept for reuse (the preload calls it after the last test file). */
export async function closeIdleTestDatabases() {
  await Promise.all(idle.splice(0).map(discard))
}

/**
 * What a test could have changed in the schema, as one hash: tables, columns, indexes,
 * constraints, triggers and functions in `public`. Rows do not count: they are truncated.
 */
const SCHEMA_SHAPE = `select md5(string_agg(x, ',' order by x)) as shape from (
  select 'c:' || c.relname::text || ':' || c.relkind::text as x from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'
  union all select 'a:' || c.relname::text || '.' || a.attname::text || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull::text || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = 'public' and a.attnum > 0 and not a.attisdropped
  union all select 'k:' || conname::text || ':' || pg_get_constraintdef(oid) from pg_constraint where connamespace = 'public'::regnamespace
  union all select 't:' || tgname::text from pg_trigger where not tgisinternal
  union all select 'f:' || proname::text from pg_proc where pronamespace = 'public'::regnamespace
  union all select 'e:' || extname::text || ':' || extversion from pg_extension
) shape`
let templateShape: string | undefined
/** The template's indexes: an app builds some at start (the vector index for its embedding size). */
let templateIndexes: string[] = []
const PUBLIC_INDEXES = `select quote_ident(indexname) as name from pg_indexes where schemaname = 'public'`

async function connect(slot: Slot) {
  const { default: postgres } = await import('postgres')
  const settings = { max: 1, onnotice: () => {}, connect_timeout: 5 }
  return slot.kind === 'server'
    ? postgres(slot.url, settings)
    : postgres({ ...settings, path: slot.embedded.socketPath, username: 'postgres', database: 'postgres' })
}

/**
 * A new database from the template; the first one records the template's schema shape. Its
 * sequences are set to the template's snapshot, as `recycle` sets them: a PGlite data directory
 * opened from the dump replays its WAL, which moves every sequence past its prefetched values,
 * so a fresh database and a recycled one would otherwise hand out different ids.
 */
async function newSlot(serverUrl: string | undefined): Promise<Slot> {
  const slot = serverUrl ? await serverSlot(serverUrl) : await pgliteSlot()
  const sql = await connect(slot)
  try {
    if (templateShape === undefined) {
      templateShape = (await sql.unsafe(SCHEMA_SHAPE))[0]!.shape as string
      templateIndexes = (await sql.unsafe(PUBLIC_INDEXES)).map((r) => r.name as string)
    }
    await sql.unsafe(RESTORE_SEQUENCES)
  } finally {
    await sql.end({ timeout: 5 })
  }
  return slot
}

async function pgliteSlot(): Promise<Slot> {
  pgliteTemplate ??= buildPgliteTemplate()
  return { kind: 'pglite', embedded: await startEmbedded({ loadDataDir: await pgliteTemplate }) }
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
    await dropAbandonedServerDatabases(serverUrl)
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

/**
 * What the template holds: the migrations, and what an app stores at its first start (the
 * petcare knowledge base, chunked and embedded offline; the sample card catalog). A change to
 * any of these files builds a new template.
 */
const SRC = join(import.meta.dir, '../../src')
const TEMPLATE_INPUTS = [
  MIGRATIONS_DIR,
  join(SRC, 'modules/petcare/knowledge-base.ts'),
  join(SRC, 'modules/nutrition/knowledge'),
  join(SRC, 'modules/advisor/card-catalog-seed.ts'),
  join(SRC, 'modules/cards/catalog.sample.json'),
  join(SRC, 'modules/ai/providers/offline-embedder.ts'),
  join(SRC, 'modules/ai/text-features.ts'),
  join(SRC, 'modules/rag/chunker.ts'),
  // What the knowledge base's passages are embedded with (their document's context).
  join(SRC, 'modules/rag/ingest-service.ts'),
]
const migrationsHash = (() => {
  const h = createHash('sha256')
  const walk = (path: string) => {
    if (!statSync(path).isDirectory()) return void h.update(path.slice(SRC.length)).update(readFileSync(path))
    for (const f of readdirSync(path).sort()) walk(join(path, f))
  }
  TEMPLATE_INPUTS.forEach(walk)
  return h.digest('hex').slice(0, 12)
})()

/**
 * Starts and stops a whole app on the freshly migrated template, so it stores what every app
 * stores at its first start; then keeps a copy of those rows in the `test_seed` schema, which
 * `recycle` puts back. Test apps start on a database that already holds them, as a restarted
 * huddle does, instead of each chunking and embedding the knowledge base again.
 */
async function seedTemplate(database: Database) {
  const [{ loadConfig }, { createApp }, { silentLogger }] = await Promise.all([
    import('../../src/config'),
    import('../../src/app'),
    import('../../src/platform/logger'),
  ])
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-template-'))
  try {
    const secret = 'template-seed-secret-of-32-bytes!!'
    const runtime = await createApp({
      config: loadConfig({ JWT_SECRET: secret, DATA_DIR: dataDir, AI_PROVIDER: 'offline' }),
      database,
      logger: silentLogger,
      jwtSecret: new TextEncoder().encode(secret),
    })
    runtime.markShuttingDown()
    await runtime.shutdown()
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
  await database.db.execute(sql.raw(`CREATE SCHEMA test_seed`))
  const tables = await queryRows<{ t: string }>(database.db, sql.raw(`select quote_ident(tablename) as t from pg_tables where schemaname = 'public'`))
  for (const { t } of tables) {
    const [{ n }] = await queryRows<{ n: string }>(database.db, sql.raw(`select count(*) as n from public.${t}`))
    if (Number(n) > 0) await database.db.execute(sql.raw(`CREATE TABLE test_seed.${t} AS TABLE public.${t}`))
  }
  await database.db.execute(sql.raw(`CREATE TABLE test_seed.sequences AS
    select quote_ident(sequencename) as name, last_value from pg_sequences where schemaname = 'public' and last_value is not null`))
}

/** Puts the template's rows back into the emptied tables, and their sequences where they were. */
const RESTORE_SEEDS = `DO $$
DECLARE t text;
BEGIN
  -- Foreign keys are not checked while the copies go back, in whatever order the tables come.
  PERFORM set_config('session_replication_role', 'replica', true);
  FOR t IN SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'test_seed' AND tablename <> 'sequences' LOOP
    EXECUTE format('INSERT INTO public.%s SELECT * FROM test_seed.%s', t, t);
  END LOOP;
  PERFORM setval('public.' || name, last_value) FROM test_seed.sequences;
END $$`
const RESTORE_SEQUENCES = `select setval('public.' || name, last_value) from test_seed.sequences`

let pgliteTemplate: Promise<Blob> | undefined
/** Where the PGlite dump is cached between runs (`.ci/run` deletes it to start cold). */
export const TEST_CACHE_DIR = join(import.meta.dir, '../../node_modules/.cache/huddle-test')

/** The cached PGlite template (a gzipped tar of a data directory), if a run has built it. */
export const pgliteTemplateFile = () => join(TEST_CACHE_DIR, `pglite-${migrationsHash}.tar.gz`)

/**
 * Puts the template's embedded database where huddle keeps it under `dataDir` (DATA_DIR), so a
 * process opening it starts as a restarted huddle does, without initdb (seconds of CPU).
 * Returns false, leaving `dataDir` alone, when no run has built the PGlite template.
 */
export function unpackPgliteTemplate(dataDir: string): boolean {
  const template = pgliteTemplateFile()
  if (!existsSync(template)) return false
  mkdirSync(join(dataDir, 'pglite'), { recursive: true })
  const untar = Bun.spawnSync(['tar', '-xzf', template, '-C', join(dataDir, 'pglite')], { stderr: 'pipe' })
  if (untar.exitCode !== 0) throw new Error(`could not unpack the test template: ${untar.stderr.toString()}`)
  return true
}

async function buildPgliteTemplate(): Promise<Blob> {
  const file = pgliteTemplateFile()
  return buildOnce(`pglite-${migrationsHash}`, () => existsSync(file), () => dumpPgliteTemplate(file), () => new Blob([readFileSync(file)]))
}

async function dumpPgliteTemplate(file: string): Promise<Blob> {
  const d = await openDatabase({})
  await migrate(d)
  await seedTemplate(d)
  const dump = await d.dumpDataDir!()
  await d.close()
  mkdirSync(TEST_CACHE_DIR, { recursive: true })
  // Written aside and renamed, so a concurrent run never reads half a dump.
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()))
  renameSync(partial, file)
  return dump
}

let serverTemplate: Promise<string> | undefined

/**
 * Test processes started together (`bun test --parallel`) would each build the same template,
 * seconds of CPU apiece on a cold run: the first takes a lock directory and builds, the others
 * wait until the template is there. A lock older than the build budget is a crashed run's and
 * is taken over; the builder checks again under the lock.
 */
const BUILD_LOCK_STALE_MS = 180_000
async function buildOnce<T>(name: string, isBuilt: () => boolean | Promise<boolean>, build: () => Promise<T>, use: () => T | Promise<T>): Promise<T> {
  const lock = join(TEST_CACHE_DIR, `${name}.lock`)
  mkdirSync(TEST_CACHE_DIR, { recursive: true })
  for (;;) {
    if (await isBuilt()) return use()
    try {
      mkdirSync(lock)
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > BUILD_LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true })
      else await Bun.sleep(100)
      continue
    }
    try {
      return (await isBuilt()) ? await use() : await build()
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}

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
  const isBuilt = async () => (await adminQuery(url, `select 1 from pg_database where datname = '${serverTemplateName}'`)).length > 0
  return buildOnce(`server-${migrationsHash}`, isBuilt, () => buildServerTemplate(url), () => serverTemplateName)
}

async function buildServerTemplate(url: string): Promise<string> {
  const scratch = `huddle_build_${migrationsHash}_${crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`
  await adminQuery(url, `CREATE DATABASE ${scratch}`)
  try {
    const d = await openDatabase({ url: withDb(url, scratch), poolSize: 1 })
    try {
      await migrate(d)
      await seedTemplate(d)
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

/** A test database on the server is named for the process that made it, so a later run can tell an abandoned one. */
const SERVER_DATABASE_PREFIX = 'huddle_t_'

/**
 * Drops the test databases of processes that are gone. A `bun test --parallel` worker is ended
 * without running any hook after its last file, so the databases it kept for reuse stay behind
 * until a later run removes them here.
 */
async function dropAbandonedServerDatabases(url: string) {
  const rows = await adminQuery<{ name: string }>(url, `select datname as name from pg_database where datname like '${SERVER_DATABASE_PREFIX}%'`)
  for (const { name } of rows) {
    const pid = Number(/^huddle_t_(\d+)_/.exec(name)?.[1])
    if (pid && !isAlive(pid)) await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
  }
}

async function serverSlot(url: string): Promise<Slot> {
  serverTemplate ??= ensureServerTemplate(url)
  const template = await serverTemplate
  const name = `${SERVER_DATABASE_PREFIX}${process.pid}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`
  try {
    await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${template}`)
  } catch (e) {
    // Another run (`.ci/run` starting cold) dropped the template under us: build it again.
    if (pgCode(e) !== '3D000') throw e
    serverTemplate = ensureServerTemplate(url)
    await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${await serverTemplate}`)
  }
  return { kind: 'server', url: withDb(url, name), name, admin: url }
}

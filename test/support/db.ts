import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase, detectExtensions, type Database, type OpenOptions } from '../../src/platform/db/client'
import { migrate, MIGRATIONS_DIR } from '../../src/platform/db/migrate'

/**
 * A fresh, migrated database for one test file. With DATABASE_URL set (a PostgreSQL
 * server) it is a new database created from a migrated template; otherwise an in-memory
 * PGlite loaded from a migrated data-directory dump, which takes ~0.2 s instead of the
 * ~3 s of a PGlite initdb. Both templates are keyed by a hash of the migrations, so a new
 * migration rebuilds them.
 */
export async function createTestDatabase(options: { onQuery?: OpenOptions['onQuery'] } = {}): Promise<Database & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL
  return serverUrl ? serverDatabase(serverUrl, options.onQuery) : pgliteDatabase(options.onQuery)
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
const CACHE_DIR = join(import.meta.dir, '../../node_modules/.cache/huddle-test')

async function buildPgliteTemplate(): Promise<Blob> {
  const file = join(CACHE_DIR, `pglite-${migrationsHash}.tar.gz`)
  if (existsSync(file)) return new Blob([readFileSync(file)])
  const d = await openDatabase({})
  await migrate(d)
  const dump = await d.dumpDataDir!()
  await d.close()
  mkdirSync(CACHE_DIR, { recursive: true })
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()))
  return dump
}

async function pgliteDatabase(onQuery?: OpenOptions['onQuery']): Promise<Database> {
  pgliteTemplate ??= buildPgliteTemplate()
  const d = await openDatabase({ loadDataDir: await pgliteTemplate, onQuery })
  await detectExtensions(d)
  return d
}

let serverTemplate: Promise<string> | undefined

async function adminQuery(url: string, text: string) {
  const { default: postgres } = await import('postgres')
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await sql.unsafe(text)
  } finally {
    await sql.end({ timeout: 5 })
  }
}

const withDb = (url: string, name: string) => {
  const u = new URL(url)
  u.pathname = '/' + name
  return u.toString()
}

async function buildServerTemplate(url: string): Promise<string> {
  const name = `huddle_tpl_${migrationsHash}`
  try {
    await adminQuery(url, `CREATE DATABASE ${name}`)
  } catch (e) {
    if ((e as { code?: string }).code !== '42P04') throw e
    return name
  }
  const d = await openDatabase({ url: withDb(url, name), poolSize: 1 })
  await migrate(d)
  await d.close()
  return name
}

async function serverDatabase(url: string, onQuery?: OpenOptions['onQuery']): Promise<Database & { url: string }> {
  serverTemplate ??= buildServerTemplate(url)
  const template = await serverTemplate
  const name = `huddle_t_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`
  await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${template}`)
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

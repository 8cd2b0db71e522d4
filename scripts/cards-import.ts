/**
 * `bun run cards:import FILE.csv|FILE.json` — writes a card catalog into huddle's database.
 *
 * Reads DATABASE_URL / DATA_DIR like the server, runs pending migrations, validates the whole
 * file first (every bad row is reported with its CSV line or JSON path, and nothing is
 * written), then upserts it in one transaction: cards and benefits are inserted or updated by
 * their ids, each written card keeps exactly the benefits in the file, and a real (non-sample)
 * catalog deletes the shipped SAMPLE cards it does not name. With the embedded database
 * (no DATABASE_URL), stop the server first: one process at a time may open DATA_DIR.
 *
 * Exit status: 0 imported, 1 anything else (usage, configuration, invalid file, database).
 */
import { loadConfig } from '../src/config'
import { openDatabase } from '../src/platform/db/client'
import { migrate } from '../src/platform/db/migrate'
import { isAppError } from '../src/platform/errors'
import { createCardCatalogRepo } from '../src/modules/advisor/card-catalog-repo'
import { readCatalogFile } from '../src/modules/advisor/catalog-file'

const USAGE = 'usage: bun run cards:import FILE.csv|FILE.json'

function fail(message: string, errors: readonly string[] = []): never {
  process.stderr.write(`cards:import: ${message}\n`)
  for (const e of errors) process.stderr.write(`  - ${e}\n`)
  process.exit(1)
}

const args = process.argv.slice(2)
if (args.length !== 1 || args[0]!.startsWith('-')) fail(USAGE)
const path = args[0]!

let catalog
try {
  catalog = await readCatalogFile(path)
} catch (e) {
  if (!isAppError(e)) throw e
  const errors = e.details?.errors
  fail(Array.isArray(errors) ? `${path}: ${errors.length} problem(s), nothing was imported` : e.message, Array.isArray(errors) ? errors : [])
}

let config
try {
  config = loadConfig()
} catch (e) {
  fail((e as Error).message)
}
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
let outcome: string
let ok = false
try {
  await migrate(database)
  const result = await createCardCatalogRepo({ db: database.db }).upsert(catalog)
  const removed = result.removedSampleCards > 0 ? `; removed ${result.removedSampleCards} sample card(s)` : ''
  outcome = `imported ${result.cards} card(s) with ${result.benefits} benefit(s) from ${path}${catalog.sample ? ' (sample data)' : ''}${removed}`
  ok = true
} catch (e) {
  outcome = `database error: ${(e as Error).message}`
}
await database.close()
if (!ok) fail(outcome)
process.stdout.write(`cards:import: ${outcome}\n`)

/**
 * `bun run transactions:import FILE.csv (--user-subject S | --user-id N)` — loads a user's
 * spending (header `amount,category,merchant,occurred_at`, any column order; times without
 * an offset are Korean time) into huddle's database.
 *
 * Reads DATABASE_URL / DATA_DIR like the server and runs pending migrations. The whole file
 * is validated first and stored in one transaction, so a file with a bad row (reported as
 * "line N: …") stores nothing. `--user-subject` names the user by their token subject and
 * creates them if they have not signed in yet, so data can be loaded ahead of a first login;
 * `--user-id` must name an existing user. With the embedded database (no DATABASE_URL), stop
 * the server first: one process at a time may open DATA_DIR.
 *
 * Exit status: 0 imported, 1 anything else (usage, configuration, invalid file, unknown user, database).
 */
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config'
import { openDatabase } from '../src/platform/db/client'
import { migrate } from '../src/platform/db/migrate'
import { isAppError } from '../src/platform/errors'
import { createUserRepo, type User } from '../src/modules/auth/user-repo'
import { createSpendingRepo } from '../src/modules/advisor/spending-repo'
import { parseTransactionsCsv, type Transaction } from '../src/modules/spending/transaction'

const USAGE = 'usage: bun run transactions:import FILE.csv (--user-subject SUBJECT | --user-id ID)'

function fail(message: string, errors: readonly string[] = []): never {
  process.stderr.write(`transactions:import: ${message}\n`)
  for (const e of errors) process.stderr.write(`  - ${e}\n`)
  process.exit(1)
}

let parsed
try {
  parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { 'user-subject': { type: 'string' }, 'user-id': { type: 'string' } } })
} catch (e) {
  fail(`${(e as Error).message}\n${USAGE}`)
}
const { positionals, values } = parsed
const subject = values['user-subject']?.trim()
const idText = values['user-id']?.trim()
if (positionals.length !== 1 || (subject === undefined) === (idText === undefined) || subject === '') fail(USAGE)
if (idText !== undefined && !/^[1-9]\d{0,15}$/.test(idText)) fail(`--user-id must be a positive integer (got "${idText}")`)
const path = positionals[0]!

const file = Bun.file(path)
if (!(await file.exists())) fail(`no such file: ${path}`)
let transactions: Transaction[]
try {
  transactions = parseTransactionsCsv(await file.text())
} catch (e) {
  if (!isAppError(e)) throw e
  const errors = e.details?.errors
  fail(Array.isArray(errors) ? `${path}: ${errors.length} bad row(s), nothing was imported` : `${path}: ${e.message}`, Array.isArray(errors) ? errors : [])
}

let config
try {
  config = loadConfig()
} catch (e) {
  fail((e as Error).message)
}
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
let outcome: { user: User; stored: number } | { error: string }
try {
  await migrate(database)
  const users = createUserRepo({ db: database.db })
  const user = idText !== undefined ? await users.findById(Number(idText)) : await users.ensureSubject(subject!, subject!)
  if (!user) outcome = { error: `no user with id ${idText}` }
  else outcome = { user, stored: (await createSpendingRepo({ db: database.db }).insertMany(user.id, transactions)).length }
} catch (e) {
  outcome = { error: `database error: ${(e as Error).message}` }
}
await database.close()
if ('error' in outcome) fail(outcome.error)
process.stdout.write(`transactions:import: imported ${outcome.stored} transaction(s) for user ${outcome.user.id} (${outcome.user.subject}) from ${path}\n`)

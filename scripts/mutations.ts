/**
 * Mutation check: applies each mutation of scripts/mutations-list.ts, one at a time, to a
 * temporary copy of the repository (the working tree is never written), runs only the test
 * files that mutation names, and fails if any mutation survives (its tests still pass) or no
 * longer applies (its search text does not occur exactly once: the code moved).
 *
 *   bun run test:mutations              every mutation
 *   bun run test:mutations -- <id> ...  only these
 *   bun run test:mutations -- --check   only check that every mutation still applies
 *
 * Runs on embedded PGlite and the local Redis (DATABASE_URL is ignored), like `bun test`.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { MUTATIONS, type Mutation } from './mutations-list'

const ROOT = join(import.meta.dir, '..')
/** A test run that hangs counts as caught, but is reported. */
const RUN_TIMEOUT_MS = 180_000

/** The mutated text of `source`, or why the mutation does not apply. */
export function applyMutation(m: Mutation, source: string): { text: string } | { error: string } {
  let text = source
  for (const [search, replacement] of m.edits) {
    const count = text.split(search).length - 1
    if (count !== 1) return { error: `${m.file}: expected the search text once, found it ${count} times: ${JSON.stringify(search.slice(0, 80))}` }
    text = text.replace(search, () => replacement)
  }
  if (text === source) return { error: `${m.file}: the mutation changes nothing` }
  try {
    new Bun.Transpiler({ loader: 'ts' }).transformSync(text)
  } catch (e) {
    return { error: `${m.file}: the mutated file does not parse: ${(e as Error).message}` }
  }
  return { text }
}

let workDir: string | undefined
let child: ReturnType<typeof Bun.spawn> | undefined
const cleanUp = () => {
  child?.kill('SIGKILL')
  if (workDir) rmSync(workDir, { recursive: true, force: true })
  workDir = undefined
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp()
    process.exit(130)
  })
}

/** A copy of the tracked and untracked (not ignored) files, sharing node_modules by a link. */
function copyRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'huddle-mutations-'))
  const listed = Bun.spawnSync(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
  if (listed.exitCode !== 0) throw new Error(`git ls-files failed: ${listed.stderr.toString()}`)
  for (const file of listed.stdout.toString().split('\0').filter(Boolean)) {
    try {
      mkdirSync(dirname(join(dir, file)), { recursive: true })
      cpSync(join(ROOT, file), join(dir, file))
    } catch (e) {
      // A tracked file deleted in the working tree is simply absent from the copy.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

/** Runs `bun test` on `files` in the copy; resolves with the exit code (or 'timeout'). */
async function runTests(dir: string, files: string[]): Promise<{ code: number | 'timeout'; output: string }> {
  const env: Record<string, string | undefined> = { ...process.env }
  delete env.DATABASE_URL
  delete env.REDIS_URL
  child = Bun.spawn(['bun', 'test', '--timeout', '30000', ...files.map((f) => `./${f}`)], { cwd: dir, env, stdout: 'pipe', stderr: 'pipe' })
  const proc = child
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    proc.kill('SIGKILL')
  }, RUN_TIMEOUT_MS)
  const [out, err, code] = await Promise.all([new Response(proc.stdout as ReadableStream).text(), new Response(proc.stderr as ReadableStream).text(), proc.exited])
  clearTimeout(timer)
  child = undefined
  return { code: timedOut ? 'timeout' : code, output: out + err }
}

async function main() {
  const checkOnly = process.argv.includes('--check')
  const only = process.argv.slice(2).filter((a) => a !== '--check')
  const unknown = only.filter((id) => !MUTATIONS.some((m) => m.id === id))
  if (unknown.length) throw new Error(`unknown mutation ids: ${unknown.join(', ')}`)
  const selected = only.length ? MUTATIONS.filter((m) => only.includes(m.id)) : MUTATIONS
  const ids = new Set<string>()
  for (const m of MUTATIONS) {
    if (ids.has(m.id)) throw new Error(`duplicate mutation id ${m.id}`)
    ids.add(m.id)
  }

  // Every mutation must apply to the code as it is now, before anything runs.
  const broken: string[] = []
  for (const m of selected) {
    const applied = applyMutation(m, readFileSync(join(ROOT, m.file), 'utf8'))
    if ('error' in applied) broken.push(`${m.id}: ${applied.error}`)
  }
  if (broken.length) {
    console.error(`These mutations no longer apply (the code moved; update scripts/mutations-list.ts):\n  ${broken.join('\n  ')}`)
    process.exit(1)
  }
  if (checkOnly) {
    console.log(`all ${selected.length} mutations apply`)
    return
  }

  workDir = copyRepository()
  const dir = workDir
  const started = Date.now()
  try {
    // The tests must pass unmutated, or a "caught" mutation would mean nothing.
    const allTests = [...new Set(selected.flatMap((m) => m.tests))].sort()
    console.log(`baseline: ${allTests.length} test files on the unmutated copy`)
    const baseline = await runTests(dir, allTests)
    if (baseline.code !== 0) {
      console.error(baseline.output.split('\n').filter((l) => /\(fail\)|error|^\s*\d+ (pass|fail)/i.test(l)).slice(0, 40).join('\n'))
      console.error('the baseline run failed: fix the tests before checking mutations')
      process.exit(1)
    }

    const survived: string[] = []
    for (const [i, m] of selected.entries()) {
      const path = join(dir, m.file)
      const original = readFileSync(path, 'utf8')
      const applied = applyMutation(m, original)
      if ('error' in applied) throw new Error(`${m.id}: ${applied.error}`)
      writeFileSync(path, applied.text)
      const t0 = Date.now()
      let result: Awaited<ReturnType<typeof runTests>>
      try {
        result = await runTests(dir, m.tests)
      } finally {
        writeFileSync(path, original)
      }
      const seconds = ((Date.now() - t0) / 1000).toFixed(1)
      const verdict = result.code === 0 ? 'SURVIVED' : result.code === 'timeout' ? 'caught (timed out)' : 'caught'
      console.log(`${String(i + 1).padStart(2)}/${selected.length} ${verdict.padEnd(18)} ${m.id} (${seconds} s): ${m.bug}`)
      // Which test noticed, so a mutation "caught" by a crash or an unrelated failure shows.
      const failed = result.output.split('\n').filter((l) => l.startsWith('(fail)'))
      if (failed.length) console.log(`      ${failed[0]}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}`)
      else if (result.code !== 0) console.log(`      ${result.output.split('\n').filter((l) => /error/i.test(l)).slice(0, 2).join(' | ')}`)
      if (result.code === 0) survived.push(m.id)
    }
    console.log(`\n${selected.length - survived.length} of ${selected.length} mutations caught in ${Math.round((Date.now() - started) / 1000)} s`)
    if (survived.length) {
      console.error(`survived (no test noticed the bug): ${survived.join(', ')}`)
      process.exitCode = 1
    }
  } finally {
    cleanUp()
  }
}

if (import.meta.main) await main()

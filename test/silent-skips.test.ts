import { expect, test } from 'bun:test'
import { Glob } from 'bun'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

// A test that returns early when the database lacks pgvector passes without checking anything
// and is counted as passed: such tests use `test.skipIf(!testDatabaseHasVector())` instead, so
// they are reported (and counted) as skipped. A branch that asserts the 503 and then returns
// is fine; a bare `return` is not.
test('no test returns early without asserting when the database lacks pgvector', () => {
  const root = join(import.meta.dir, '..')
  const silent: string[] = []
  for (const path of new Glob('{src,test,bench}/**/*.test.ts').scanSync({ cwd: root })) {
    readFileSync(join(root, path), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/if \(!\s*[\w.()]*hasVector[\w()]*\)\s*(return\b|\{\s*return\b)/.test(line)) silent.push(`${path}:${i + 1}: ${line.trim()}`)
      })
  }
  expect(silent).toEqual([])
})

import { expect, test } from 'bun:test'
import postgres from 'postgres'
import { startEmbedded } from './embedded'
import { pgliteTemplateFile } from '../../../test/support/db'

// A connection that replaces another (the test harness handing a database from app to app, a
// connection that broke) can reach the database thread before it has handled the old socket's
// close. It must be served, not reset.
test('a connection opened while the previous one is still closing is served, not reset', async () => {
  const embedded = await startEmbedded({ loadDataDir: Bun.file(pgliteTemplateFile()) })
  const open = () => postgres({ path: embedded.socketPath, max: 1, username: 'postgres', database: 'postgres', onnotice: () => {}, connect_timeout: 5 })
  try {
    for (let i = 0; i < 5; i++) {
      const before = open()
      await before`select 1`
      const after = open()
      const answered = after`select ${i}::int as i`.execute()
      // The new socket reaches the database thread while the old one is still open.
      await Bun.sleep(20)
      await before.end({ timeout: 5 })
      expect((await answered)[0]!.i).toBe(i)
      await after.end({ timeout: 5 })
    }
  } finally {
    await embedded.close()
  }
}, 60_000)

import { describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows } from './client'
import { migrate } from './migrate'
import { createTestDatabase } from '../../../test/support/db'

const TABLES = [
  'users', 'auth_sessions', 'rooms', 'room_members', 'room_settings', 'couple_sessions', 'messages', 'files',
  'documents', 'document_chunks', 'pets', 'recipes', 'cards', 'card_benefits', 'spending_transactions',
]

describe('migrations', () => {
  test('a fresh embedded database migrates with pg_trgm and vector, and again is a no-op', async () => {
    const d = await openDatabase({})
    await migrate(d)
    await migrate(d)
    const tables = await queryRows<{ table_name: string }>(d.db, sql`select table_name from information_schema.tables where table_schema = 'public'`)
    const names = tables.map((r) => r.table_name)
    for (const t of [...TABLES, 'chunk_embeddings']) expect(names).toContain(t)
    expect(d.hasVector).toBe(true)
    const ext = await queryRows<{ extname: string }>(d.db, sql`select extname from pg_extension`)
    expect(ext.map((e) => e.extname)).toContain('pg_trgm')
    await d.close()
  }, 60_000)

  test('the test database (PGlite or the configured server) has every core table', async () => {
    const d = await createTestDatabase()
    const names = (await queryRows<{ table_name: string }>(d.db, sql`select table_name from information_schema.tables where table_schema = 'public'`)).map((r) => r.table_name)
    for (const t of TABLES) expect(names).toContain(t)
    // Without the vector extension the embeddings table is simply absent (document search answers 503).
    expect(names.includes('chunk_embeddings')).toBe(d.hasVector)
    await d.close()
  })
})

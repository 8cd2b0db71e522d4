import { afterAll, beforeAll, expect, test } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { createTestApp, type TestApp } from '../support/app'
import { createUserRepo } from '../../src/modules/auth/user-repo'
import { createDocumentRepo } from '../../src/modules/rag/document-repo'
import { createIngestService } from '../../src/modules/rag/ingest-service'
import { createDocumentProcessor } from '../../src/modules/rag/document-processor'
import { DEFAULT_PROCESSING_LIMITS } from '../../src/modules/rag/document-processing'
import { createRetriever } from '../../src/modules/rag/retrieval'
import { createKnowledgeSearch, ensureKnowledgeBase, focusQuery, KNOWLEDGE_SUBJECT, knowledgeFiles } from '../../src/modules/petcare/knowledge-base'
import { queryRows } from '../../src/platform/db/client'
import { documents } from '../../src/platform/db/schema'
import { silentLogger } from '../../src/platform/logger'

let t: TestApp
const processor = createDocumentProcessor({ limits: DEFAULT_PROCESSING_LIMITS, timeoutMs: 20_000, workers: 1 })
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => {
  processor.close()
  return t.close()
})

test('the knowledge base is stored once at start, through the ingest path, and a second start adds nothing', async () => {
  const db = t.database.db
  const users = createUserRepo({ db })
  const owner = (await users.findBySubject(KNOWLEDGE_SUBJECT))!
  const count = async () => (await db.select({ id: documents.id }).from(documents).where(eq(documents.ownerId, owner.id))).length
  expect(await count()).toBe(knowledgeFiles().length)

  const hasVector = () => t.database.hasVector
  const ingest = createIngestService({ documents: createDocumentRepo({ db }), embedder: t.runtime.ai.embedder, processor, hasVector, maxBytes: 1 << 20, logger: silentLogger })
  expect(await ensureKnowledgeBase({ db, users, ingest, hasVector, logger: silentLogger })).toBe(owner.id)
  expect(await count()).toBe(knowledgeFiles().length)
  if (hasVector()) {
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from chunk_embeddings where owner_id = ${owner.id}`)
    const [chunks] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from document_chunks where owner_id = ${owner.id}`)
    expect(Number(row!.n)).toBe(Number(chunks!.n))
  }

  // Search reads only the system user's chunks and finds the right documents.
  const search = createKnowledgeSearch({ retriever: createRetriever({ db, embedder: t.runtime.ai.embedder }), ownerId: owner.id, hasVector })
  const taurine = await search.search('고양이 타우린 필요량', 3)
  expect(taurine.map((h) => h.source)).toContain('taurine-for-cats.md')
  for (const h of taurine) {
    expect(h.score).toBeGreaterThanOrEqual(0)
    expect(h.score).toBeLessThanOrEqual(1)
  }
  const other = await search.search('포도', 3, undefined)
  expect(other[0]!.source).toBe('toxic-foods.md')
  expect(focusQuery('포도 먹어도 괜찮아?')).toBe('포도')
  expect(focusQuery('괜찮아?')).toBe('괜찮아?')
})

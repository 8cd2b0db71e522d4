import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestDatabase, testDatabaseHasVector } from '../../../test/support/db'
import type { Database } from '../../platform/db/client'
import { documentChunks, documents, users } from '../../platform/db/schema'
import { eq, sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/client'
import { createOfflineEmbedder } from '../ai/providers/offline-embedder'
import { chunkSections } from './chunker'
import { createDocumentRepo } from './document-repo'
import { keywordTerms } from './keyword-terms'
import { keywordHits } from './keyword-search'
import { createRetriever } from './retrieval'
import { CODE_BLOCKS, ensureVectorIndex } from './vector-index'

const DIM = 64
const embedder = createOfflineEmbedder({ dim: DIM })
const queries: string[] = []
let database: Database
let alice: number
let bob: number

/** Stores one document per text for `owner`, with embeddings where pgvector exists, chunks only where it does not. */
async function store(owner: number, source: string, texts: string[]): Promise<void> {
  const chunks = texts.map((content, position) => ({ content, position }))
  if (database.hasVector) {
    await createDocumentRepo({ db: database.db }).insert({ ownerId: owner, source, kind: 'text', sizeBytes: 0, chunks, embeddings: await embedder.embed(texts) })
    return
  }
  const [doc] = await database.db.insert(documents).values({ ownerId: owner, source, kind: 'text', chunkCount: texts.length }).returning({ id: documents.id })
  await database.db.insert(documentChunks).values(chunks.map((c) => ({ ...c, documentId: doc!.id, ownerId: owner })))
}

beforeAll(async () => {
  database = await createTestDatabase({ onQuery: (q) => void queries.push(q) })
  if (database.hasVector) await ensureVectorIndex(database.db, DIM)
  const rows = await database.db
    .insert(users)
    .values([
      { subject: 'retrieval-alice', name: 'Alice' },
      { subject: 'retrieval-bob', name: 'Bob' },
    ])
    .returning({ id: users.id })
  alice = rows[0]!.id
  bob = rows[1]!.id
  // Every chunk of both owners shares the common word "ledger"; only one of Alice's names the rare code.
  const filler = (i: number) => `Ledger entry ${i}: routine paperwork about the quarterly ledger review.`
  await store(alice, 'alice-notes.txt', [...Array.from({ length: 30 }, (_, i) => filler(i)), 'Ledger note: the Quillmark QX-77 scanner jams when the tray is overfilled.'])
  await store(bob, 'bob-notes.txt', [...Array.from({ length: 30 }, (_, i) => filler(i)), 'Ledger note: the Quillmark QX-77 scanner needs firmware 4.2 from Bob.'])
  // A real document too, chunked as ingest chunks it.
  const chunks = chunkSections([{ text: '연차 휴가는 입사 3년 후부터 2년마다 하루씩 늘어나며 최대 25일까지 쓸 수 있습니다.' }])
  await store(alice, '휴가-규정.md', chunks.map((c) => c.content))
})
afterAll(async () => database.close())

describe('retriever', () => {
  test('every mode reads only the caller’s chunks', async () => {
    const retriever = createRetriever({ db: database.db, embedder })
    const modes = database.hasVector ? (['vector', 'keyword', 'hybrid'] as const) : (['keyword'] as const)
    for (const mode of modes) {
      const hits = await retriever.search(alice, 'Quillmark QX-77 scanner ledger', { topK: 40, mode })
      expect(hits.length).toBeGreaterThan(0)
      expect(hits.every((h) => h.source !== 'bob-notes.txt')).toBe(true)
      for (const h of hits) expect(h.similarity).toBeWithin(0, 1.000001)
    }
  })

  test('a rare term outweighs a term every chunk contains', async () => {
    const retriever = createRetriever({ db: database.db, embedder })
    const [first] = await retriever.search(alice, 'Which ledger mentions the QX-77?', { topK: 3, mode: 'keyword' })
    expect(first?.content).toContain('QX-77')
    expect(first?.source).toBe('alice-notes.txt')
    const [korean] = await retriever.search(alice, '연차는 최대 며칠까지 늘어나나요?', { topK: 3, mode: 'keyword' })
    expect(korean?.source).toBe('휴가-규정.md')
  })

  test('the key-indexed keyword leg ranks exactly as a scan of every chunk would (substrings, case, one-digit terms)', async () => {
    const retriever = createRetriever({ db: database.db, embedder })
    const rows = await database.db.select({ id: documentChunks.id, content: documentChunks.content }).from(documentChunks).where(eq(documentChunks.ownerId, alice))
    for (const question of ['QUILLMARK jams?', 'ledger 4 QX-77', '휴가 며칠까지', '늘어나나요 입사', 'entry 1 review', 'paperwork 없는말']) {
      const terms = keywordTerms(question)
      const has = rows.map((r) => terms.map((t) => r.content.toLowerCase().includes(t)))
      const df = terms.map((_, i) => has.filter((h) => h[i]).length)
      const expected = rows
        .map((r, k) => ({ id: r.id, w: terms.reduce((w, _, i) => w + (has[k]![i] ? Math.log(1 + rows.length / df[i]!) : 0), 0) }))
        .filter((r) => r.w > 0)
        .sort((a, b) => b.w - a.w || a.id - b.id)
        .slice(0, 8)
      const hits = await retriever.search(alice, question, { topK: 8, mode: 'keyword' })
      expect(hits.map((h) => h.chunkId)).toEqual(expected.map((e) => e.id))
    }
  })

  test('a common term (in at least commonAt chunks) is not read beyond them: the rare terms pick the candidates, the common one weighs as if commonAt held it', async () => {
    const rows = await database.db.select({ id: documentChunks.id, content: documentChunks.content }).from(documentChunks).where(eq(documentChunks.ownerId, alice))
    const cap = 5
    // "ledger" is in 31 of Alice's chunks (common at 5), "qx-77" and "jams" in one (rare).
    const hits = await keywordHits(database.db, alice, 'ledger QX-77 jams', 10, cap)
    const withRare = rows.filter((r) => /qx-77|jams/i.test(r.content))
    expect(hits.map((h) => Number(h.chunk_id)).sort()).toEqual(withRare.map((r) => r.id).sort())
    const n = rows.length
    const expected = Math.log(1 + n / 1) * 2 + Math.log(1 + n / cap)
    expect(Number(hits[0]!.weight)).toBeCloseTo(expected, 6)
    // Every term common: the chunks read for them are ranked, at most commonAt a term, all of them holding a term.
    const common = await keywordHits(database.db, alice, 'ledger paperwork', 40, cap)
    expect(common.length).toBeGreaterThan(0)
    expect(common.length).toBeLessThanOrEqual(2 * cap)
    for (const h of common) expect(/ledger|paperwork/i.test(h.content)).toBe(true)
  })

  test.skipIf(!testDatabaseHasVector())('a hybrid search is four statements: the owner’s chunk count, the exact vector scan, the keyword ranking and its planner setting', async () => {
    const retriever = createRetriever({ db: database.db, embedder })
    queries.length = 0
    const hits = await retriever.search(alice, 'Quillmark scanner jams', { topK: 5 })
    expect(hits[0]?.content).toContain('jams')
    expect(queries).toHaveLength(4)
    expect(queries.filter((q) => q.includes('enable_seqscan'))).toHaveLength(1)
  })

  test.skipIf(!testDatabaseHasVector())('the HNSW path (owners above the exact-scan size) finds what the exact scan finds, still only the caller’s', async () => {
    const exact = createRetriever({ db: database.db, embedder })
    const indexed = createRetriever({ db: database.db, embedder, scanMaxChunks: 0 })
    for (const owner of [alice, bob]) {
      const a = await exact.search(owner, 'Quillmark QX-77 scanner', { topK: 5, mode: 'vector' })
      queries.length = 0
      const b = await indexed.search(owner, 'Quillmark QX-77 scanner', { topK: 5, mode: 'vector' })
      // Through the index, with no fallback to the exact scan: the bare-column distance never ran.
      expect(queries.some((q) => q.includes('hnsw.iterative_scan'))).toBe(true)
      expect(queries.some((q) => q.includes('e.embedding <=>'))).toBe(false)
      expect(b.map((h) => h.chunkId)).toEqual(a.map((h) => h.chunkId))
      const own = owner === alice ? ['alice-notes.txt', '휴가-규정.md'] : ['bob-notes.txt']
      expect(b.every((h) => own.includes(h.source))).toBe(true)
    }
  })

  test.skipIf(!testDatabaseHasVector())('every stored embedding has its code (CODE_BLOCKS thermometer bits a dimension), written by the trigger', async () => {
    const [r] = await queryRows<{ vectors: number; codes: number; bits: number; wrong: number }>(
      database.db,
      sql`select (select count(*) from chunk_embeddings)::int as vectors, count(*)::int as codes,
                 min(bit_length(k.code))::int as bits,
                 count(*) filter (where k.owner_id <> e.owner_id or k.dim <> e.dim or k.code <> rag_vector_code(e.embedding))::int as wrong
            from chunk_vector_codes k join chunk_embeddings e on e.chunk_id = k.chunk_id`,
    )
    expect(r!.codes).toBe(r!.vectors)
    expect(r!.codes).toBeGreaterThan(60)
    expect(r!.bits).toBe(DIM * CODE_BLOCKS)
    expect(r!.wrong).toBe(0)
    // Block k says whether each component exceeds the k-th threshold (standard deviations of a unit vector's component).
    const v = Array.from({ length: DIM }, (_, i) => ((i % 7) - 3) / (3 * Math.sqrt(DIM)))
    const [c] = await queryRows<{ code: string }>(database.db, sql`select rag_vector_code(${`[${v.join(',')}]`}::vector)::text as code`)
    const expected = [-1.5, -0.6, 0, 0.6, 1.5].map((t) => v.map((x) => (x > t / Math.sqrt(DIM) ? '1' : '0')).join('')).join('')
    expect(c!.code).toBe(expected)
  })

  test.skipIf(!testDatabaseHasVector())('the code scan re-ranks its candidates exactly: the clear best passage comes first, only the caller’s', async () => {
    const exact = createRetriever({ db: database.db, embedder, codeCandidates: 0 })
    // 32 of Alice's and 31 of Bob's passages: more than twice 10, so the code scan runs (20 candidates for 20 rows asked).
    const coded = createRetriever({ db: database.db, embedder, codeCandidates: 10 })
    for (const owner of [alice, bob]) {
      const question = owner === alice ? 'Quillmark QX-77 scanner jams when the tray is overfilled' : 'Quillmark QX-77 scanner needs firmware 4.2'
      const a = await exact.search(owner, question, { topK: 3, mode: 'vector' })
      queries.length = 0
      const b = await coded.search(owner, question, { topK: 3, mode: 'vector' })
      expect(queries.some((q) => q.includes('chunk_vector_codes'))).toBe(true)
      expect(queries.some((q) => q.includes('e.owner_id = $1 and e.dim'))).toBe(false)
      expect(b[0]!.chunkId).toBe(a[0]!.chunkId)
      expect(b[0]!.similarity).toBeCloseTo(a[0]!.similarity, 6)
      const own = owner === alice ? ['alice-notes.txt', '휴가-규정.md'] : ['bob-notes.txt']
      expect(b.every((h) => own.includes(h.source))).toBe(true)
    }
  })
})

import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, testDatabaseHasVector } from '../../../test/support/db'
import type { Database } from '../../platform/db/client'
import { users } from '../../platform/db/schema'
import { silentLogger } from '../../platform/logger'
import { createOfflineEmbedder } from '../ai/providers/offline-embedder'
import type { Embedder } from '../ai/types'
import { createDocumentRepo } from './document-repo'
import { createIngestService, documentContext, withContext } from './ingest-service'
import { createRetriever } from './retrieval'
import { sql } from 'drizzle-orm'
import { createDocumentProcessor } from './document-processor'
import { DEFAULT_PROCESSING_LIMITS } from './document-processing'

let database: Database
let owner: number
const withVector = test.skipIf(!testDatabaseHasVector())
const processor = createDocumentProcessor({ limits: DEFAULT_PROCESSING_LIMITS, timeoutMs: 20_000, workers: 1 })

beforeAll(async () => {
  database = await createTestDatabase()
  const [row] = await database.db.insert(users).values({ subject: 'ingest-batches', name: 'Ingest' }).returning({ id: users.id })
  owner = row!.id
})
afterAll(async () => {
  processor.close()
  await database.close()
})

const manual = (paragraphs: number) =>
  Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i} of the maintenance manual explains step ${i} in plain words, with care.`).join('\n\n')

withVector('a long document reaches the embedder in calls of 500 texts, each chunk embedded once and stored', async () => {
  const offline = createOfflineEmbedder({ dim: 32 })
  const calls: number[] = []
  // The offline embedder, recording how many texts each call carries (what a provider turns into requests).
  const embedder: Embedder = { ...offline, embed: (texts, signal) => (calls.push(texts.length), offline.embed(texts, signal)) }
  const documents = createDocumentRepo({ db: database.db })
  const ingest = createIngestService({ documents, embedder, processor, hasVector: () => true, maxBytes: 10 * 1024 * 1024, logger: silentLogger })
    const result = await ingest.ingest(owner, { kind: 'text', text: manual(4500), source: 'manual.txt' })
  expect(result.chunks).toBeGreaterThan(500)
  expect(calls.reduce((a, b) => a + b, 0)).toBe(result.chunks)
  expect(calls.slice(0, -1).every((n) => n === 500)).toBe(true)
  expect(calls).toHaveLength(Math.ceil(result.chunks / 500))
  expect(await documents.totals(owner)).toEqual({ documents: 1, chunks: result.chunks })
})

withVector('an embedder that fails part-way through a document stores none of it', async () => {
  const [row] = await database.db.insert(users).values({ subject: 'ingest-embed-fails', name: 'Fails' }).returning({ id: users.id })
  const offline = createOfflineEmbedder({ dim: 32 })
  let calls = 0
  const embedder: Embedder = {
    ...offline,
    embed: async (texts, signal) => {
      calls += 1
      if (calls === 3) throw new Error('provider went away')
      return offline.embed(texts, signal)
    },
  }
  const documents = createDocumentRepo({ db: database.db })
  const ingest = createIngestService({ documents, embedder, processor, hasVector: () => true, maxBytes: 10 * 1024 * 1024, logger: silentLogger, batchSize: 2 })
  await expect(ingest.ingest(row!.id, { kind: 'text', text: manual(200), source: 'half.txt' })).rejects.toThrow('provider went away')
  expect(calls).toBe(3)
  expect(await documents.list(row!.id)).toEqual([])
  expect(await documents.totals(row!.id)).toEqual({ documents: 0, chunks: 0 })
})

withVector('an insert that fails after the document and its chunks are written leaves no document row', async () => {
  const [row] = await database.db.insert(users).values({ subject: 'ingest-insert-fails', name: 'Fails' }).returning({ id: users.id })
  const documents = createDocumentRepo({ db: database.db })
  const texts = Array.from({ length: 5 }, (_, i) => `chunk ${i}`)
  const embeddings = await createOfflineEmbedder({ dim: 32 }).embed(texts)
  // pgvector refuses a vector without dimensions, so the last statement of the transaction (the embeddings) fails.
  embeddings[4] = []
  const inserted = documents.insert({ ownerId: row!.id, source: 'broken.txt', kind: 'text', sizeBytes: 10, chunks: texts.map((content, position) => ({ content, position })), embeddings })
  expect(await inserted.then(() => 'stored', () => 'failed')).toBe('failed')
  expect(await documents.list(row!.id)).toEqual([])
  expect(await documents.totals(row!.id)).toEqual({ documents: 0, chunks: 0 })
})

test('a document context is its file name in words and its opening line when that is a title', () => {
  expect(documentContext('saebom-daycare_guide.pptx', '새봄 어린이집 입소 안내\n\n하원: 오후 4시')).toBe('saebom daycare guide\n새봄 어린이집 입소 안내')
  expect(documentContext('notes.md', '# Field notes\nSome text')).toBe('notes\nField notes')
  // A first line that is a paragraph, not a title, adds nothing; a title equal to the name is said once.
  expect(documentContext('memo.txt', `${'A long first paragraph that runs on. '.repeat(4)}\nMore`)).toBe('memo')
  expect(documentContext('Lease.docx', 'Lease\nThe tenant pays…')).toBe('Lease')
  expect(withContext('Lease', 'Lease\nThe tenant pays…')).toBe('Lease\nThe tenant pays…')
  expect(withContext('Lease', 'Rent is due on the 1st.')).toBe('Lease\nRent is due on the 1st.')
})

withVector('every passage is embedded with its document context, stored as it was, and a question naming the document finds a passage that does not', async () => {
  const offline = createOfflineEmbedder({ dim: 256 })
  const embedded: string[] = []
  const embedder: Embedder = { ...offline, embed: (texts, signal) => (embedded.push(...texts), offline.embed(texts, signal)) }
  const documents = createDocumentRepo({ db: database.db })
  const ingest = createIngestService({ documents, embedder, processor, hasVector: () => true, maxBytes: 10 * 1024 * 1024, logger: silentLogger })
  const [row] = await database.db.insert(users).values({ subject: 'ingest-context', name: 'Context' }).returning({ id: users.id })
  const me = row!.id
  // Two guides with the same kind of section; only their titles say which is which.
  const guide = (title: string, hour: string) =>
    `${title}\n\n${'입소 절차와 준비물, 상담 일정과 서류를 안내합니다. '.repeat(30)}\n\n하원 시간은 오후 ${hour}시이며 늦을 경우 미리 연락해 주세요. 보호자 카드를 지참해야 합니다.`
  await ingest.ingest(me, { kind: 'text', text: guide('새봄 어린이집 입소 안내', '4'), source: 'saebom-guide.txt' })
  await ingest.ingest(me, { kind: 'text', text: guide('푸른숲 유치원 입학 안내', '6'), source: 'pureunsup-guide.txt' })
  expect(embedded.every((t) => t.startsWith('saebom guide\n새봄 어린이집 입소 안내') || t.startsWith('pureunsup guide\n푸른숲 유치원 입학 안내'))).toBe(true)
  const stored = await database.db.execute(sql`select content from document_chunks where owner_id = ${me} and content like '%하원 시간%'`)
  const rows = (stored as unknown as { content: string }[] | { rows: { content: string }[] })
  const contents = (Array.isArray(rows) ? rows : rows.rows).map((r) => r.content)
  expect(contents.length).toBe(2)
  expect(contents.every((c) => !c.includes('guide\n'))).toBe(true)
  const retriever = createRetriever({ db: database.db, embedder: offline })
  const [top] = await retriever.search(me, '새봄 어린이집 하원 시간', { mode: 'vector', topK: 1 })
  expect(top?.source).toBe('saebom-guide.txt')
  expect(top?.content).toContain('오후 4시')
})

withVector('a corpus searched by topic is embedded without its document context when asked', async () => {
  const offline = createOfflineEmbedder({ dim: 32 })
  const embedded: string[] = []
  const embedder: Embedder = { ...offline, embed: (texts, signal) => (embedded.push(...texts), offline.embed(texts, signal)) }
  const documents = createDocumentRepo({ db: database.db })
  const ingest = createIngestService({ documents, embedder, processor, hasVector: () => true, maxBytes: 10 * 1024 * 1024, logger: silentLogger })
  const text = '강아지 영양 기초\n\n성견은 하루 두 번 나누어 급여합니다.'
  await ingest.ingest(owner, { kind: 'text', text, source: 'dog-basics.md', withDocumentContext: false })
  expect(embedded).toEqual([text])
})

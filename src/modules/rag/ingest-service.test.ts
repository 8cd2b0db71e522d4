import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase, testDatabaseHasVector } from '../../../test/support/db'
import type { Database } from '../../platform/db/client'
import { users } from '../../platform/db/schema'
import { silentLogger } from '../../platform/logger'
import { createOfflineEmbedder } from '../ai/providers/offline-embedder'
import type { Embedder } from '../ai/types'
import { createDocumentRepo } from './document-repo'
import { createIngestService } from './ingest-service'
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

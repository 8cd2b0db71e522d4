import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDatabase } from '../../../test/support/db'
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

test('a long document reaches the embedder in calls of 500 texts, each chunk embedded once and stored', async () => {
  if (!database.hasVector) return
  const offline = createOfflineEmbedder({ dim: 32 })
  const calls: number[] = []
  // The offline embedder, recording how many texts each call carries (what a provider turns into requests).
  const embedder: Embedder = { ...offline, embed: (texts, signal) => (calls.push(texts.length), offline.embed(texts, signal)) }
  const documents = createDocumentRepo({ db: database.db })
  const ingest = createIngestService({ documents, embedder, processor, hasVector: () => true, maxBytes: 10 * 1024 * 1024, logger: silentLogger })
  const text = Array.from({ length: 4500 }, (_, i) => `Paragraph ${i} of the maintenance manual explains step ${i} in plain words, with care.`).join('\n\n')
  const result = await ingest.ingest(owner, { kind: 'text', text, source: 'manual.txt' })
  expect(result.chunks).toBeGreaterThan(500)
  expect(calls.reduce((a, b) => a + b, 0)).toBe(result.chunks)
  expect(calls.slice(0, -1).every((n) => n === 500)).toBe(true)
  expect(calls).toHaveLength(Math.ceil(result.chunks / 500))
  expect(await documents.totals(owner)).toEqual({ documents: 1, chunks: result.chunks })
})

/**
 * bench:rag — retrieval quality and speed of the docs pipeline on a PGlite huddle.
 * 1. Ingests bench/rag-data (rendered to PDF/DOCX/PPTX/MD/TXT per the manifest) through the
 *    real ingest service and reports throughput per format.
 * 2. Runs every labelled question and reports recall@5 and MRR@10 for vector only, keyword
 *    only and hybrid (target: hybrid recall@5 ≥ 0.9 with the offline embedder).
 * 3. Adds synthetic chunks in bulk (RAG_BENCH_CHUNKS, default 100000, within
 *    RAG_BENCH_BUDGET_S seconds) and reports hybrid retrieval p50/p99 and recall@5 at that size.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows } from '../src/platform/db/client'
import { migrate } from '../src/platform/db/migrate'
import { users } from '../src/platform/db/schema'
import { createOfflineEmbedder } from '../src/modules/ai/providers/offline-embedder'
import { createDocumentRepo } from '../src/modules/rag/document-repo'
import { createIngestService } from '../src/modules/rag/ingest-service'
import { createRetriever, type RetrievalMode } from '../src/modules/rag/retrieval'
import { ensureVectorIndex } from '../src/modules/rag/vector-index'
import { silentLogger } from '../src/platform/logger'
import { renderMarkdown, type RenderFormat } from '../test/fixtures/render-markdown'

interface ManifestDoc { source: string; format: RenderFormat; filename: string }
interface Question { id: string; question: string; doc: string }

const DATA = join(import.meta.dir, 'rag-data')
const manifest = JSON.parse(readFileSync(join(DATA, 'manifest.json'), 'utf8')) as { documents: ManifestDoc[] }
const questions = JSON.parse(readFileSync(join(DATA, 'questions.json'), 'utf8')) as Question[]
const dim = Number(process.env.EMBEDDING_DIM ?? 768)
const targetChunks = Number(process.env.RAG_BENCH_CHUNKS ?? 100_000)
const budgetMs = Number(process.env.RAG_BENCH_BUDGET_S ?? 240) * 1000

const database = await openDatabase({})
await migrate(database)
const db = database.db
await ensureVectorIndex(db, dim)
const embedder = createOfflineEmbedder({ dim })
const documents = createDocumentRepo({ db })
const ingest = createIngestService({ documents, embedder, hasVector: () => database.hasVector, maxBytes: 10 * 1024 * 1024, logger: silentLogger })
const retriever = createRetriever({ db, embedder })
const [owner] = await db.insert(users).values({ subject: 'bench-rag', name: 'bench' }).returning({ id: users.id })
const ownerId = owner!.id

const perFormat = new Map<string, { bytes: number; ms: number; docs: number }>()
const filenameOf = new Map<string, string>()
for (const doc of manifest.documents) {
  const bytes = await renderMarkdown(readFileSync(join(DATA, 'docs', doc.source), 'utf8'), doc.format)
  const started = performance.now()
  await ingest.ingest(ownerId, { kind: 'file', bytes, filename: doc.filename })
  const ms = performance.now() - started
  const f = perFormat.get(doc.format) ?? { bytes: 0, ms: 0, docs: 0 }
  perFormat.set(doc.format, { bytes: f.bytes + bytes.byteLength, ms: f.ms + ms, docs: f.docs + 1 })
  filenameOf.set(doc.source, doc.filename)
}

async function quality(mode: RetrievalMode, timings?: number[]) {
  let hits5 = 0
  let rr = 0
  for (const q of questions) {
    const started = performance.now()
    const found = await retriever.search(ownerId, q.question, { topK: 10, mode })
    timings?.push(performance.now() - started)
    const rank = found.findIndex((c) => c.source === filenameOf.get(q.doc)) + 1
    if (rank >= 1 && rank <= 5) hits5++
    if (rank >= 1) rr += 1 / rank
  }
  return { recall5: hits5 / questions.length, mrr: rr / questions.length }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const f3 = (x: number) => x.toFixed(3)

console.log(`## bench:rag (offline embedder, dim ${dim}, ${manifest.documents.length} documents, ${questions.length} questions)\n`)
console.log('| format | documents | MB | seconds | MB/s |\n|---|---|---|---|---|')
for (const [format, f] of perFormat) console.log(`| ${format} | ${f.docs} | ${(f.bytes / 1e6).toFixed(3)} | ${(f.ms / 1000).toFixed(2)} | ${(f.bytes / 1e6 / (f.ms / 1000)).toFixed(2)} |`)
console.log('\n| retrieval | recall@5 | MRR@10 |\n|---|---|---|')
const results: Record<string, { recall5: number; mrr: number }> = {}
for (const mode of ['vector', 'keyword', 'hybrid'] as const) {
  results[mode] = await quality(mode)
  console.log(`| ${mode} | ${f3(results[mode]!.recall5)} | ${f3(results[mode]!.mrr)} |`)
}

// Synthetic chunks with random unit-ish vectors, inserted in bulk in batches until the target or the budget.
const [synthDoc] = await queryRows<{ id: number }>(
  db,
  sql`insert into documents (owner_id, source, kind, size_bytes, chunk_count) values (${ownerId}, 'synthetic.txt', 'text', 0, 0) returning id`,
)
const BATCH = 5000
const fillStarted = performance.now()
let inserted = 0
while (inserted < targetChunks && performance.now() - fillStarted < budgetMs) {
  const n = Math.min(BATCH, targetChunks - inserted)
  await db.execute(sql`
    with c as (
      insert into document_chunks (document_id, owner_id, position, content)
      select ${synthDoc!.id}, ${ownerId}, ${inserted} + g,
             'filler record ' || g || ' ledger ' || md5(g::text) || ' ' || md5((g * 7)::text)
        from generate_series(1, ${n}) g
      returning id)
    insert into chunk_embeddings (chunk_id, owner_id, dim, embedding)
    select c.id, ${ownerId}, ${dim}, v.vec
      from c, lateral (select array_agg(random()::real - 0.5)::vector as vec from generate_series(1, ${dim}) x(i) where c.id > 0) v`)
  inserted += n
}
const fillSeconds = (performance.now() - fillStarted) / 1000
const timings: number[] = []
const atScale = await quality('hybrid', timings)
console.log(
  `\n| synthetic chunks | fill seconds | hybrid p50 ms | hybrid p99 ms | hybrid recall@5 at this size |\n|---|---|---|---|---|\n| ${inserted} | ${fillSeconds.toFixed(1)} | ${pct(timings, 50).toFixed(1)} | ${pct(timings, 99).toFixed(1)} | ${f3(atScale.recall5)} |`,
)
if (inserted < targetChunks) console.log(`\n(stopped at ${inserted} of ${targetChunks} synthetic chunks: RAG_BENCH_BUDGET_S reached)`)
const ok = results.hybrid!.recall5 >= 0.9
console.log(`\nhybrid recall@5 ${f3(results.hybrid!.recall5)} ${ok ? '≥' : '<'} 0.9 target: ${ok ? 'PASS' : 'FAIL'}`)
await database.close()
process.exit(ok ? 0 : 1)

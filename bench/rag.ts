/**
 * bench:rag — retrieval quality and speed of the docs pipeline.
 * 1. Ingests bench/rag-data (rendered to PDF/DOCX/PPTX/MD/TXT per the manifest) through the
 *    real ingest service, then one generated document of about 1 MB per format, and reports
 *    throughput per format for both.
 * 2. Runs every labelled question and reports recall@5 and MRR@10 for vector only, keyword
 *    only and hybrid (target: hybrid recall@5 ≥ 0.9 with the offline embedder), with latency.
 * 3. Bulk-loads synthetic chunks with embeddings (RAG_BENCH_CHUNKS, default 100000, over
 *    RAG_BENCH_OWNERS owners, default 10, the bench's owner among them; loading stops at
 *    RAG_BENCH_BUDGET_S, default 180) and reports p50/p99 of hybrid retrieval and of each leg,
 *    and recall@5, at that size; then the same with every vector compared exactly, and the
 *    default vector path's share of the exact top 5 for each number of code candidates in
 *    RAG_BENCH_CODES (default 100,300,1000).
 * 4. With RAG_BENCH_HNSW=1 (the default on a server) rebuilds the HNSW index after the load and
 *    times the index path too (every owner forced through it), and the index path's recall@5
 *    against the exact scan for each hnsw.ef_search in RAG_BENCH_EF (default 100,400,1000).
 * `--quick` is the small scale `bun run bench` uses: 5,000 synthetic chunks over 2 owners.
 * PGlite in memory by default; RAG_BENCH_DATABASE_URL=postgres://… runs it on a server with
 * pgvector (use a scratch database: the bench drops and rebuilds the HNSW index and deletes
 * its users at the end).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inArray, sql } from 'drizzle-orm'
import { openDatabase, queryRows } from '../src/platform/db/client'
import { migrate } from '../src/platform/db/migrate'
import { users } from '../src/platform/db/schema'
import { createOfflineEmbedder } from '../src/modules/ai/providers/offline-embedder'
import { createDocumentRepo } from '../src/modules/rag/document-repo'
import { createIngestService } from '../src/modules/rag/ingest-service'
import { createDocumentProcessor } from '../src/modules/rag/document-processor'
import { DEFAULT_PROCESSING_LIMITS } from '../src/modules/rag/document-processing'
import { printBenchJson, wantsJson } from './bench-json'
import { CODE_CANDIDATES, createRetriever, SCAN_MAX_CHUNKS, type RetrievalMode, type Retriever } from '../src/modules/rag/retrieval'
import { ensureVectorIndex } from '../src/modules/rag/vector-index'
import { silentLogger } from '../src/platform/logger'
import { renderMarkdown, type RenderFormat } from '../test/fixtures/render-markdown'
import { loadSyntheticChunks } from './rag-synthetic'

interface ManifestDoc { source: string; format: RenderFormat; filename: string }
interface Question { id: string; question: string; doc: string }

const DATA = join(import.meta.dir, 'rag-data')
const manifest = JSON.parse(readFileSync(join(DATA, 'manifest.json'), 'utf8')) as { documents: ManifestDoc[] }
const questions = JSON.parse(readFileSync(join(DATA, 'questions.json'), 'utf8')) as Question[]
const sources = new Map(manifest.documents.map((d) => [d.source, readFileSync(join(DATA, 'docs', d.source), 'utf8')]))
const dim = Number(process.env.EMBEDDING_DIM ?? 768)
// --quick: the small scale of `bun run bench` (the labelled documents plus 5,000 synthetic
// chunks over 2 owners, no HNSW rebuild); a RAG_BENCH_* variable still wins over it.
const quick = process.argv.includes('--quick')
const setting = (name: string, full: string, small: string) => process.env[name] ?? (quick ? small : full)
const targetChunks = Number(setting('RAG_BENCH_CHUNKS', '100000', '5000'))
const ownerCount = Math.max(1, Number(setting('RAG_BENCH_OWNERS', '10', '2')))
const budgetMs = Number(setting('RAG_BENCH_BUDGET_S', '180', '60')) * 1000
const largeBytes = Number(setting('RAG_BENCH_LARGE_MB', '1', '0.05')) * 1e6
const serverUrl = process.env.RAG_BENCH_DATABASE_URL
const efSweep = (process.env.RAG_BENCH_EF ?? '100,400,1000').split(',').map(Number)
const codeSweep = (process.env.RAG_BENCH_CODES ?? `100,${CODE_CANDIDATES},1000`).split(',').map(Number)
const rebuildIndex = setting('RAG_BENCH_HNSW', serverUrl ? '1' : '0', '0') === '1'

const database = await openDatabase({ url: serverUrl })
await migrate(database)
if (!database.hasVector) throw new Error('bench:rag needs the vector extension (pgvector)')
const db = database.db
await ensureVectorIndex(db, dim)
const embedder = createOfflineEmbedder({ dim })
const documents = createDocumentRepo({ db })
const processor = createDocumentProcessor({ limits: DEFAULT_PROCESSING_LIMITS, timeoutMs: 120_000, workers: 1 })
const ingest = createIngestService({ documents, embedder, processor, hasVector: () => database.hasVector, maxBytes: 10 * 1024 * 1024, logger: silentLogger })
const retriever = createRetriever({ db, embedder })
const run = `bench-rag-${Date.now()}`
const ownerRows = await db
  .insert(users)
  .values(Array.from({ length: ownerCount + 1 }, (_, i) => ({ subject: `${run}-${i}`, name: `bench ${i}` })))
  .returning({ id: users.id })
const ownerIds = ownerRows.map((r) => r.id)
// The first owner holds the labelled documents and asks the questions; the last takes the large
// generated files, so they are timed without changing what the questions retrieve.
const ownerId = ownerIds[0]!
const largeOwner = ownerIds[ownerCount]!

const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(2)
const f3 = (x: number) => x.toFixed(3)
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!

const perFormat = new Map<string, { bytes: number; ms: number; docs: number }>()
const filenameOf = new Map<string, string>()
for (const doc of manifest.documents) {
  const bytes = await renderMarkdown(sources.get(doc.source)!, doc.format)
  const started = performance.now()
  await ingest.ingest(ownerId, { kind: 'file', bytes, filename: doc.filename })
  const ms = performance.now() - started
  const f = perFormat.get(doc.format) ?? { bytes: 0, ms: 0, docs: 0 }
  perFormat.set(doc.format, { bytes: f.bytes + bytes.byteLength, ms: f.ms + ms, docs: f.docs + 1 })
  filenameOf.set(doc.source, doc.filename)
}

/** A document of about `target` file bytes in `format`, made of the labelled documents' text (English only for PDF, whose fixture fonts lack Hangul). */
async function largeDocument(format: RenderFormat, target: number): Promise<Uint8Array> {
  const pool = manifest.documents.filter((d) => format !== 'pdf' || !/[\uac00-\ud7a3]/.test(sources.get(d.source)!))
  const texts = pool.map((d) => sources.get(d.source)!)
  const build = (chars: number) => {
    let md = ''
    for (let i = 0; md.length < chars; i++) md += texts[i % texts.length]!.replace(/^# /m, `# Part ${i + 1}: `) + '\n\n'
    return md
  }
  // Rendered size per source character differs by format (zip compression, PDF layout): measure it once.
  const probeChars = 100_000
  const probe = await renderMarkdown(build(probeChars), format)
  return renderMarkdown(build(Math.ceil((probeChars * target) / probe.byteLength)), format)
}

const large: { format: string; bytes: number; ms: number; chunks: number; note?: string }[] = []
for (const format of ['pdf', 'docx', 'pptx', 'md', 'txt'] as const) {
  let target = largeBytes
  for (;;) {
    const bytes = await largeDocument(format, target)
    try {
      const started = performance.now()
      const r = await ingest.ingest(largeOwner, { kind: 'file', bytes, filename: `large.${format}` })
      large.push({ format, bytes: bytes.byteLength, ms: performance.now() - started, chunks: r.chunks })
      break
    } catch (error) {
      // A deck of ~1 MB has more parts than the ZIP guard allows (5,000 entries); take the largest that passes.
      if (target < 0.1e6) throw error
      target /= 2
    }
  }
}

async function quality(mode: RetrievalMode, r: Retriever = retriever) {
  let hits5 = 0
  let rr = 0
  const ms: number[] = []
  for (const q of questions) {
    const started = performance.now()
    const found = await r.search(ownerId, q.question, { topK: 10, mode })
    ms.push(performance.now() - started)
    const rank = found.findIndex((c) => c.source === filenameOf.get(q.doc)) + 1
    if (rank >= 1 && rank <= 5) hits5++
    if (rank >= 1) rr += 1 / rank
  }
  return { recall5: hits5 / questions.length, mrr: rr / questions.length, p50: pct(ms, 50), p99: pct(ms, 99), max: Math.max(...ms) }
}

const [base] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from document_chunks`)
console.log(`## bench:rag (${database.driver}, offline embedder, dim ${dim}, ${manifest.documents.length} documents, ${questions.length} questions)\n`)
console.log('| format | labelled files | MB | MB/s | generated file MB | chunks | seconds | MB/s |\n|---|---|---|---|---|---|---|---|')
for (const l of large) {
  const f = perFormat.get(l.format)!
  console.log(`| ${l.format} | ${f.docs} | ${(f.bytes / 1e6).toFixed(3)} | ${mbps(f.bytes, f.ms)} | ${(l.bytes / 1e6).toFixed(2)} | ${l.chunks} | ${(l.ms / 1000).toFixed(2)} | ${mbps(l.bytes, l.ms)} |`)
}

const row = (label: string, q: Awaited<ReturnType<typeof quality>>) =>
  console.log(`| ${label} | ${f3(q.recall5)} | ${f3(q.mrr)} | ${q.p50.toFixed(1)} | ${q.p99.toFixed(1)} |`)
console.log(`\n${Number(base?.n)} chunks in the database (the asking owner: the labelled documents only)\n`)
console.log('| retrieval | recall@5 | MRR@10 | p50 ms | p99 ms |\n|---|---|---|---|---|')
const results: Record<string, Awaited<ReturnType<typeof quality>>> = {}
for (const mode of ['vector', 'keyword', 'hybrid'] as const) {
  results[mode] = await quality(mode)
  row(mode, results[mode]!)
}

// Bulk load: without the HNSW index, whose per-row upkeep is what made the old load slow.
await db.execute(sql.raw(`drop index if exists chunk_embeddings_hnsw_${dim}`))
const corpus = [...sources.values()]
const load = await loadSyntheticChunks(db, { owners: ownerIds.slice(0, ownerCount), chunks: targetChunks, budgetMs, corpus, embedder })
const [counts] = await queryRows<{ total: number; mine: number }>(
  db,
  sql`select count(*)::int as total, count(*) filter (where owner_id = ${ownerId})::int as mine from document_chunks`,
)
console.log(
  `\nLoaded ${load.chunks} synthetic chunks with embeddings in ${load.seconds.toFixed(1)} s (${(load.chunks / load.seconds).toFixed(0)}/s) over ${ownerCount} owners:` +
    ` ${counts!.total} chunks in the database, ${counts!.mine} of them the asking owner's.`,
)
if (load.chunks < targetChunks) console.log(`(stopped at ${load.chunks} of ${targetChunks}: RAG_BENCH_BUDGET_S reached)`)
// Steady state: the statistics keeper would analyse the grown tables within 30 s of the load, and
// a question that waits behind that one-off ANALYZE times the ANALYZE, not retrieval.
await database.statistics?.analyzeAll()
const vectorPath =
  counts!.mine <= SCAN_MAX_CHUNKS ? `code scan, ${CODE_CANDIDATES} re-ranked exactly` : 'HNSW path, but the index is not rebuilt yet: a full sort'
console.log('\n| at scale | recall@5 | MRR@10 | p50 ms | p99 ms |\n|---|---|---|---|---|')
const atScale: Record<string, Awaited<ReturnType<typeof quality>>> = {}
for (const mode of ['vector', 'keyword', 'hybrid'] as const) {
  atScale[mode] = await quality(mode)
  row(mode === 'keyword' ? mode : `${mode} (${vectorPath})`, atScale[mode]!)
}
// Every one of the owner's vectors compared: the reference for the share of the exact top 5 a path finds.
const exact = createRetriever({ db, embedder, scanMaxChunks: Number.MAX_SAFE_INTEGER, codeCandidates: 0 })
if (counts!.mine <= SCAN_MAX_CHUNKS) {
  for (const mode of ['vector', 'hybrid'] as const) row(`${mode} (exact scan of every vector)`, await quality(mode, exact))
}
const truth = new Map<string, number[]>()
for (const q of questions) truth.set(q.id, (await exact.search(ownerId, q.question, { topK: 5, mode: 'vector' })).map((c) => c.chunkId))

/** The vector leg's share of the exact top 5, and its latency. */
async function agreement(r: Retriever) {
  let agree = 0
  const ms: number[] = []
  for (const q of questions) {
    const started = performance.now()
    const found = await r.search(ownerId, q.question, { topK: 5, mode: 'vector' })
    ms.push(performance.now() - started)
    const want = truth.get(q.id)!
    agree += found.filter((c) => want.includes(c.chunkId)).length / Math.max(1, want.length)
  }
  return `${f3(agree / questions.length)} | ${pct(ms, 50).toFixed(1)} | ${pct(ms, 99).toFixed(1)}`
}
if (counts!.mine <= SCAN_MAX_CHUNKS) {
  console.log('\n| code candidates re-ranked | vector recall@5 vs exact | vector p50 ms | vector p99 ms |\n|---|---|---|---|')
  for (const n of codeSweep) console.log(`| ${n} | ${await agreement(createRetriever({ db, embedder, codeCandidates: n }))} |`)
}

if (rebuildIndex) {
  const started = performance.now()
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '512MB'`)
    await ensureVectorIndex(tx, dim)
  })
  console.log(`\nHNSW index rebuilt over ${counts!.total} chunks in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  console.log('| at scale, index path | recall@5 | MRR@10 | p50 ms | p99 ms |\n|---|---|---|---|---|')
  const indexed = createRetriever({ db, embedder, scanMaxChunks: 0 })
  for (const mode of ['vector', 'hybrid'] as const) row(`${mode} (HNSW, iterative scan)`, await quality(mode, indexed))
  console.log('\n| HNSW ef_search | vector recall@5 vs exact | vector p50 ms | vector p99 ms |\n|---|---|---|---|')
  for (const ef of efSweep) console.log(`| ${ef} | ${await agreement(createRetriever({ db, embedder, scanMaxChunks: 0, hnswEfSearch: ef }))} |`)
} else {
  console.log('\n(HNSW index left out after the load: RAG_BENCH_HNSW=1 rebuilds it and times the index path)')
}

const ok = results.hybrid!.recall5 >= 0.9 && atScale.hybrid!.recall5 >= 0.9
console.log(`\nhybrid recall@5 ${f3(results.hybrid!.recall5)}, at scale ${f3(atScale.hybrid!.recall5)}; ≥ 0.9 target: ${ok ? 'PASS' : 'FAIL'}`)
if (wantsJson()) {
  // The p99 targets are set at 107k chunks over 10 owners; a smaller run reports them only.
  const full = counts!.total >= 100_000
  const p99 = (scenario: string, r: { p99: number }, target: number) => ({
    scenario, metric: 'hybrid p99', value: r.p99, ceiling: null, ratio: null, target: `≤ ${target} ms at 100k+ chunks`, pass: full ? r.p99 <= target : null, unit: 'ms',
  })
  const recall = (scenario: string, r: { recall5: number }) => ({
    scenario, metric: 'hybrid recall@5', value: r.recall5, ceiling: null, ratio: null, target: '≥ 0.95', pass: r.recall5 >= 0.95, unit: '',
  })
  printBenchJson([
    recall('rag, labelled documents only', results.hybrid!),
    recall(`rag, ${counts!.total} chunks / ${ownerCount} owners`, atScale.hybrid!),
    p99(`rag, ${counts!.total} chunks / ${ownerCount} owners`, atScale.hybrid!, ownerCount === 1 ? 100 : 50),
  ])
}
if (serverUrl) await db.delete(users).where(inArray(users.id, ownerIds))
processor.close()
await database.close()
process.exit(ok ? 0 : 1)

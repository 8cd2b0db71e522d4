/**
 * Synthetic chunks for bench:rag's scale run: distractor passages with real embeddings,
 * loaded in bulk, spread over several owners.
 *
 * Each passage joins three texts from a pool of a few thousand; each pool text mixes words of
 * the benchmark's own documents (their most frequent ones, so common question terms such as
 * "temperature" or "요금" match many distractors, as they would in a real library) with
 * made-up words (so the corpus has a long tail). The pool is embedded once with the real
 * embedder and stored in a temporary table; a passage's embedding is the normalised sum of its
 * three texts' embeddings, computed in SQL. For hashed n-gram features that is close to
 * embedding the joined text, so the distractors sit where real text would in the vector space.
 * A batch is one INSERT … SELECT: no per-row round trip, no passage text or vector shipped.
 */
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../src/platform/db/client'
import type { Embedder } from '../src/modules/ai/types'

export interface SyntheticLoad {
  /** Owners that receive passages, round-robin by document. */
  owners: number[]
  /** Passages to add in total. */
  chunks: number
  /** Stop starting new batches after this long. */
  budgetMs: number
  /** The texts whose frequent words seed the pool. */
  corpus: string[]
  embedder: Embedder
}

const POOL = 3000
const WORDS_PER_POOL_TEXT = 40
const CHUNKS_PER_DOCUMENT = 200
const BATCH = 5000
/** Rows per statement when shipping the pool (its vectors travel as JSON text). */
const POOL_BATCH = 250

/** A small deterministic generator (mulberry32), so every run loads the same passages. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function poolTexts(corpus: string[]): string[] {
  const counts = new Map<string, number>()
  for (const text of corpus) {
    for (const w of text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1)
  }
  const common = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 400)
    .map(([w]) => w)
  const random = prng(42)
  const latin = 'bcdfghklmnprstvz'
  const vowels = 'aeiou'
  const made = Array.from({ length: 20_000 }, (_, i) => {
    if (i % 3 === 0) {
      // Hangul syllables: a Korean-looking made-up word of 2–3 syllables.
      const n = 2 + Math.floor(random() * 2)
      return String.fromCharCode(...Array.from({ length: n }, () => 0xac00 + Math.floor(random() * 11172)))
    }
    const n = 2 + Math.floor(random() * 3)
    let w = ''
    for (let s = 0; s < n; s++) w += latin[Math.floor(random() * latin.length)]! + vowels[Math.floor(random() * vowels.length)]!
    return w
  })
  return Array.from({ length: POOL }, () =>
    Array.from({ length: WORDS_PER_POOL_TEXT }, () =>
      random() < 0.3 ? common[Math.floor(random() * common.length)]! : made[Math.floor(random() * made.length)]!,
    ).join(' '),
  )
}

/** Adds `chunks` synthetic passages with embeddings; returns how many were added and the seconds taken. */
export async function loadSyntheticChunks(db: Db, load: SyntheticLoad): Promise<{ chunks: number; seconds: number }> {
  const started = performance.now()
  const dim = load.embedder.dim
  const texts = poolTexts(load.corpus)
  const vectors = await load.embedder.embed(texts)
  await db.execute(sql`create temporary table if not exists rag_bench_pool (i int primary key, content text not null, vec vector not null)`)
  await db.execute(sql`truncate rag_bench_pool`)
  for (let i = 0; i < texts.length; i += POOL_BATCH) {
    const rows = texts.slice(i, i + POOL_BATCH).map((t, j) => [i + j, t, `[${vectors[i + j]!.map((v) => v.toPrecision(6)).join(',')}]`])
    await db.execute(sql`insert into rag_bench_pool (i, content, vec)
                         select (x->>0)::int, x->>1, (x->>2)::vector from json_array_elements(${JSON.stringify(rows)}::json) x`)
  }
  let added = 0
  let document = 0
  while (added < load.chunks && performance.now() - started < load.budgetMs) {
    const n = Math.min(BATCH, load.chunks - added)
    // One document per CHUNKS_PER_DOCUMENT passages, owners taking documents in turn.
    const docs = Math.ceil(n / CHUNKS_PER_DOCUMENT)
    const owners = Array.from({ length: docs }, (_, k) => load.owners[(document + k) % load.owners.length]!)
    const ids = await queryRows<{ id: number; owner_id: number }>(
      db,
      sql`insert into documents (owner_id, source, kind, size_bytes, chunk_count)
          select o, 'synthetic-' || (${document} + k) || '.txt', 'text', 0, least(${CHUNKS_PER_DOCUMENT}, ${n} - (k - 1) * ${CHUNKS_PER_DOCUMENT})
            from unnest(${`{${owners.join(',')}}`}::bigint[]) with ordinality as t(o, k)
          returning id, owner_id`,
    )
    const docIds = `{${ids.map((r) => r.id).join(',')}}`
    const docOwners = `{${ids.map((r) => r.owner_id).join(',')}}`
    await db.execute(sql`
      with docs as (
             select d, o, k from unnest(${docIds}::int[], ${docOwners}::bigint[]) with ordinality as t(d, o, k)),
           src as (
             select g, docs.d, docs.o,
                    (g * 7919) % ${POOL} as a, (g * 104729 + 13) % ${POOL} as b, (g * 1299709 + 101) % ${POOL} as c
               from generate_series(${added}::bigint, ${added + n - 1}::bigint) g
               join docs on docs.k = (g - ${added}) / ${CHUNKS_PER_DOCUMENT} + 1),
           ins as (
             insert into document_chunks (document_id, owner_id, position, content)
             select src.d, src.o, src.g, pa.content || ' ' || pb.content || ' ' || pc.content
               from src
               join rag_bench_pool pa on pa.i = src.a
               join rag_bench_pool pb on pb.i = src.b
               join rag_bench_pool pc on pc.i = src.c
             returning id, owner_id, position)
      insert into chunk_embeddings (chunk_id, owner_id, dim, embedding)
      select ins.id, ins.owner_id, ${dim}, l2_normalize(pa.vec + pb.vec + pc.vec)
        from ins
        join rag_bench_pool pa on pa.i = (ins.position::bigint * 7919) % ${POOL}
        join rag_bench_pool pb on pb.i = (ins.position::bigint * 104729 + 13) % ${POOL}
        join rag_bench_pool pc on pc.i = (ins.position::bigint * 1299709 + 101) % ${POOL}`)
    added += n
    document += docs
  }
  return { chunks: added, seconds: (performance.now() - started) / 1000 }
}

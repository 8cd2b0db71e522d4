import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/client'
import type { Embedder } from '../ai/types'
import { keywordHits } from './keyword-search'
import { embeddingExpr, questionCodes, vectorLiteral } from './vector-index'

/** One retrieved passage of the caller's own documents. */
export interface RetrievedChunk {
  chunkId: number
  documentId: number
  source: string
  content: string
  /** Within 0..1: the cosine similarity for a vector hit, the share of query terms matched for a keyword-only hit. */
  similarity: number
}

/** Which rankings to use; `hybrid` fuses both with reciprocal rank fusion. */
export type RetrievalMode = 'vector' | 'keyword' | 'hybrid'

/** Options of one search. */
export interface SearchOptions {
  topK?: number
  mode?: RetrievalMode
  /** Vector hits below this cosine similarity are dropped (keyword hits still count). */
  minSimilarity?: number
  signal?: AbortSignal
}

export interface RetrieverDeps {
  db: Db
  embedder: Embedder
  /**
   * Owners with at most this many embeddings of the embedder's dimension are scanned (their
   * codes, then the best candidates' vectors); larger owners go through the HNSW index. Default
   * 20,000: the scan then costs a few tens of milliseconds on PGlite, and its recall under the
   * owner filter is far above the index's (bench:rag).
   */
  scanMaxChunks?: number
  /**
   * How many of the owner's passages the code scan hands to the exact re-rank (default
   * CODE_CANDIDATES); 0 compares every one of the owner's vectors exactly instead.
   */
  codeCandidates?: number
  /** HNSW candidate list size on the index path (default `HNSW_EF_SEARCH`); bench:rag measures recall against it. */
  hnswEfSearch?: number
}

/** The constant of reciprocal rank fusion; 60 is the value of Cormack et al. */
const RRF_K = 60
/** How many candidates each ranking contributes before fusion. */
const CANDIDATES = 20
/** The default of `RetrieverDeps.scanMaxChunks`. */
export const SCAN_MAX_CHUNKS = 20_000
/**
 * The default of `RetrieverDeps.codeCandidates`. With the offline embedder at 10,000 passages
 * an owner, 300 keeps the vector leg's labelled recall@5 at 0.88 against 0.90 for the exact
 * scan, at 35–40 % of its time (bench:rag reports both recalls).
 */
export const CODE_CANDIDATES = 300
/**
 * HNSW candidate list size for the index path. It must exceed the rows asked for, and the
 * owner filter is applied after the index, so the scan is also told to continue past the
 * first list (`hnsw.iterative_scan`) until enough of the owner's rows are found.
 */
export const HNSW_EF_SEARCH = 100

interface Row {
  chunk_id: unknown
  document_id: unknown
  source: string
  content: string
  score: unknown
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0)

/**
 * Hybrid retrieval over one owner's chunks: pgvector cosine top-k, and keyword matching (the
 * question's distinctive terms found anywhere in a chunk, case-insensitively, as ILIKE
 * '%term%' would, weighted by how rare each term is among the owner's chunks), fused by
 * reciprocal rank. Every query filters on `owner_id`: no other user's chunk is ever read.
 *
 * Cost: the vector leg scans the codes of at most `scanMaxChunks` passages and compares
 * `codeCandidates` full vectors (or all of a small owner's), or walks the HNSW index for a larger
 * owner; the keyword leg reads the chunks the bigram index offers for the question's
 * terms (keyword-search.ts).
 */
/** The passages of the vector hits `h(chunk_id, distance)`, nearest first: what every vector path returns. */
const passagesOfHits = sql`select c.id as chunk_id, c.document_id, d.source, c.content, 1 - h.distance as score
  from h
  join document_chunks c on c.id = h.chunk_id
  join documents d on d.id = c.document_id
 order by h.distance, c.id`

export function createRetriever(deps: RetrieverDeps) {
  const { db, embedder } = deps
  const scanMax = deps.scanMaxChunks ?? SCAN_MAX_CHUNKS
  const codeCandidates = Math.max(0, Math.floor(deps.codeCandidates ?? CODE_CANDIDATES))
  const efSearch = Math.max(1, Math.min(1000, Math.floor(deps.hnswEfSearch ?? HNSW_EF_SEARCH)))

  /**
   * The owner's chunk count as their documents record it (one row per document, where counting
   * embeddings read one per chunk). Every chunk has an embedding where this path runs; one of
   * another dimension (EMBEDDING_DIM changed) can only send an owner to the index path, whose
   * short answer falls back to the exact scan.
   */
  async function ownerChunks(ownerId: number): Promise<number> {
    const [r] = await queryRows<{ n: unknown }>(db, sql`select coalesce(sum(chunk_count), 0)::int as n from documents where owner_id = ${ownerId}`)
    return Number(r?.n ?? 0)
  }

  /**
   * Exact top-`limit`: the distance is taken on the bare column, which the planner cannot answer
   * from the HNSW index (built on `embedding::vector(dim)`), so it reads the owner's rows through
   * the (owner_id, dim) index and keeps the nearest with a bounded heap sort.
   */
  function exactHits(ownerId: number, dim: number, lit: SQL, limit: number): Promise<Row[]> {
    return queryRows<Row>(
      db,
      sql`with h as (
            select e.chunk_id, e.embedding <=> ${lit} as distance
              from chunk_embeddings e
             where e.owner_id = ${ownerId} and e.dim = ${dim}
             order by 2, 1
             limit ${limit})
          ${passagesOfHits}`,
    )
  }

  /**
   * Approximate top-`limit` through the HNSW index. The owner filter is applied to what the
   * index yields, so the scan is iterative (pgvector ≥ 0.8) and may return rows slightly out
   * of order, hence the re-sort; the settings are local to this transaction. The filter is
   * written `owner_id + 0` so the (owner_id, dim) index cannot serve it: without statistics
   * (PGlite never analyses) the planner takes the owner for one row and would sort all of
   * them instead, and this path is only taken for an owner known to be large.
   */
  function indexHits(ownerId: number, dim: number, lit: SQL, limit: number): Promise<Row[]> {
    const expr = embeddingExpr(dim)
    return db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local hnsw.ef_search = ${Math.max(efSearch, limit)}`))
      await tx.execute(sql.raw(`set local hnsw.iterative_scan = relaxed_order`))
      return queryRows<Row>(
        tx,
        sql`with h as materialized (
              select e.chunk_id, ${expr} <=> ${lit} as distance
                from chunk_embeddings e
               where e.dim = ${dim} and e.owner_id + 0 = ${ownerId}
               order by ${expr} <=> ${lit}
               limit ${limit})
            ${passagesOfHits}`,
      )
    })
  }

  /**
   * Approximate top-`limit` from the owner's stored codes (drizzle/0010_chunk_vector_codes.sql):
   * the `candidates` best by the code estimate (a scan of narrow rows, a tenth of the vectors'
   * pages), re-ranked on their full vectors. The re-rank reads each candidate through the
   * primary key (`offset 0` keeps the planner from turning it into a scan of every vector).
   */
  function codedHits(ownerId: number, dim: number, q: number[], lit: SQL, limit: number, candidates: number): Promise<Row[]> {
    const { same, opposite } = questionCodes(q)
    return queryRows<Row>(
      db,
      sql`with x as materialized (
            select k.chunk_id from chunk_vector_codes k
             where k.owner_id = ${ownerId} and k.dim = ${dim}
             order by (k.code <~> ${same}::varbit) - (k.code <~> ${opposite}::varbit), k.chunk_id
             limit ${candidates}),
          h as materialized (
            select v.chunk_id, v.distance
              from x
             cross join lateral (
                   select e.chunk_id, e.embedding <=> ${lit} as distance
                     from chunk_embeddings e
                    where e.chunk_id = x.chunk_id and e.owner_id = ${ownerId}
                   offset 0) v
             order by v.distance, v.chunk_id
             limit ${limit})
          ${passagesOfHits}`,
    )
  }

  async function vectorHits(ownerId: number, question: string, limit: number, signal?: AbortSignal): Promise<Row[]> {
    const [q] = await embedder.embed([question], signal)
    const dim = embedder.dim
    const lit = vectorLiteral(q!)
    const owned = await ownerChunks(ownerId)
    if (owned <= scanMax) {
      // Re-ranking nearly all of an owner's vectors costs more than comparing them all.
      if (codeCandidates === 0 || owned <= codeCandidates * 2) return exactHits(ownerId, dim, lit, limit)
      const hits = await codedHits(ownerId, dim, q!, lit, limit, Math.max(codeCandidates, limit))
      // Codes missing for some rows (none should be: a trigger writes them) give the exact answer.
      return hits.length >= Math.min(limit, owned) ? hits : exactHits(ownerId, dim, lit, limit)
    }
    const hits = await indexHits(ownerId, dim, lit, limit)
    // The iterative scan stops at hnsw.max_scan_tuples; an owner whose rows are that sparse in
    // the index gets the exact answer instead of a short one.
    return hits.length >= limit ? hits : exactHits(ownerId, dim, lit, limit)
  }

  return {
    /** The owner's best `topK` passages for `question`, best first. */
    async search(ownerId: number, question: string, options: SearchOptions = {}): Promise<RetrievedChunk[]> {
      const topK = options.topK ?? 5
      const mode = options.mode ?? 'hybrid'
      const minSimilarity = options.minSimilarity ?? 0
      const [vec, kw] = await Promise.all([
        mode === 'keyword' ? Promise.resolve([]) : vectorHits(ownerId, question, Math.max(CANDIDATES, topK), options.signal),
        mode === 'vector' ? Promise.resolve([]) : keywordHits(db, ownerId, question, Math.max(CANDIDATES, topK)),
      ])
      const fused = new Map<number, { chunk: RetrievedChunk; score: number }>()
      const add = (rows: Row[], kind: 'vector' | 'keyword') => {
        let rank = 0
        for (const r of rows) {
          const similarity = clamp01(Number(r.score))
          if (kind === 'vector' && similarity < minSimilarity) continue
          rank += 1
          const id = Number(r.chunk_id)
          const entry = fused.get(id)
          const contribution = 1 / (RRF_K + rank)
          if (entry) {
            entry.score += contribution
            // A vector hit reports its cosine similarity; a keyword-only hit its term coverage.
            if (kind === 'vector') entry.chunk.similarity = similarity
          } else {
            fused.set(id, {
              score: contribution,
              chunk: { chunkId: id, documentId: Number(r.document_id), source: r.source, content: r.content, similarity },
            })
          }
        }
      }
      add(vec, 'vector')
      add(kw, 'keyword')
      return [...fused.values()]
        .sort((a, b) => b.score - a.score || b.chunk.similarity - a.chunk.similarity)
        .slice(0, topK)
        .map((e) => e.chunk)
    },
  }
}

export type Retriever = ReturnType<typeof createRetriever>

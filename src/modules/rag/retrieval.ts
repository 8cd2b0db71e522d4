import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/client'
import type { Embedder } from '../ai/types'
import { containsPattern, keywordTerms } from './keyword-terms'
import { embeddingExpr, vectorLiteral } from './vector-index'

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

/** The constant of reciprocal rank fusion; 60 is the value of Cormack et al. */
const RRF_K = 60
/** How many candidates each ranking contributes before fusion. */
const CANDIDATES = 20

interface Row {
  chunk_id: unknown
  document_id: unknown
  source: string
  content: string
  score: unknown
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0)

/**
 * Hybrid retrieval over one owner's chunks: pgvector cosine top-k through the per-dimension
 * HNSW index, and keyword matching (ILIKE on the question's distinctive terms, weighted by
 * how rare each term is among the owner's chunks, served by the pg_trgm index), fused by
 * reciprocal rank. Every query filters on `owner_id`: no other user's chunk is ever read.
 */
export function createRetriever(deps: { db: Db; embedder: Embedder }) {
  const { db, embedder } = deps

  async function vectorHits(ownerId: number, question: string, limit: number, signal?: AbortSignal): Promise<Row[]> {
    const [q] = await embedder.embed([question], signal)
    const dim = embedder.dim
    const expr = embeddingExpr(dim)
    const lit = vectorLiteral(q!)
    return queryRows<Row>(
      db,
      sql`select c.id as chunk_id, c.document_id, d.source, c.content, 1 - (${expr} <=> ${lit}) as score
            from chunk_embeddings e
            join document_chunks c on c.id = e.chunk_id
            join documents d on d.id = c.document_id
           where e.dim = ${dim} and e.owner_id = ${ownerId}
           order by ${expr} <=> ${lit}
           limit ${limit}`,
    )
  }

  async function keywordHits(ownerId: number, question: string, limit: number): Promise<Row[]> {
    const terms = keywordTerms(question)
    if (terms.length === 0) return []
    const patterns = terms.map(containsPattern)
    const termRows = sql.join(
      patterns.map((p) => sql`(${p}::text)`),
      sql`, `,
    )
    // Each term weighs log(1 + N / df): a term found in few chunks (a model code, a name) counts more.
    return queryRows<Row>(
      db,
      sql`with terms(p) as (values ${termRows}),
              total as (select greatest(count(*), 1)::float8 as n from document_chunks where owner_id = ${ownerId}),
              df as (select t.p, (select count(*) from document_chunks c where c.owner_id = ${ownerId} and c.content ilike t.p)::float8 as n
                       from terms t)
          select c.id as chunk_id, c.document_id, d.source, c.content,
                 sum(ln(1 + (select n from total) / df.n)) as weight,
                 count(*)::float8 / ${terms.length}::float8 as score
            from document_chunks c
            join df on df.n > 0 and c.content ilike df.p
            join documents d on d.id = c.document_id
           where c.owner_id = ${ownerId}
           group by c.id, c.document_id, d.source, c.content
           order by weight desc, c.id
           limit ${limit}`,
    )
  }

  return {
    /** The owner's best `topK` passages for `question`, best first. */
    async search(ownerId: number, question: string, options: SearchOptions = {}): Promise<RetrievedChunk[]> {
      const topK = options.topK ?? 5
      const mode = options.mode ?? 'hybrid'
      const minSimilarity = options.minSimilarity ?? 0
      const [vec, kw] = await Promise.all([
        mode === 'keyword' ? Promise.resolve([]) : vectorHits(ownerId, question, Math.max(CANDIDATES, topK), options.signal),
        mode === 'vector' ? Promise.resolve([]) : keywordHits(ownerId, question, Math.max(CANDIDATES, topK)),
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

import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { unavailable } from '../../platform/errors'

/** A dimension safe to inline into SQL (the column's type parameter cannot be a bind value). */
export function checkedDim(dim: number): number {
  if (!Number.isSafeInteger(dim) || dim < 1 || dim > 2000) throw new RangeError(`embedding dimension out of range: ${dim}`)
  return dim
}

/** `embedding::vector(dim)`: the expression the per-dimension HNSW index is built on; queries must use it verbatim. */
export const embeddingExpr = (dim: number): SQL => sql.raw(`embedding::vector(${checkedDim(dim)})`)

/** A vector literal cast to `vector(dim)`; its numbers are formatted by us, never taken from a client. */
export function vectorLiteral(values: readonly number[]): SQL {
  const text = `[${values.map((v) => (Number.isFinite(v) ? v : 0)).join(',')}]`
  return sql`${text}::${sql.raw(`vector(${checkedDim(values.length)})`)}`
}

/**
 * Creates the partial HNSW index for one dimension if it is missing. Idempotent; only call
 * where the vector extension exists (the table exists only there).
 */
export async function ensureVectorIndex(db: Db, dim: number): Promise<void> {
  const d = checkedDim(dim)
  await db.execute(
    sql.raw(
      `CREATE INDEX IF NOT EXISTS chunk_embeddings_hnsw_${d} ON chunk_embeddings USING hnsw ((embedding::vector(${d})) vector_cosine_ops) WHERE dim = ${d}`,
    ),
  )
}

/** The 503 every document-search endpoint answers where the database lacks pgvector. */
export function assertVectorAvailable(hasVector: boolean): void {
  if (!hasVector) {
    throw unavailable('문서 검색을 사용할 수 없습니다: 데이터베이스에 "vector" 확장(pgvector)이 설치되어 있지 않습니다.')
  }
}

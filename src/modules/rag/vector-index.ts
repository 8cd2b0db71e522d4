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

/** Bit blocks of a stored code (`rag_vector_code`, drizzle/0010_chunk_vector_codes.sql): one per threshold. */
export const CODE_BLOCKS = 5

/**
 * The two bit strings a question is compared with in the code scan. `same` holds, in every
 * block, 1 where the question's component is positive; `opposite` 1 where it is negative; both
 * are 0 where it is zero. For a stored code c, `(c <~> same) - (c <~> opposite)` is, up to a
 * constant, minus the sum over the question's nonzero dimensions of sign(q_i) times the level
 * (0-5) of c_i: an estimate of the inner product that ignores the dimensions the question lacks
 * (a sparse question against dense passages would otherwise be ranked by the passages' own bits).
 */
export function questionCodes(values: readonly number[]): { same: string; opposite: string } {
  let same = ''
  let opposite = ''
  for (const v of values) {
    same += v > 0 ? '1' : '0'
    opposite += v < 0 ? '1' : '0'
  }
  return { same: same.repeat(CODE_BLOCKS), opposite: opposite.repeat(CODE_BLOCKS) }
}

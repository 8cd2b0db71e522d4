import { and, desc, eq, sql } from 'drizzle-orm'
import { queryRows, type Db, type Tx } from '../../platform/db/client'
import { documentChunks, documents } from '../../platform/db/schema'
import { yieldToEventLoop } from '../../platform/event-loop'
import type { Chunk } from './chunker'
import { vectorLiteral } from './vector-index'

/** A stored document as the caller's list shows it. */
export interface DocumentRow {
  id: number
  source: string
  chunkCount: number
  createdAt: Date
}

/** What one ingest stores: the document, its chunks and one embedding per chunk, in order. */
export interface NewDocument {
  ownerId: number
  source: string
  kind: string
  sizeBytes: number
  chunks: Chunk[]
  embeddings: number[][]
}

/** Most rows per INSERT statement, so a large document never builds one huge statement. */
const INSERT_BATCH = 200
/**
 * Aimed-for time of one INSERT. An embedded database (PGlite) runs each statement on the
 * server's event loop, and an HNSW insert costs it 5–10 ms a row, so a 200-row statement
 * would hold the loop for seconds; batches are sized to this from the last statement's time
 * and the loop is yielded between them. A database server's statements stay at INSERT_BATCH.
 */
const STATEMENT_MS = 10

/**
 * Inserts `count` rows in statements sized to take about STATEMENT_MS each, yielding to the
 * event loop between them; `insert(from, to)` writes rows [from, to).
 */
async function insertPaced(count: number, insert: (from: number, to: number) => Promise<void>): Promise<void> {
  let rows = 1
  for (let from = 0; from < count; ) {
    const to = Math.min(count, from + rows)
    const started = performance.now()
    await insert(from, to)
    const perRow = (performance.now() - started) / (to - from)
    rows = Math.max(1, Math.min(INSERT_BATCH, Math.floor(STATEMENT_MS / Math.max(perRow, 0.001))))
    from = to
    await yieldToEventLoop()
  }
}

async function insertEmbeddings(tx: Tx, ownerId: number, ids: number[], embeddings: number[][]): Promise<void> {
  await insertPaced(ids.length, async (from, to) => {
    const rows = ids.slice(from, to).map((id, j) => {
      const vector = embeddings[from + j]!
      return sql`(${id}, ${ownerId}, ${vector.length}, ${vectorLiteral(vector)})`
    })
    await tx.execute(sql`insert into chunk_embeddings (chunk_id, owner_id, dim, embedding) values ${sql.join(rows, sql`, `)}`)
  })
}

/** Documents, their chunks and embeddings; every read and delete is scoped to an owner. */
export function createDocumentRepo({ db }: { db: Db }) {
  return {
    /** Stores the document, its chunks and their embeddings in one transaction: all or nothing. */
    async insert(doc: NewDocument): Promise<number> {
      if (doc.chunks.length !== doc.embeddings.length) throw new Error('one embedding per chunk is required')
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(documents)
          .values({ ownerId: doc.ownerId, source: doc.source, kind: doc.kind, sizeBytes: doc.sizeBytes, chunkCount: doc.chunks.length })
          .returning({ id: documents.id })
        const documentId = row!.id
        const ids: number[] = []
        await insertPaced(doc.chunks.length, async (from, to) => {
          const inserted = await tx
            .insert(documentChunks)
            .values(
              doc.chunks.slice(from, to).map((c) => ({
                documentId,
                ownerId: doc.ownerId,
                position: c.position,
                page: c.page ?? null,
                slide: c.slide ?? null,
                content: c.content,
              })),
            )
            .returning({ id: documentChunks.id, position: documentChunks.position })
          inserted.sort((a, b) => a.position - b.position)
          ids.push(...inserted.map((r) => r.id))
        })
        await insertEmbeddings(tx, doc.ownerId, ids, doc.embeddings)
        return documentId
      })
    },
    /** The owner's documents, newest first. */
    async list(ownerId: number): Promise<DocumentRow[]> {
      return db
        .select({ id: documents.id, source: documents.source, chunkCount: documents.chunkCount, createdAt: documents.createdAt })
        .from(documents)
        .where(eq(documents.ownerId, ownerId))
        .orderBy(desc(documents.createdAt), desc(documents.id))
    },
    /** Deletes the owner's document with this id and source (chunks and embeddings cascade); false when none matched. */
    async delete(ownerId: number, id: number, source: string): Promise<boolean> {
      const rows = await db
        .delete(documents)
        .where(and(eq(documents.id, id), eq(documents.ownerId, ownerId), eq(documents.source, source)))
        .returning({ id: documents.id })
      return rows.length > 0
    },
    /** How many documents and chunks the owner has. */
    async totals(ownerId: number): Promise<{ documents: number; chunks: number }> {
      const [r] = await queryRows<{ documents: number; chunks: number }>(
        db,
        sql`select (select count(*) from documents where owner_id = ${ownerId})::int as documents,
                   (select count(*) from document_chunks where owner_id = ${ownerId})::int as chunks`,
      )
      return { documents: Number(r?.documents ?? 0), chunks: Number(r?.chunks ?? 0) }
    },
  }
}

export type DocumentRepo = ReturnType<typeof createDocumentRepo>

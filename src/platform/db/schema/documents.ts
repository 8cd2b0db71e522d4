import { sql } from 'drizzle-orm'
import { bigint, bigserial, index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core'
import { ts } from './columns'
import { users } from './users'

/**
 * Ingested documents (integer ids, as the docs seed shows). Their embeddings live in
 * `chunk_embeddings`, which a custom migration creates only where the `vector`
 * extension exists; see drizzle/0002_chunk_embeddings.sql.
 */
export const documents = pgTable(
  'documents',
  {
    id: serial('id').primaryKey(),
    ownerId: bigint('owner_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    kind: text('kind').notNull(),
    sizeBytes: integer('size_bytes').notNull().default(0),
    chunkCount: integer('chunk_count').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('documents_owner_idx').on(t.ownerId, t.createdAt)],
)

/** A document's passages in order, each with its page or slide where the format has one. */
export const documentChunks = pgTable(
  'document_chunks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
    position: integer('position').notNull(),
    page: integer('page'),
    slide: integer('slide'),
    content: text('content').notNull(),
  },
  (t) => [
    index('document_chunks_doc_idx').on(t.documentId, t.position),
    index('document_chunks_owner_idx').on(t.ownerId),
    // The keyword leg's index: the owner-tagged character bigrams and trigrams of each chunk
    // (rag_keys is defined in drizzle/0009_keyword_trigrams.sql; see rag/keyword-search.ts).
    index('document_chunks_keys_idx').using('gin', sql`rag_keys(${t.ownerId}, ${t.content})`),
  ],
)

-- Embeddings are kept apart from document_chunks because their column type exists only
-- where the vector extension is installed. The column has no fixed dimension, so
-- EMBEDDING_DIM can change without a migration; each dimension gets its own partial
-- HNSW index (created at start for the configured one, see rag/vector-index.ts).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    CREATE TABLE IF NOT EXISTS chunk_embeddings (
      chunk_id bigint PRIMARY KEY REFERENCES document_chunks(id) ON DELETE CASCADE,
      owner_id bigint NOT NULL,
      dim smallint NOT NULL,
      embedding vector NOT NULL
    );
    CREATE INDEX IF NOT EXISTS chunk_embeddings_owner_idx ON chunk_embeddings (owner_id, dim);
  END IF;
END
$$;

-- Keep each embedding inside its row instead of in the TOAST table: an exact scan of an
-- owner's vectors then reads heap pages only, not a TOAST index lookup and two TOAST chunks
-- per vector (measured on PGlite: about 4× faster). A vector of at most 2,000 dimensions
-- (the limit rag/vector-index.ts enforces) fits a page. Rows stored before this stay where
-- they are until rewritten (VACUUM FULL chunk_embeddings).
DO $$
BEGIN
  IF to_regclass('chunk_embeddings') IS NOT NULL THEN
    ALTER TABLE chunk_embeddings ALTER COLUMN embedding SET STORAGE MAIN;
    ALTER TABLE chunk_embeddings SET (toast_tuple_target = 8160);
  END IF;
END
$$;

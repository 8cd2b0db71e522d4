-- A compact code of every embedding, scanned before the vectors themselves (rag/retrieval.ts).
-- On PGlite an exact scan of an owner's vectors costs a page read per two 768-dimension vectors
-- (the page cache is 4 MB) plus the distance: ~30-70 ms for 10,000. The code is 5 bits a
-- dimension (480 bytes at 768), so the same owner's codes take a tenth of the pages; the
-- retriever ranks them by an estimate of the inner product and re-ranks the best few hundred
-- on their full vectors.
--
-- The code is a thermometer: bit block k holds, for every dimension, whether the value exceeds
-- threshold k (-1.5, -0.6, 0, 0.6, 1.5 standard deviations of a unit vector's component,
-- 1/sqrt(dim)). Plain sign bits (binary_quantize) were tried first: with the offline
-- embedder's sparse questions against dense passages they ranked the exact top 20 at 0.14-0.26.
--
-- The codes live in their own narrow table so that scanning them never reads the vectors'
-- pages; a trigger keeps it in step with chunk_embeddings, and deletes cascade from it.
DO $$
BEGIN
  IF to_regclass('chunk_embeddings') IS NOT NULL THEN
    CREATE OR REPLACE FUNCTION rag_vector_code(v vector) RETURNS bit varying
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
      SELECT binary_quantize(v - array_fill(-1.5 * u, n)::vector) || binary_quantize(v - array_fill(-0.6 * u, n)::vector)
             || binary_quantize(v) || binary_quantize(v - array_fill(0.6 * u, n)::vector) || binary_quantize(v - array_fill(1.5 * u, n)::vector)
        FROM (SELECT 1 / sqrt(vector_dims(v)) AS u, ARRAY[vector_dims(v)] AS n) x
    $f$;

    CREATE TABLE IF NOT EXISTS chunk_vector_codes (
      chunk_id bigint PRIMARY KEY REFERENCES chunk_embeddings(chunk_id) ON DELETE CASCADE,
      owner_id bigint NOT NULL,
      dim smallint NOT NULL,
      code bit varying NOT NULL
    );
    CREATE INDEX IF NOT EXISTS chunk_vector_codes_owner_idx ON chunk_vector_codes (owner_id, dim);

    CREATE OR REPLACE FUNCTION rag_store_vector_codes() RETURNS trigger
    LANGUAGE plpgsql AS $f$
    BEGIN
      INSERT INTO chunk_vector_codes (chunk_id, owner_id, dim, code)
      SELECT chunk_id, owner_id, dim, rag_vector_code(embedding) FROM stored
      ON CONFLICT (chunk_id) DO UPDATE SET owner_id = excluded.owner_id, dim = excluded.dim, code = excluded.code;
      RETURN NULL;
    END
    $f$;
    DROP TRIGGER IF EXISTS chunk_embeddings_codes_insert ON chunk_embeddings;
    CREATE TRIGGER chunk_embeddings_codes_insert AFTER INSERT ON chunk_embeddings
      REFERENCING NEW TABLE AS stored FOR EACH STATEMENT EXECUTE FUNCTION rag_store_vector_codes();
    DROP TRIGGER IF EXISTS chunk_embeddings_codes_update ON chunk_embeddings;
    CREATE TRIGGER chunk_embeddings_codes_update AFTER UPDATE ON chunk_embeddings
      REFERENCING NEW TABLE AS stored FOR EACH STATEMENT EXECUTE FUNCTION rag_store_vector_codes();

    INSERT INTO chunk_vector_codes (chunk_id, owner_id, dim, code)
    SELECT chunk_id, owner_id, dim, rag_vector_code(embedding) FROM chunk_embeddings
    ON CONFLICT (chunk_id) DO NOTHING;
  END IF;
END
$$;

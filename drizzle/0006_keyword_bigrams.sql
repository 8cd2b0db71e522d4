-- The keyword leg's index (rag/keyword-search.ts). pg_trgm cannot serve a two-syllable Korean
-- term (it has no trigram), so each chunk is indexed by its character bigrams: the lower-cased
-- text cut into pairs at even and at odd offsets, so every pair of adjacent characters is a
-- key, each tagged with the owner ("42:휴직") so one owner's posting lists never hold another's
-- chunks. A pair holding whitespace is cut at it, which leaves single characters and empty
-- strings as extra keys no query asks for. A term's pairs all present is necessary for the term
-- to occur; the query confirms each candidate with strpos. PostgreSQL keeps the index in the
-- inserting transaction, so an ingest stays all or nothing. The trigram index on chunk text
-- served no query (retrieval matches with strpos) and is dropped: its upkeep cost as much.
CREATE OR REPLACE FUNCTION rag_grams(owner bigint, body text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_to_array(
           owner::text || ':' || regexp_replace(lower(body), '(..)', '\1 ' || owner::text || ':', 'g') || ' ' ||
           owner::text || ':' || regexp_replace(substr(lower(body), 2), '(..)', '\1 ' || owner::text || ':', 'g'),
           ' ')
$$;
--> statement-breakpoint
-- The keys a term needs: each pair of adjacent characters, lower-cased as rag_grams does. A
-- one-character term has none and (matching every chunk) is confirmed by strpos alone.
CREATE OR REPLACE FUNCTION rag_term_grams(owner bigint, term text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(owner::text || ':' || substr(lower(term), i, 2)), '{}')
    FROM generate_series(1, char_length(term) - 1) i
$$;
--> statement-breakpoint
DROP INDEX IF EXISTS "document_chunks_content_trgm_idx";--> statement-breakpoint
CREATE INDEX "document_chunks_grams_idx" ON "document_chunks" USING gin (rag_grams("owner_id", "content"));

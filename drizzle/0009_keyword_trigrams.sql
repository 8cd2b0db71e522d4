-- The keyword leg's index keys, now character trigrams as well as bigrams. Bigrams alone do not
-- select Latin text: every bigram of "coral" ("co", "or", "ra", "al") is in nearly every English
-- chunk, so the index offered most of an owner's chunks for a term two of them hold. A term of
-- three or more characters is looked up by its trigrams, a two-character term (most Korean
-- nouns) by its bigram. Keys are cut as in 0006 (pairs and triples at every offset of the
-- lower-cased text, tagged with the owner, whitespace cutting a key in pieces no term asks for);
-- a term's keys all present is necessary for the term to occur, and the query confirms it.
CREATE OR REPLACE FUNCTION rag_keys(owner bigint, body text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_to_array(
           p || regexp_replace(b, '(..)', '\1 ' || p, 'g') || ' ' ||
           p || regexp_replace(substr(b, 2), '(..)', '\1 ' || p, 'g') || ' ' ||
           p || regexp_replace(b, '(...)', '\1 ' || p, 'g') || ' ' ||
           p || regexp_replace(substr(b, 2), '(...)', '\1 ' || p, 'g') || ' ' ||
           p || regexp_replace(substr(b, 3), '(...)', '\1 ' || p, 'g'),
           ' ')
    FROM (SELECT lower(body) AS b, owner::text || ':' AS p) x
$$;
--> statement-breakpoint
-- The keys a term needs: its trigrams, or its one bigram when it has two characters; a
-- one-character term has none (it is confirmed by strpos alone).
CREATE OR REPLACE FUNCTION rag_term_keys(owner bigint, term text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(owner::text || ':' || substr(lower(term), i, n)), '{}')
    FROM (SELECT CASE WHEN char_length(term) >= 3 THEN 3 ELSE 2 END AS n) k,
         generate_series(1, char_length(term) - n + 1) i
$$;
--> statement-breakpoint
DROP INDEX IF EXISTS "document_chunks_grams_idx";--> statement-breakpoint
CREATE INDEX "document_chunks_keys_idx" ON "document_chunks" USING gin (rag_keys("owner_id", "content"));--> statement-breakpoint
DROP FUNCTION IF EXISTS rag_term_grams(bigint, text);--> statement-breakpoint
DROP FUNCTION IF EXISTS rag_grams(bigint, text);

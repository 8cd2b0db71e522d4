-- drizzle-kit does not emit CREATE EXTENSION. pg_trgm backs substring search (messages,
-- chunks, user names) and is required. vector backs document search and is optional: a
-- server without it still serves everything else, and document search answers 503.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    CREATE EXTENSION IF NOT EXISTS vector;
  END IF;
END
$$;

-- Same index as drizzle-kit's drop and create, without rebuilding it on a large table.
ALTER INDEX "messages_content_trgm_idx" SET (gin_pending_list_limit = 65536);

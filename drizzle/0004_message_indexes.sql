DROP INDEX "messages_created_idx";--> statement-breakpoint
DROP INDEX "messages_session_idx";--> statement-breakpoint
CREATE INDEX "messages_session_idx" ON "messages" USING btree ("session_id") WHERE "messages"."session_id" is not null;--> statement-breakpoint
-- Same index as drizzle-kit's drop and create, without rebuilding it on a large table.
ALTER INDEX "messages_content_trgm_idx" SET (gin_pending_list_limit = 65536);

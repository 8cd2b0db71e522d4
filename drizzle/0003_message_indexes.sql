DROP INDEX "messages_created_idx";--> statement-breakpoint
DROP INDEX "messages_session_idx";--> statement-breakpoint
CREATE INDEX "messages_session_idx" ON "messages" USING btree ("session_id") WHERE "messages"."session_id" is not null;
-- Trigram operators for the error-message search index below (trusted since Postgres 13:
-- the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "action_logs" ADD COLUMN "rerun_of" bigint;--> statement-breakpoint
CREATE INDEX "action_logs_explore_app" ON "action_logs" USING btree ("app_id","created_at","id");--> statement-breakpoint
CREATE INDEX "action_logs_explore_master" ON "action_logs" USING btree ("master_id","created_at","id");--> statement-breakpoint
CREATE INDEX "action_logs_explore_app_failed" ON "action_logs" USING btree ("app_id","created_at","id") WHERE "action_logs"."type" = 'app.task.failed';--> statement-breakpoint
CREATE INDEX "action_logs_explore_master_failed" ON "action_logs" USING btree ("master_id","created_at","id") WHERE "action_logs"."type" = 'app.task.failed';--> statement-breakpoint
CREATE INDEX "action_logs_error_message" ON "action_logs" USING gin (("data"->'error'->>'message') gin_trgm_ops) WHERE "action_logs"."type" = 'app.task.failed';--> statement-breakpoint
CREATE INDEX "action_logs_rerun_of" ON "action_logs" USING btree ("rerun_of") WHERE "action_logs"."rerun_of" is not null;
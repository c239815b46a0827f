ALTER TABLE "app_notifications" ADD COLUMN "run_id" uuid;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD COLUMN "run_id" uuid;--> statement-breakpoint
ALTER TABLE "sms_outbox" ADD COLUMN "run_id" uuid;
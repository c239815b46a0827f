CREATE TABLE "run_leases" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"runner_id" text NOT NULL,
	"job_id" text NOT NULL,
	"worker_id" text,
	"job" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "run_leases_expiry" ON "run_leases" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "run_leases_runner" ON "run_leases" USING btree ("runner_id");
CREATE TABLE "action_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"action_id" integer NOT NULL,
	"kind" text NOT NULL,
	"fields" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "action_versions" ADD CONSTRAINT "action_versions_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_versions_action" ON "action_versions" USING btree ("action_id","id");
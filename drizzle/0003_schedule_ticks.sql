CREATE TABLE "schedule_ticks" (
	"master_id" integer NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"run_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_ticks_master_id_slot_pk" PRIMARY KEY("master_id","slot")
);

CREATE TABLE "queue_pressure" (
	"app_id" integer NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"queued" integer NOT NULL,
	CONSTRAINT "queue_pressure_app_id_window_start_pk" PRIMARY KEY("app_id","window_start")
);

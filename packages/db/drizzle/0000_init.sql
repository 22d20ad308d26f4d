CREATE TABLE "job_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"time" timestamp with time zone DEFAULT now() NOT NULL,
	"level" text NOT NULL,
	"message" text NOT NULL,
	"source" text DEFAULT 'sluice' NOT NULL,
	"worker_id" text,
	"fields" jsonb
);
--> statement-breakpoint
CREATE TABLE "job_metrics" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"worker_id" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"interval_ms" integer NOT NULL,
	"records_in" bigint DEFAULT 0 NOT NULL,
	"records_out" bigint DEFAULT 0 NOT NULL,
	"records_failed" bigint DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"invocations" integer DEFAULT 0 NOT NULL,
	"retries" integer DEFAULT 0 NOT NULL,
	"invocation_errors" integer DEFAULT 0 NOT NULL,
	"outcomes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"latency_buckets" integer[] NOT NULL,
	"latency_sum_ms" double precision DEFAULT 0 NOT NULL,
	"cpu_percent" real,
	"rss_bytes" bigint
);
--> statement-breakpoint
CREATE TABLE "job_objects" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"uri" text NOT NULL,
	"relative_key" text NOT NULL,
	"size" bigint NOT NULL,
	"etag" text NOT NULL,
	"status" text DEFAULT 'Pending' NOT NULL,
	"output_uri" text NOT NULL,
	"errors_uri" text,
	"shards" integer DEFAULT 1 NOT NULL,
	"records" bigint DEFAULT 0 NOT NULL,
	"records_failed" bigint DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team" text DEFAULT 'default' NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"url" text,
	"command" text,
	"artifact_uri" text,
	"port" integer,
	"env" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"startup_timeout_seconds" integer DEFAULT 120 NOT NULL,
	"description" text,
	"created_by" text DEFAULT 'local' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"object_id" bigint NOT NULL,
	"run" integer DEFAULT 1 NOT NULL,
	"kind" text DEFAULT 'transform' NOT NULL,
	"shard_index" integer DEFAULT 0 NOT NULL,
	"range_start" bigint,
	"range_end" bigint,
	"output_uri" text NOT NULL,
	"status" text DEFAULT 'Pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"records" bigint DEFAULT 0 NOT NULL,
	"records_failed" bigint DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL,
	"errors_uri" text,
	"error" text,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transform_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team" text DEFAULT 'default' NOT NULL,
	"name" text NOT NULL,
	"arn" text NOT NULL,
	"model_id" uuid,
	"model_name" text NOT NULL,
	"status" text NOT NULL,
	"failure_reason" text,
	"data_type" text NOT NULL,
	"input_uri" text NOT NULL,
	"output_uri" text NOT NULL,
	"request" jsonb NOT NULL,
	"resolved_params" jsonb,
	"instance_count" integer NOT NULL,
	"pool" text NOT NULL,
	"instance_type" text NOT NULL,
	"environment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"client_token" text,
	"cloned_from" text,
	"run" integer DEFAULT 1 NOT NULL,
	"created_by" text DEFAULT 'local' NOT NULL,
	"creation_time" timestamp with time zone DEFAULT now() NOT NULL,
	"transform_start_time" timestamp with time zone,
	"transform_end_time" timestamp with time zone,
	"last_modified_time" timestamp with time zone DEFAULT now() NOT NULL,
	"objects_total" integer DEFAULT 0 NOT NULL,
	"objects_completed" integer DEFAULT 0 NOT NULL,
	"objects_failed" integer DEFAULT 0 NOT NULL,
	"bytes_total" bigint DEFAULT 0 NOT NULL,
	"records_in" bigint DEFAULT 0 NOT NULL,
	"records_out" bigint DEFAULT 0 NOT NULL,
	"records_failed" bigint DEFAULT 0 NOT NULL,
	"bytes_in" bigint DEFAULT 0 NOT NULL,
	"bytes_out" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"pools" text[] NOT NULL,
	"concurrency" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone,
	"current_tasks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cpu_percent" real,
	"rss_bytes" bigint,
	"version" text
);
--> statement-breakpoint
ALTER TABLE "job_logs" ADD CONSTRAINT "job_logs_job_id_transform_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."transform_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_metrics" ADD CONSTRAINT "job_metrics_job_id_transform_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."transform_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_objects" ADD CONSTRAINT "job_objects_job_id_transform_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."transform_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_job_id_transform_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."transform_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_object_id_job_objects_id_fk" FOREIGN KEY ("object_id") REFERENCES "public"."job_objects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transform_jobs" ADD CONSTRAINT "transform_jobs_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_logs_job_id" ON "job_logs" USING btree ("job_id","id");--> statement-breakpoint
CREATE INDEX "job_logs_job_level" ON "job_logs" USING btree ("job_id","level","id");--> statement-breakpoint
CREATE INDEX "job_metrics_job_time" ON "job_metrics" USING btree ("job_id","time");--> statement-breakpoint
CREATE UNIQUE INDEX "job_objects_job_key" ON "job_objects" USING btree ("job_id","relative_key");--> statement-breakpoint
CREATE INDEX "job_objects_job_status" ON "job_objects" USING btree ("job_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "models_team_name" ON "models" USING btree ("team","name");--> statement-breakpoint
CREATE INDEX "tasks_job_status" ON "tasks" USING btree ("job_id","run","status");--> statement-breakpoint
CREATE INDEX "tasks_object" ON "tasks" USING btree ("object_id","run");--> statement-breakpoint
CREATE INDEX "tasks_lease" ON "tasks" USING btree ("status","lease_expires_at");--> statement-breakpoint
CREATE INDEX "tasks_owner" ON "tasks" USING btree ("lease_owner");--> statement-breakpoint
CREATE UNIQUE INDEX "transform_jobs_team_name" ON "transform_jobs" USING btree ("team","name");--> statement-breakpoint
CREATE UNIQUE INDEX "transform_jobs_team_client_token" ON "transform_jobs" USING btree ("team","client_token") WHERE "transform_jobs"."client_token" is not null;--> statement-breakpoint
CREATE INDEX "transform_jobs_team_creation" ON "transform_jobs" USING btree ("team","creation_time" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "transform_jobs_team_status_creation" ON "transform_jobs" USING btree ("team","status","creation_time" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transform_jobs_model" ON "transform_jobs" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "workers_heartbeat" ON "workers" USING btree ("heartbeat_at");
ALTER TABLE "transform_jobs" ALTER COLUMN "creation_time" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "transform_jobs" ALTER COLUMN "creation_time" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "transform_jobs" ALTER COLUMN "last_modified_time" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "transform_jobs" ALTER COLUMN "last_modified_time" SET DEFAULT now();
ALTER TABLE "videos" ADD COLUMN "files_missing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "files_missing_count" integer DEFAULT 0 NOT NULL;
CREATE TYPE "public"."live_broadcast_status" AS ENUM('live', 'stopping', 'recorded', 'failed');--> statement-breakpoint
CREATE TABLE "live_broadcasts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"teacher_id" uuid NOT NULL,
	"with_video" boolean NOT NULL,
	"status" "live_broadcast_status" DEFAULT 'live' NOT NULL,
	"packaged_chunks" integer DEFAULT 0 NOT NULL,
	"recorded_bytes" bigint DEFAULT 0 NOT NULL,
	"last_chunk" integer,
	"recording_lesson_id" uuid,
	"recording_video_id" uuid,
	"failure" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "live_broadcasts" ADD CONSTRAINT "live_broadcasts_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_broadcasts" ADD CONSTRAINT "live_broadcasts_teacher_id_users_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_broadcasts" ADD CONSTRAINT "live_broadcasts_recording_lesson_id_lessons_id_fk" FOREIGN KEY ("recording_lesson_id") REFERENCES "public"."lessons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_broadcasts" ADD CONSTRAINT "live_broadcasts_recording_video_id_videos_id_fk" FOREIGN KEY ("recording_video_id") REFERENCES "public"."videos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "live_broadcasts_session_idx" ON "live_broadcasts" USING btree ("session_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "live_broadcasts_one_on_air" ON "live_broadcasts" USING btree ("session_id") WHERE "live_broadcasts"."status" in ('live', 'stopping');
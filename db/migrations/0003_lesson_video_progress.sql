CREATE TABLE "lesson_video_progress" (
	"user_id" uuid NOT NULL,
	"lesson_id" uuid NOT NULL,
	"video_id" uuid,
	"watched_ranges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"position_seconds" real DEFAULT 0 NOT NULL,
	"watched_fraction" real DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lesson_video_progress_user_id_lesson_id_pk" PRIMARY KEY("user_id","lesson_id")
);
--> statement-breakpoint
ALTER TABLE "lesson_video_progress" ADD CONSTRAINT "lesson_video_progress_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_video_progress" ADD CONSTRAINT "lesson_video_progress_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_video_progress" ADD CONSTRAINT "lesson_video_progress_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lesson_video_progress_lesson_idx" ON "lesson_video_progress" USING btree ("lesson_id");
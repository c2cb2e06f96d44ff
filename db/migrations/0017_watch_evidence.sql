CREATE TABLE "playback_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"lesson_id" uuid NOT NULL,
	"video_id" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_seconds" real DEFAULT 0 NOT NULL,
	"clipped_seconds" real DEFAULT 0 NOT NULL,
	"clipped_reports" integer DEFAULT 0 NOT NULL,
	"audited_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "playback_runs" ADD CONSTRAINT "playback_runs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playback_runs" ADD CONSTRAINT "playback_runs_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playback_runs" ADD CONSTRAINT "playback_runs_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "playback_runs_viewer_idx" ON "playback_runs" USING btree ("user_id","lesson_id","started_at");--> statement-breakpoint
-- Reopen lessons completed without parts: the old rule completed a lesson with no video, text or quiz on a visit, and it stayed complete after a part was added. Kept: completions backed by a watched video, a quiz attempt or text the lesson has. Course completion records are never touched.
UPDATE "lesson_completions" lc SET "completed_at" = NULL
WHERE lc."completed_at" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "lessons" l WHERE l."id" = lc."lesson_id" AND l."body_zh" <> '')
  AND NOT EXISTS (SELECT 1 FROM "lesson_video_progress" p WHERE p."user_id" = lc."user_id" AND p."lesson_id" = lc."lesson_id" AND p."completed_at" IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM "quiz_attempts" a JOIN "quizzes" q ON q."id" = a."quiz_id" WHERE q."lesson_id" = lc."lesson_id" AND a."user_id" = lc."user_id");--> statement-breakpoint
-- A visit to a lesson without text no longer counts as reading it (text added later must be read).
UPDATE "lesson_completions" lc SET "text_viewed_at" = NULL
WHERE lc."text_viewed_at" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "lessons" l WHERE l."id" = lc."lesson_id" AND l."body_zh" <> '');

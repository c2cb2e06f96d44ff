CREATE TABLE "chunked_video_publications" (
	"video_id" uuid PRIMARY KEY NOT NULL,
	"published_chunks" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chunked_video_publications" ADD CONSTRAINT "chunked_video_publications_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;
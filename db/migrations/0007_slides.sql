CREATE TYPE "public"."slide_deck_status" AS ENUM('queued', 'rendering', 'ready', 'rejected', 'failed');--> statement-breakpoint
CREATE TABLE "slide_decks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"material_id" uuid,
	"file_name" text NOT NULL,
	"source_bytes" integer NOT NULL,
	"status" "slide_deck_status" DEFAULT 'queued' NOT NULL,
	"page_count" integer,
	"pages_done" integer DEFAULT 0 NOT NULL,
	"page_bytes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"thumb_bytes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rejection" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "slide_decks" ADD CONSTRAINT "slide_decks_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slide_decks" ADD CONSTRAINT "slide_decks_material_id_lesson_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."lesson_materials"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slide_decks" ADD CONSTRAINT "slide_decks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "slide_decks_session_idx" ON "slide_decks" USING btree ("session_id","created_at");
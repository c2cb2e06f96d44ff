ALTER TYPE "public"."role" ADD VALUE 'institution_admin' BEFORE 'admin';--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "verification" text DEFAULT 'self-declared' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "verified_by" uuid;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Roles an administrator granted were checked by that person; everything else was self-declared.
UPDATE "memberships" SET "verification" = 'registrar-approval', "verified_at" = "created_at", "verified_by" = "granted_by" WHERE "granted_by" IS NOT NULL;

CREATE TABLE "credential_status_lists" (
	"institution_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"document" jsonb NOT NULL,
	"jwt" text NOT NULL,
	"key_id" uuid NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "issued_credentials" ADD COLUMN "document" jsonb;--> statement-breakpoint
ALTER TABLE "credential_status_lists" ADD CONSTRAINT "credential_status_lists_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_status_lists" ADD CONSTRAINT "credential_status_lists_key_id_institution_signing_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."institution_signing_keys"("id") ON DELETE restrict ON UPDATE no action;
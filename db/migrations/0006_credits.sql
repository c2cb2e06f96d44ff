CREATE TABLE "credit_policies" (
	"institution_id" uuid PRIMARY KEY NOT NULL,
	"hours_per_credit" integer DEFAULT 16 NOT NULL,
	"grading_scale" text DEFAULT 'percent' NOT NULL,
	"current_table_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_policies_hours_positive" CHECK ("credit_policies"."hours_per_credit" between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "credit_request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_user_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"completion_record_id" uuid NOT NULL,
	"source_institution_id" uuid NOT NULL,
	"source_course_id" uuid NOT NULL,
	"target_kind" text NOT NULL,
	"target_code" text DEFAULT '' NOT NULL,
	"target_title" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"rule_id" uuid,
	"match_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"awarded_credits" numeric(4, 1),
	"converted_grade" numeric(4, 2),
	"converted_label" text,
	"conversion_table_id" uuid,
	"conversion_table_version" integer,
	"decision_reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"appeal_reason" text,
	"appealed_at" timestamp with time zone,
	"posted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_requests_once_per_record" UNIQUE("completion_record_id","institution_id")
);
--> statement-breakpoint
CREATE TABLE "equivalency_rule_sources" (
	"rule_id" uuid NOT NULL,
	"alternative" integer NOT NULL,
	"course_id" uuid NOT NULL,
	CONSTRAINT "equivalency_rule_sources_rule_id_alternative_course_id_pk" PRIMARY KEY("rule_id","alternative","course_id")
);
--> statement-breakpoint
CREATE TABLE "equivalency_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid NOT NULL,
	"target_kind" text NOT NULL,
	"target_code" text DEFAULT '' NOT NULL,
	"target_title_zh" text DEFAULT '' NOT NULL,
	"target_title_en" text DEFAULT '' NOT NULL,
	"credits" numeric(4, 1) NOT NULL,
	"min_grade" numeric(5, 2),
	"effective_from" date NOT NULL,
	"effective_until" date,
	"auto_approve" boolean DEFAULT false NOT NULL,
	"public_note" text DEFAULT '' NOT NULL,
	"private_note" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"from_request_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "equivalency_rules_credits_positive" CHECK ("equivalency_rules"."credits" > 0),
	CONSTRAINT "equivalency_rules_min_grade_range" CHECK ("equivalency_rules"."min_grade" is null or "equivalency_rules"."min_grade" between 0 and 100),
	CONSTRAINT "equivalency_rules_window" CHECK ("equivalency_rules"."effective_until" is null or "equivalency_rules"."effective_until" >= "equivalency_rules"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "grade_conversion_tables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grade_conversion_tables_version" UNIQUE("institution_id","version")
);
--> statement-breakpoint
CREATE TABLE "institution_signing_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"sealed_private_key" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issued_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"institution_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_ref" uuid NOT NULL,
	"status_index" integer NOT NULL,
	"key_id" uuid NOT NULL,
	"jwt" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revocation_reason" text,
	CONSTRAINT "issued_credentials_status_index" UNIQUE("institution_id","status_index"),
	CONSTRAINT "issued_credentials_once_per_subject" UNIQUE("kind","subject_ref")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "ledger_entries_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "credit_policies" ADD CONSTRAINT "credit_policies_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_request_events" ADD CONSTRAINT "credit_request_events_request_id_credit_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."credit_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_request_events" ADD CONSTRAINT "credit_request_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_completion_record_id_completion_records_id_fk" FOREIGN KEY ("completion_record_id") REFERENCES "public"."completion_records"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_source_institution_id_institutions_id_fk" FOREIGN KEY ("source_institution_id") REFERENCES "public"."institutions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_source_course_id_courses_id_fk" FOREIGN KEY ("source_course_id") REFERENCES "public"."courses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_rule_id_equivalency_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."equivalency_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_conversion_table_id_grade_conversion_tables_id_fk" FOREIGN KEY ("conversion_table_id") REFERENCES "public"."grade_conversion_tables"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_requests" ADD CONSTRAINT "credit_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equivalency_rule_sources" ADD CONSTRAINT "equivalency_rule_sources_rule_id_equivalency_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."equivalency_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equivalency_rule_sources" ADD CONSTRAINT "equivalency_rule_sources_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equivalency_rules" ADD CONSTRAINT "equivalency_rules_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equivalency_rules" ADD CONSTRAINT "equivalency_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_conversion_tables" ADD CONSTRAINT "grade_conversion_tables_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_conversion_tables" ADD CONSTRAINT "grade_conversion_tables_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_signing_keys" ADD CONSTRAINT "institution_signing_keys_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_credentials" ADD CONSTRAINT "issued_credentials_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_credentials" ADD CONSTRAINT "issued_credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_credentials" ADD CONSTRAINT "issued_credentials_key_id_institution_signing_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."institution_signing_keys"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_credentials" ADD CONSTRAINT "issued_credentials_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_request_events_request_idx" ON "credit_request_events" USING btree ("request_id","id");--> statement-breakpoint
CREATE INDEX "credit_requests_queue_idx" ON "credit_requests" USING btree ("institution_id","status","submitted_at");--> statement-breakpoint
CREATE INDEX "credit_requests_source_idx" ON "credit_requests" USING btree ("institution_id","source_institution_id","submitted_at");--> statement-breakpoint
CREATE INDEX "credit_requests_user_idx" ON "credit_requests" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "credit_requests_rule_idx" ON "credit_requests" USING btree ("rule_id","status");--> statement-breakpoint
CREATE INDEX "equivalency_rule_sources_course_idx" ON "equivalency_rule_sources" USING btree ("course_id");--> statement-breakpoint
CREATE INDEX "equivalency_rules_institution_idx" ON "equivalency_rules" USING btree ("institution_id","active");--> statement-breakpoint
CREATE INDEX "institution_signing_keys_institution_idx" ON "institution_signing_keys" USING btree ("institution_id","active");--> statement-breakpoint
CREATE INDEX "issued_credentials_user_idx" ON "issued_credentials" USING btree ("user_id");
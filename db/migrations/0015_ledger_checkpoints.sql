CREATE TABLE "ledger_checkpoints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tree_size" integer NOT NULL,
	"head_hash" text NOT NULL,
	"signed_at" text NOT NULL,
	"key_id" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"signature" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);

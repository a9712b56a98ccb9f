CREATE TABLE "hash_keys" (
	"period" integer PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "ratings_provider_client_idx" ON "ratings" USING btree ("provider_id","client_hash");
CREATE TABLE "provider_slug_history" (
	"slug" text PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"retired_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listing_requests" ADD COLUMN "base_version" integer;--> statement-breakpoint
ALTER TABLE "listing_requests" ADD COLUMN "base_payload" jsonb;--> statement-breakpoint
ALTER TABLE "listing_requests" ADD COLUMN "message" text;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_slug_history" ADD CONSTRAINT "provider_slug_history_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_slug_history_provider_idx" ON "provider_slug_history" USING btree ("provider_id");
ALTER TABLE "ratings" ADD COLUMN "device_hash" text;--> statement-breakpoint
CREATE INDEX "ratings_provider_device_idx" ON "ratings" USING btree ("provider_id","device_hash");
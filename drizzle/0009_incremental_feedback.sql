DROP INDEX "ratings_provider_client_idx";--> statement-breakpoint
DROP INDEX "ratings_provider_device_idx";--> statement-breakpoint
ALTER TABLE "provider_feedback" ADD COLUMN "tallies" jsonb;--> statement-breakpoint
CREATE INDEX "ratings_provider_created_idx" ON "ratings" USING btree ("provider_id","created_at");--> statement-breakpoint
CREATE INDEX "ratings_provider_client_idx" ON "ratings" USING btree ("provider_id","client_hash","created_at");--> statement-breakpoint
CREATE INDEX "ratings_provider_device_idx" ON "ratings" USING btree ("provider_id","device_hash","created_at");
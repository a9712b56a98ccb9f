CREATE TYPE "public"."annotation_status" AS ENUM('active', 'retired');--> statement-breakpoint
CREATE TYPE "public"."provider_status" AS ENUM('published', 'pending', 'suspended');--> statement-breakpoint
CREATE TYPE "public"."rating_status" AS ENUM('published', 'held', 'hidden');--> statement-breakpoint
CREATE TYPE "public"."report_status" AS ENUM('open', 'resolved', 'dismissed');--> statement-breakpoint
CREATE TYPE "public"."request_status" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'moderator', 'provider');--> statement-breakpoint
CREATE TABLE "annotations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "annotations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"provider_id" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"status" "annotation_status" DEFAULT 'active' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor_id" integer,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listing_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "listing_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"provider_id" integer,
	"status" "request_status" DEFAULT 'pending' NOT NULL,
	"payload" jsonb NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"idempotency_key" text,
	"client_hash" text,
	"decision_reason" text,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_reports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "problem_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"provider_id" integer NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"status" "report_status" DEFAULT 'open' NOT NULL,
	"client_hash" text,
	"resolution" text,
	"resolved_by" integer,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_conditions" (
	"provider_id" integer NOT NULL,
	"condition" text NOT NULL,
	CONSTRAINT "provider_conditions_provider_id_condition_pk" PRIMARY KEY("provider_id","condition"),
	CONSTRAINT "provider_conditions_condition_check" CHECK ("provider_conditions"."condition" in ('mdd', 'trd', 'suicidal_ideation', 'bipolar_1', 'bipolar_2', 'mood_instability', 'ptsd', 'triggers', 'anxiety', 'panic', 'ocd', 'intrusive_thoughts', 'rumination', 'substance_use', 'adhd', 'personality_disorders', 'anger', 'psychosis', 'schizophrenia', 'autism', 'dementia', 'chronic_pain'))
);
--> statement-breakpoint
CREATE TABLE "provider_feedback" (
	"provider_id" integer PRIMARY KEY NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"overall_mean" double precision,
	"weighted_score" double precision,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"held_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_routes" (
	"provider_id" integer NOT NULL,
	"route" text NOT NULL,
	"price_min" integer,
	"price_max" integer,
	"series_price" integer,
	"notes" text,
	CONSTRAINT "provider_routes_provider_id_route_pk" PRIMARY KEY("provider_id","route"),
	CONSTRAINT "provider_routes_route_check" CHECK ("provider_routes"."route" in ('iv', 'im', 'intranasal', 'esketamine', 'troche', 'rdt', 'oral', 'rectal', 'transdermal', 'nebulized')),
	CONSTRAINT "provider_routes_price_check" CHECK ("provider_routes"."price_min" is null or "provider_routes"."price_max" is null or "provider_routes"."price_min" <= "provider_routes"."price_max"),
	CONSTRAINT "provider_routes_price_min_check" CHECK ("provider_routes"."price_min" is null or "provider_routes"."price_min" between 0 and 100000),
	CONSTRAINT "provider_routes_price_max_check" CHECK ("provider_routes"."price_max" is null or "provider_routes"."price_max" between 0 and 100000),
	CONSTRAINT "provider_routes_series_check" CHECK ("provider_routes"."series_price" is null or "provider_routes"."series_price" between 0 and 1000000)
);
--> statement-breakpoint
CREATE TABLE "provider_telehealth_states" (
	"provider_id" integer NOT NULL,
	"state" text NOT NULL,
	CONSTRAINT "provider_telehealth_states_provider_id_state_pk" PRIMARY KEY("provider_id","state"),
	CONSTRAINT "provider_telehealth_states_state_check" CHECK ("provider_telehealth_states"."state" in ('AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY'))
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "providers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kinds" text[] NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"website" text,
	"phone" text,
	"email" text,
	"street" text,
	"city" text NOT NULL,
	"state" text NOT NULL,
	"zip" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"consult_fee" integer,
	"accepts_insurance" boolean DEFAULT false NOT NULL,
	"insurance_notes" text,
	"offers_psychotherapy" boolean DEFAULT false NOT NULL,
	"status" "provider_status" DEFAULT 'pending' NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"last_verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "providers_state_check" CHECK ("providers"."state" in ('AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY')),
	CONSTRAINT "providers_kinds_check" CHECK (cardinality("providers"."kinds") > 0 and "providers"."kinds" <@ array['clinic', 'telehealth', 'kap', 'spravato']::text[]),
	CONSTRAINT "providers_lat_check" CHECK ("providers"."lat" between -90 and 90),
	CONSTRAINT "providers_lng_check" CHECK ("providers"."lng" between -180 and 180),
	CONSTRAINT "providers_consult_fee_check" CHECK ("providers"."consult_fee" is null or "providers"."consult_fee" between 0 and 100000)
);
--> statement-breakpoint
CREATE TABLE "rating_conditions" (
	"rating_id" integer NOT NULL,
	"condition" text NOT NULL,
	CONSTRAINT "rating_conditions_rating_id_condition_pk" PRIMARY KEY("rating_id","condition"),
	CONSTRAINT "rating_conditions_condition_check" CHECK ("rating_conditions"."condition" in ('mdd', 'trd', 'suicidal_ideation', 'bipolar_1', 'bipolar_2', 'mood_instability', 'ptsd', 'triggers', 'anxiety', 'panic', 'ocd', 'intrusive_thoughts', 'rumination', 'substance_use', 'adhd', 'personality_disorders', 'anger', 'psychosis', 'schizophrenia', 'autism', 'dementia', 'chronic_pain'))
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ratings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"provider_id" integer NOT NULL,
	"status" "rating_status" DEFAULT 'published' NOT NULL,
	"overall" smallint NOT NULL,
	"effectiveness" smallint,
	"support" smallint,
	"value" smallint,
	"education" smallint,
	"setting" smallint,
	"recommend" smallint,
	"route" text,
	"months_in_treatment" smallint,
	"price_paid" integer,
	"comment" text,
	"client_hash" text,
	"idempotency_key" text,
	"moderation_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "ratings_overall_check" CHECK ("ratings"."overall" between 1 and 5),
	CONSTRAINT "ratings_effectiveness_check" CHECK ("ratings"."effectiveness" is null or "ratings"."effectiveness" between 1 and 5),
	CONSTRAINT "ratings_support_check" CHECK ("ratings"."support" is null or "ratings"."support" between 1 and 5),
	CONSTRAINT "ratings_value_check" CHECK ("ratings"."value" is null or "ratings"."value" between 1 and 5),
	CONSTRAINT "ratings_education_check" CHECK ("ratings"."education" is null or "ratings"."education" between 1 and 5),
	CONSTRAINT "ratings_setting_check" CHECK ("ratings"."setting" is null or "ratings"."setting" between 1 and 5),
	CONSTRAINT "ratings_recommend_check" CHECK ("ratings"."recommend" is null or "ratings"."recommend" between 0 and 10),
	CONSTRAINT "ratings_route_check" CHECK ("ratings"."route" is null or "ratings"."route" in ('iv', 'im', 'intranasal', 'esketamine', 'troche', 'rdt', 'oral', 'rectal', 'transdermal', 'nebulized')),
	CONSTRAINT "ratings_comment_check" CHECK ("ratings"."comment" is null or char_length("ratings"."comment") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" NOT NULL,
	"provider_id" integer,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "annotations" ADD CONSTRAINT "annotations_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annotations" ADD CONSTRAINT "annotations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_requests" ADD CONSTRAINT "listing_requests_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_requests" ADD CONSTRAINT "listing_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_conditions" ADD CONSTRAINT "provider_conditions_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_feedback" ADD CONSTRAINT "provider_feedback_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_routes" ADD CONSTRAINT "provider_routes_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_telehealth_states" ADD CONSTRAINT "provider_telehealth_states_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_conditions" ADD CONSTRAINT "rating_conditions_rating_id_ratings_id_fk" FOREIGN KEY ("rating_id") REFERENCES "public"."ratings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "annotations_provider_idx" ON "annotations" USING btree ("provider_id","status");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_created_idx" ON "audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "listing_requests_idempotency_key" ON "listing_requests" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "listing_requests_status_idx" ON "listing_requests" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "problem_reports_status_idx" ON "problem_reports" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "provider_routes_route_idx" ON "provider_routes" USING btree ("route","provider_id");--> statement-breakpoint
CREATE INDEX "provider_telehealth_states_state_idx" ON "provider_telehealth_states" USING btree ("state","provider_id");--> statement-breakpoint
CREATE UNIQUE INDEX "providers_slug_key" ON "providers" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "providers_state_idx" ON "providers" USING btree ("state","status");--> statement-breakpoint
CREATE INDEX "providers_kinds_idx" ON "providers" USING gin ("kinds");--> statement-breakpoint
CREATE INDEX "providers_demo_idx" ON "providers" USING btree ("is_demo") WHERE "providers"."is_demo";--> statement-breakpoint
CREATE UNIQUE INDEX "ratings_idempotency_key" ON "ratings" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "ratings_provider_idx" ON "ratings" USING btree ("provider_id","status","created_at");--> statement-breakpoint
CREATE INDEX "ratings_client_idx" ON "ratings" USING btree ("client_hash","created_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));
ALTER TABLE "providers" ADD COLUMN "accepting_new_patients" text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "accepting_confirmed_on" date;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_accepting_check" CHECK ("providers"."accepting_new_patients" in ('yes', 'no', 'unknown'));--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_accepting_confirmed_check" CHECK (("providers"."accepting_new_patients" = 'unknown') = ("providers"."accepting_confirmed_on" is null));
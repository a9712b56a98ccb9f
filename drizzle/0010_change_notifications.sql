-- Every committed change to what public pages show is announced on the channel kd_changes, so
-- each server (several may share this database) drops the caches built from it (decision 020).
-- The payload is the group and the writer's application_name: a server ignores its own writes,
-- which it has announced already. Statement-level: a statement notifies once, however many rows
-- it touched, and PostgreSQL folds identical notifications within a transaction into one.
CREATE FUNCTION "notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('kd_changes', TG_ARGV[0] || '|' || coalesce(current_setting('application_name', true), ''));
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "providers_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "providers" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('providers');
--> statement-breakpoint
CREATE TRIGGER "provider_slug_history_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "provider_slug_history" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('providers');
--> statement-breakpoint
CREATE TRIGGER "provider_routes_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "provider_routes" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('providers');
--> statement-breakpoint
CREATE TRIGGER "provider_telehealth_states_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "provider_telehealth_states" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('providers');
--> statement-breakpoint
CREATE TRIGGER "provider_conditions_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "provider_conditions" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('providers');
--> statement-breakpoint
CREATE TRIGGER "annotations_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "annotations" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('providers');
--> statement-breakpoint
CREATE TRIGGER "ratings_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ratings" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('feedback');
--> statement-breakpoint
CREATE TRIGGER "rating_conditions_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "rating_conditions" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('feedback');
--> statement-breakpoint
CREATE TRIGGER "provider_feedback_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "provider_feedback" FOR EACH STATEMENT EXECUTE FUNCTION "notify_change"('feedback');

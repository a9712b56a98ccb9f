-- Extensions used by later migrations (distance search and fuzzy name search).
-- Hand-written: drizzle-kit cannot express CREATE EXTENSION. Nothing here is newer than PostgreSQL 15.
CREATE EXTENSION IF NOT EXISTS cube;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS earthdistance;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;

import type { SessionUser } from '$lib/server/auth';
import type { Database, DatabaseKind } from '$lib/server/db';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			db: Database;
			dbKind: DatabaseKind;
			/** The signed-in admin or moderator, resolved once per request in hooks.server.ts. */
			user: SessionUser | null;
			/** Made per request (or a proxy's, kept); sent back as `x-request-id` and logged. */
			requestId: string;
			/** Set when the database was unreachable (handleError, the form wrapper): the hook answers 503 with Retry-After. */
			databaseUnavailable?: boolean;
		}
	}
}

export {};

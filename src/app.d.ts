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
			/** Set when the database was unreachable: the hook answers 503 with Retry-After. */
			databaseUnavailable?: boolean;
		}
	}
}

export {};

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
		}
	}
}

export {};

import { afterAll, beforeAll, describe, it } from 'vitest';
import postgres from 'postgres';
import {
	openDatabase,
	type Database,
	type DatabaseHandle,
	type DatabaseKind
} from '$lib/server/db';

/**
 * Runs a suite once per database the app supports: always on an in-memory PGlite, and on a
 * throwaway PostgreSQL database when TEST_DATABASE_URL is set. Each call owns its database, so
 * call it once per test file and load that file's fixtures in a `beforeAll` inside the body.
 *
 * Suite names end in `[pglite]` / `[postgres]`; CI looks for passed `[postgres]` tests in the
 * JSON report, and REQUIRE_POSTGRES=1 without TEST_DATABASE_URL fails instead of skipping.
 */

export interface DatabaseContext {
	readonly kind: DatabaseKind;
	/** The migrated database; only usable inside hooks and tests. */
	readonly db: Database;
}

export function testDatabaseUrl(): string | undefined {
	return process.env.TEST_DATABASE_URL?.trim() || undefined;
}

function postgresRequired(): boolean {
	const value = process.env.REQUIRE_POSTGRES?.trim().toLowerCase();
	return value === '1' || value === 'true' || value === 'yes';
}

export function databaseKinds(): DatabaseKind[] {
	return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

export function describeEachDatabase(title: string, body: (ctx: DatabaseContext) => void): void {
	for (const kind of databaseKinds()) {
		describe(`${title} [${kind}]`, () => body(openForSuite(kind, title)));
	}
	if (!testDatabaseUrl() && postgresRequired()) {
		describe(`${title} [postgres]`, () => {
			it('runs on PostgreSQL', () => {
				throw new Error(
					'REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: point it at a PostgreSQL server ' +
						'(e.g. postgres://postgres@127.0.0.1:5432/postgres) so this suite runs there too.'
				);
			});
		});
	}
}

function openForSuite(kind: DatabaseKind, title: string): DatabaseContext {
	let handle: DatabaseHandle | undefined;
	let scratch: ScratchDatabase | undefined;

	beforeAll(async () => {
		if (kind === 'pglite') {
			handle = await openDatabase();
		} else {
			scratch = await createScratchDatabase(testDatabaseUrl()!, title);
			handle = await openDatabase({ url: scratch.url });
		}
	});

	afterAll(async () => {
		try {
			await handle?.close();
		} finally {
			handle = undefined;
			await scratch?.drop();
		}
	});

	return {
		kind,
		get db(): Database {
			if (!handle) {
				throw new Error(`The ${kind} test database is not open (did beforeAll fail?)`);
			}
			return handle.db;
		}
	};
}

interface ScratchDatabase {
	name: string;
	url: string;
	drop(): Promise<void>;
}

/** A uniquely named database on the server at `adminUrl`, dropped (with FORCE) by `drop()`. */
export async function createScratchDatabase(
	adminUrl: string,
	label: string
): Promise<ScratchDatabase> {
	const tag = label
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_|_$/g, '')
		.slice(0, 20);
	const unique = `${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const name = `test_${tag}_${unique}`.slice(0, 63);
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database "${name}"`);
	} catch (err) {
		await admin.end({ timeout: 5 });
		throw err;
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		name,
		url: url.toString(),
		async drop() {
			try {
				await admin.unsafe(`drop database if exists "${name}" with (force)`);
			} finally {
				await admin.end({ timeout: 5 });
			}
		}
	};
}

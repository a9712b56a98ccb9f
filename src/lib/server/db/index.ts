import { PGlite } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { is, sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite, PgliteDatabase, PgliteTransaction } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { lockDataDir } from './lock';
import * as schema from './schema';

/** Either driver, seen through what they share; the rest of the code never knows which. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
	db: Database;
	kind: DatabaseKind;
	/**
	 * PostgreSQL only: this handle's `application_name`, unique per handle (so per process), which
	 * the change-notification triggers put in every payload so a listener can tell its own writes.
	 */
	applicationName?: string;
	/**
	 * PostgreSQL only: LISTENs on `channel` on a connection of its own, which postgres.js opens again
	 * (and LISTENs again, calling `onListen` each time) after it was lost. Ends with `close()`.
	 */
	listen?(
		channel: string,
		onNotify: (payload: string) => void,
		onListen: () => void
	): Promise<{ unlisten(): Promise<void> }>;
	close(): Promise<void>;
}

/** Which database a handle or a transaction on it talks to. */
export function databaseKind(db: Database): DatabaseKind {
	return is(db, PgliteDatabase) || is(db, PgliteTransaction) ? 'pglite' : 'postgres';
}

export interface OpenOptions {
	/** PostgreSQL connection string; PGlite when absent. */
	url?: string;
	/** PGlite data directory; in memory when absent. */
	dataDir?: string;
	migrate?: boolean;
	/** The SQL migrations; ./drizzle when absent. */
	migrationsFolder?: string;
}

export async function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
	const migrationsFolder = options.migrationsFolder ?? resolve(process.cwd(), 'drizzle');
	const handle = options.url
		? openPostgres(options.url, migrationsFolder)
		: await openPglite(migrationsFolder, options.dataDir);
	if (options.migrate !== false) {
		try {
			await handle.migrate();
		} catch (err) {
			await handle.close();
			throw err;
		}
	}
	return handle;
}

/**
 * Advisory locks of the directory are (class, object) pairs in this class ('kd'), apart from the
 * one-argument locks on hashes that ratings take: the migrations' here, the jobs' in ../jobs.ts.
 */
export const LOCK_CLASS = 0x6b64;
const MIGRATION_LOCK = 0;

function openPostgres(url: string, migrationsFolder: string) {
	const applicationName = `kd-${randomBytes(6).toString('hex')}`;
	const client = postgres(url, {
		max: 10,
		connection: { application_name: applicationName },
		onnotice: () => {},
		// postgres.js waits longer after each failed connection (up to 20 s, never reset until one
		// succeeds): after an outage every request would hang that long. At most 1 s instead.
		backoff: (retries: number) => Math.min(2 ** retries / 100, 1)
	});
	const db = drizzlePostgres(client, { schema });
	return {
		db: db as unknown as Database,
		kind: 'postgres' as const,
		applicationName,
		listen: async (channel: string, onNotify: (payload: string) => void, onListen: () => void) => {
			const listening = await client.listen(channel, onNotify, onListen);
			return { unlisten: () => listening.unlisten() };
		},
		migrate: async () => {
			// Servers starting together on one database: one migrates while the others wait for
			// the lock, then find nothing left to do. The lock goes with the session if it breaks.
			const session = await client.reserve();
			try {
				await session`select pg_advisory_lock(${LOCK_CLASS}::int, ${MIGRATION_LOCK}::int)`;
				try {
					await migratePostgres(db, { migrationsFolder });
				} finally {
					await session`select pg_advisory_unlock(${LOCK_CLASS}::int, ${MIGRATION_LOCK}::int)`;
				}
			} finally {
				session.release();
			}
		},
		close: () => client.end({ timeout: 5 })
	};
}

async function openPglite(migrationsFolder: string, dataDir?: string) {
	let unlock = () => {};
	if (dataDir) {
		mkdirSync(dataDir, { recursive: true });
		unlock = lockDataDir(dataDir);
	}
	let client: PGlite;
	try {
		client = await PGlite.create({ dataDir, extensions: { cube, earthdistance, pg_trgm } });
	} catch (err) {
		unlock();
		throw err;
	}
	const db = drizzlePglite(client, { schema });
	return {
		db: db as unknown as Database,
		kind: 'pglite' as const,
		migrate: () => migratePglite(db, { migrationsFolder }),
		close: async () => {
			try {
				await client.close();
			} finally {
				unlock();
			}
		}
	};
}

/** Rows of a raw query, whichever driver ran it (postgres.js gives an array, PGlite `{ rows }`). */
export async function selectRows<T>(db: Database, query: SQL): Promise<T[]> {
	const result: unknown = await db.execute(query);
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * The one row a statement always returns (INSERT … RETURNING, UPDATE … RETURNING of a row just
 * read, an aggregate without GROUP BY); throws if it returned none.
 */
export function oneRow<T>(rows: readonly T[]): T {
	const [row] = rows;
	if (row === undefined) throw new Error('The statement returned no row.');
	return row;
}

export async function ping(db: Database): Promise<boolean> {
	try {
		await db.execute(sql`select 1`);
		return true;
	} catch {
		return false;
	}
}

/** A unique-index violation (SQLSTATE 23505); both drivers put it in `code`, maybe under drizzle's `cause`. */
export function isUniqueViolation(err: unknown): boolean {
	for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		if ((e as { code?: unknown }).code === '23505') return true;
	}
	return false;
}

export { schema };

import { resolve } from 'node:path';
import { ensureFirstAdmin } from '../auth';
import { seedDemoIfEmpty } from '../demo';
import { recomputeStaleInBackground } from '../feedback';
import { warmGeocoder } from '../geocode';
import { eraseOldContacts } from '../requests';
import { warmMapCache } from '../map';
import { openDatabase, type DatabaseHandle } from './index';

/**
 * The process's one database handle: PostgreSQL when DATABASE_URL is set, otherwise PGlite in
 * DATA_DIR. Kept on globalThis so Vite's dev reloads never open the PGlite directory twice.
 */
const holder = globalThis as typeof globalThis & { __appDatabase?: Promise<DatabaseHandle> };

export const usesEmbeddedDatabase = () => !process.env.DATABASE_URL;

async function start(): Promise<DatabaseHandle> {
	const url = process.env.DATABASE_URL || undefined;
	const handle = await openDatabase({
		url,
		dataDir: url ? undefined : resolve(process.env.DATA_DIR || 'data')
	});
	try {
		if (handle.kind === 'pglite' && process.env.SEED_DEMO !== 'false') {
			const added = await seedDemoIfEmpty(handle.db);
			if (added) console.log(`Loaded ${added} demo providers into the embedded database.`);
		}
		const admin = await ensureFirstAdmin(handle.db, process.env);
		if (admin) console.log('Created the first admin account from ADMIN_EMAIL.');
		await eraseOldContacts(handle.db);
	} catch (err) {
		await handle.close();
		throw err;
	}
	warmMapCache(handle.db);
	recomputeStaleInBackground(handle.db);
	warmGeocoder();
	return handle;
}

export function appDatabase(): Promise<DatabaseHandle> {
	holder.__appDatabase ??= start().catch((err: unknown) => {
		holder.__appDatabase = undefined;
		throw err;
	});
	return holder.__appDatabase;
}

/** Closes the handle (the PGlite directory and its lock, or the PostgreSQL pool), if one is open. */
export async function closeAppDatabase(): Promise<void> {
	const opening = holder.__appDatabase;
	holder.__appDatabase = undefined;
	if (!opening) return;
	const handle = await opening.catch(() => null);
	await handle?.close();
}

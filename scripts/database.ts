import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/index';

/**
 * The database the app itself would use (DATABASE_URL, else PGlite in DATA_DIR), migrated. A
 * PGlite directory held by a running server is refused with a message, not a stack trace.
 */
export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
	const url = process.env.DATABASE_URL || undefined;
	try {
		return await openDatabase({ url, dataDir: url ? undefined : process.env.DATA_DIR || 'data' });
	} catch (err) {
		console.error(err instanceof Error ? err.message : String(err));
		process.exit(1);
	}
}

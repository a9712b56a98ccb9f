import { config } from '../src/lib/server/config';
import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/index';

/**
 * The database the app itself would use (DATABASE_URL, else PGlite in DATA_DIR), migrated. A bad
 * setting, or a PGlite directory held by a running server, is refused with a message, not a
 * stack trace.
 */
export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
	try {
		const { databaseUrl, dataDir, migrationsDir } = config();
		return await openDatabase({
			url: databaseUrl,
			dataDir: databaseUrl ? undefined : dataDir,
			migrationsFolder: migrationsDir
		});
	} catch (err) {
		console.error(err instanceof Error ? err.message : String(err));
		process.exit(1);
	}
}

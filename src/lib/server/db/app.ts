import type { DatabaseHandle } from './index';

/**
 * The process's one database handle, kept on globalThis so Vite's dev reloads never open the
 * PGlite directory twice. `open` (src/lib/server/startup.ts: open, then the start-up work) runs
 * on first use, and again on the next use after it failed — PostgreSQL may come up later.
 */
const holder = globalThis as typeof globalThis & { __appDatabase?: Promise<DatabaseHandle> };

export function appDatabase(open: () => Promise<DatabaseHandle>): Promise<DatabaseHandle> {
	holder.__appDatabase ??= open().catch((err: unknown) => {
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

import { ensureFirstAdmin } from './auth';
import { startChangeFeed } from './change-feed';
import { config, type Config } from './config';
import {
	isUniqueViolation,
	openDatabase,
	type Database,
	type DatabaseHandle,
	type DatabaseKind
} from './db';
import { appDatabase, closeAppDatabase } from './db/app';
import { seedDemoIfEmpty } from './demo';
import { recomputeStale } from './feedback';
import { warmGeocoder } from './geocode';
import { warmMapCache } from './map';
import { runAlone } from './jobs';
import { describeError, log } from './log';
import { eraseOldContacts } from './requests';

/**
 * What the server does when it starts and stops (src/hooks.server.ts calls `start` from
 * SvelteKit's init hook and `stop` on adapter-node's `sveltekit:shutdown`): open and migrate the
 * database, load the demo set, create the first admin, erase expired contact details (then hourly,
 * the promise /privacy makes), and warm the map and geocoder caches. On PostgreSQL, several
 * servers may share the database (decision 020): each listens for the others' changes, and the
 * scheduled jobs run on one server at a time.
 */

/** Decided listing requests keep contact details 90 days; this is how late an erasure may come. */
const ERASE_EVERY_MS = 60 * 60 * 1000;

interface Running {
	config: Config;
	eraseTimer: ReturnType<typeof setInterval>;
}

/**
 * On globalThis, like the database handle, so a dev reload replaces the timer, never adds one.
 * `__appStopped`: `stop` has run; the database is not opened again (a request still running at
 * shutdown would otherwise reopen it, and the new pool would keep the process alive).
 */
const state = globalThis as typeof globalThis & { __appStartup?: Running; __appStopped?: boolean };

async function openAndPrepare(settings: Config): Promise<DatabaseHandle> {
	const handle = await openDatabase({
		url: settings.databaseUrl,
		dataDir: settings.databaseUrl ? undefined : settings.dataDir,
		migrationsFolder: settings.migrationsDir
	});
	try {
		if (handle.kind === 'pglite' && settings.seedDemo) {
			const added = await seedDemoIfEmpty(handle.db);
			if (added) log.info(`Loaded ${added} demo providers into the embedded database.`);
		}
		if (settings.admin) {
			const { email, password } = settings.admin;
			const admin = await ensureFirstAdmin(handle.db, {
				ADMIN_EMAIL: email,
				ADMIN_PASSWORD: password
			}).catch((err: unknown) => {
				// Another server starting at the same time created it first.
				if (isUniqueViolation(err)) return null;
				throw err;
			});
			if (admin) log.info('Created the first admin account from ADMIN_EMAIL.');
		}
		await eraseContactsAlone(handle.db);
	} catch (err) {
		await handle.close();
		throw err;
	}
	const prepared = handle.kind === 'postgres' ? await withChangeFeed(handle) : handle;
	recomputeStaleAlone(handle.db);
	warmGeocoder();
	// Before the first visitor, not during: building the map's index holds the event loop.
	await warmMapCache(handle.db);
	return prepared;
}

/** The handle, listening for the other servers' changes until it is closed. */
async function withChangeFeed(handle: DatabaseHandle): Promise<DatabaseHandle> {
	try {
		const feed = await startChangeFeed(handle);
		return {
			...handle,
			close: async () => {
				await feed.close();
				await handle.close();
			}
		};
	} catch (err) {
		await handle.close();
		throw err;
	}
}

function eraseContactsAlone(db: Database): Promise<unknown> {
	return runAlone(db, 'erase-old-contacts', () => eraseOldContacts(db));
}

/**
 * Off the request path: brings feedback summaries computed under older rules up to date (readers
 * show a provider's older numbers until it is reached). Another server doing it already: skipped.
 */
function recomputeStaleAlone(db: Database): void {
	runAlone(db, 'recompute-stale-feedback', () => recomputeStale(db)).then(
		(outcome) => {
			const n = outcome.ran ? outcome.result : 0;
			if (n) {
				const noun = n === 1 ? 'provider' : 'providers';
				log.info(`Recomputed the patient feedback of ${n} ${noun} under the current rules.`);
			}
		},
		(err: unknown) => {
			// Never the raw error: drizzle's carries the query parameters.
			log.error(
				{ err: describeError(err) },
				'recomputing stored feedback failed; it is retried at the next start'
			);
		}
	);
}

/**
 * The process's database, opened and prepared on first use. If opening failed (PostgreSQL down),
 * the next call tries again.
 */
export function database(): Promise<DatabaseHandle> {
	if (state.__appStopped) return Promise.reject(new Error('The server is stopping.'));
	const settings = state.__appStartup?.config ?? config();
	return appDatabase(() => openAndPrepare(settings));
}

function eraseExpiredContacts(): void {
	database()
		.then(({ db }) => eraseContactsAlone(db))
		.catch((err: unknown) => {
			log.error(
				{ err: describeError(err) },
				'erasing expired contact details failed; retried within the hour'
			);
		});
}

/**
 * Reads the configuration (a ConfigError names each bad variable), then opens the database. The
 * embedded database must open — it is a directory only this process may hold — so a failure
 * rejects with its reason. PostgreSQL may be down at start; `database()` retries on later calls.
 */
export async function start(settings: Config = config()): Promise<void> {
	if (state.__appStartup) clearInterval(state.__appStartup.eraseTimer);
	const eraseTimer = setInterval(eraseExpiredContacts, ERASE_EVERY_MS);
	eraseTimer.unref();
	state.__appStartup = { config: settings, eraseTimer };
	state.__appStopped = false;
	if (!settings.databaseUrl) {
		try {
			await database();
		} catch (err) {
			await stop();
			throw err;
		}
	} else {
		// Opened (and its caches warmed) before the server listens, so the first visitor does not
		// wait for it; but PostgreSQL may be down or slow, and the server starts anyway.
		const opening = database().then(
			() => undefined,
			(err: unknown) => {
				log.warn({ err: describeError(err) }, 'database unavailable at start');
			}
		);
		let timer: ReturnType<typeof setTimeout> | undefined;
		const waited = new Promise<void>((done) => (timer = setTimeout(done, START_WAIT_MS)));
		await Promise.race([opening, waited]);
		clearTimeout(timer);
	}
}

/** How long start-up waits for PostgreSQL before the server listens without it. */
const START_WAIT_MS = 5_000;

/** Which database this process is configured for, whether or not it could be opened. */
export function configuredKind(): DatabaseKind {
	return (state.__appStartup?.config ?? config()).databaseUrl ? 'postgres' : 'pglite';
}

/** Clears the timer and closes the database: after this, nothing keeps the process alive. */
export async function stop(): Promise<void> {
	const running = state.__appStartup;
	state.__appStartup = undefined;
	state.__appStopped = true;
	if (running) clearInterval(running.eraseTimer);
	await closeAppDatabase();
}

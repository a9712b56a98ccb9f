import { sql } from 'drizzle-orm';
import { databaseKind, LOCK_CLASS, selectRows, type Database } from './db';

/**
 * Scheduled work that several servers on one PostgreSQL must not do twice at once (decision 020).
 * On PGlite there is one process, so the work simply runs.
 */
export type JobName = 'erase-old-contacts' | 'recompute-stale-feedback';

/** Advisory-lock objects in the directory's class (0 is the migrations'). */
const JOB_IDS: Record<JobName, number> = {
	'erase-old-contacts': 1,
	'recompute-stale-feedback': 2
};

/**
 * Runs `work` unless another server is running the same job; `{ ran: false }` then. On PostgreSQL
 * the lock is a transaction-level advisory lock on a connection held for the job's duration (so it
 * is let go however the job ends, a lost connection included); `work` uses `db` as usual.
 */
export async function runAlone<T>(
	db: Database,
	job: JobName,
	work: () => Promise<T>
): Promise<{ ran: true; result: T } | { ran: false }> {
	if (databaseKind(db) === 'pglite') return { ran: true, result: await work() };
	return db.transaction(async (tx) => {
		const [row] = await selectRows<{ locked: boolean }>(
			tx,
			sql`select pg_try_advisory_xact_lock(${LOCK_CLASS}::int, ${JOB_IDS[job]}::int) as locked`
		);
		if (!row?.locked) return { ran: false as const };
		return { ran: true as const, result: await work() };
	});
}

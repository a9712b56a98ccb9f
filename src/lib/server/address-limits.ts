import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { databaseKind, type Database } from './db';
import { signInLimits } from './db/schema';

/**
 * Per-address limits (ratings, listing requests, problem reports), counted where every server
 * sees the same count (decision 020): on PostgreSQL in the `sign_in_limits` table that the sign-in
 * limits already use (one atomic upsert per point, keys prefixed by the limit's name), so several
 * servers on one database share one count; on the embedded database in this process's memory, as
 * only one process can open it — and the ratings limit is taken inside a transaction, which on
 * PGlite's single connection would wait forever for a query on the outer handle.
 *
 * Keys must be keyed hashes (./client-hash.ts), never an address. Expired rows are deleted with
 * the sign-in limits' (sweepSignInLimits).
 */
export interface AddressLimit {
	/** Prefix of the stored keys: one count per name. */
	name: string;
	points: number;
	/** Seconds. */
	duration: number;
}

export interface AddressLimiter {
	/** Takes a point; rejects with a RateLimiterRes when none is left, with an Error when the store fails. */
	consume(key: string): Promise<RateLimiterRes>;
}

const memory = new Map<string, RateLimiterMemory>();

/**
 * The limiter for `limit`, counting through `db` — a handle or, for a point taken with other
 * writes, a transaction on it (the point is then given back if the transaction rolls back).
 */
export function addressLimiter(db: Database, limit: AddressLimit): AddressLimiter {
	if (databaseKind(db) === 'pglite') {
		const id = `${limit.name}:${limit.points}:${limit.duration}`;
		let found = memory.get(id);
		if (!found) {
			found = new RateLimiterMemory({ points: limit.points, duration: limit.duration });
			memory.set(id, found);
		}
		return found;
	}
	// Cheap to make: it holds the options and the handle, and runs no timer.
	return new RateLimiterDrizzle({
		storeClient: db,
		schema: signInLimits,
		keyPrefix: limit.name,
		points: limit.points,
		duration: limit.duration,
		clearExpiredByTimeout: false
	});
}

export type Taken = { ok: true } | { ok: false; retryAfterMs: number };

/** Takes a point; `ok: false` with the wait when none is left. A failing store throws. */
export async function take(db: Database, limit: AddressLimit, key: string): Promise<Taken> {
	try {
		await addressLimiter(db, limit).consume(key);
		return { ok: true };
	} catch (rejection) {
		if (!(rejection instanceof RateLimiterRes)) throw rejection;
		return { ok: false, retryAfterMs: rejection.msBeforeNext };
	}
}

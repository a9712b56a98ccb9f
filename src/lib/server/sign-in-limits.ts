import { lt } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import { clientHashes } from './client-hash';
import type { Database } from './db';
import { signInLimits } from './db/schema';

/**
 * Failed sign-in attempts (passwords and second-factor codes), counted in the database so that a
 * restart or a second server does not reset them (decision 015):
 *
 * - per account: 10 in 15 minutes, whatever the address — counted for unknown emails too, so the
 *   limit says nothing about which accounts exist;
 * - per client address: 30 in 15 minutes across every account, which stops one address spraying
 *   passwords at many accounts while leaving room for a shared office address with a few people
 *   mistyping.
 *
 * An attempt takes its point before the password is checked (an atomic upsert), so a burst of
 * parallel guesses cannot slip past the count; the point is given back when the attempt turns out
 * not to be a failure (a right password, or an attempt refused without being checked). Keys are a
 * prefix and a keyed hash of the email or address, never the value.
 */
export const ACCOUNT_FAILURES = 10;
export const ADDRESS_FAILURES = 30;
export const WINDOW_SECONDS = 15 * 60;

const limiters = new WeakMap<
	Database,
	{ account: RateLimiterDrizzle; address: RateLimiterDrizzle }
>();

function limitersFor(db: Database) {
	let found = limiters.get(db);
	if (!found) {
		const options = {
			storeClient: db,
			schema: signInLimits,
			duration: WINDOW_SECONDS,
			// Expired rows are swept by sweepSignInLimits (no timer of the library's: it would log
			// raw database errors and outlive shutdown).
			clearExpiredByTimeout: false
		};
		found = {
			account: new RateLimiterDrizzle({
				...options,
				keyPrefix: 'account',
				points: ACCOUNT_FAILURES
			}),
			address: new RateLimiterDrizzle({
				...options,
				keyPrefix: 'address',
				points: ADDRESS_FAILURES
			})
		};
		limiters.set(db, found);
	}
	return found;
}

export interface AttemptKeys {
	account: string;
	address: string;
}

/** The hashed keys of an attempt: the normalised email and the client address. */
export async function attemptKeys(
	db: Database,
	email: string,
	clientAddress: string
): Promise<AttemptKeys> {
	const [account, address] = await Promise.all([
		clientHashes(db, `sign-in-account:${email.trim().toLowerCase()}`),
		clientHashes(db, `sign-in-address:${clientAddress}`)
	]);
	return { account: account.current, address: address.current };
}

export type Reservation =
	{ ok: true; keys: AttemptKeys } | { ok: false; retryAfterSeconds: number; message: string };

export function tooManyMessage(retryAfterSeconds: number): string {
	const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
	return `Too many sign-in attempts. Please try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/**
 * Counts an attempt against both limits before it is checked. Refused when either limit is
 * already used up; nothing is counted then.
 */
export async function reserveAttempt(db: Database, keys: AttemptKeys): Promise<Reservation> {
	const { account, address } = limitersFor(db);
	const results = await Promise.allSettled([
		account.consume(keys.account),
		address.consume(keys.address)
	]);
	const failure = results.find(
		(r): r is PromiseRejectedResult =>
			r.status === 'rejected' && !(r.reason instanceof RateLimiterRes)
	);
	const refused = results.flatMap((r) =>
		r.status === 'rejected' && r.reason instanceof RateLimiterRes ? [r.reason] : []
	);
	if (failure || refused.length) {
		// Either limit refused (or the store failed): this attempt is not checked, so not counted.
		await refundAttempt(
			db,
			keys,
			results.map((r) => r.status === 'fulfilled' || !failure)
		);
		if (failure) throw failure.reason;
		const retryAfterSeconds = Math.ceil(Math.max(...refused.map((r) => r.msBeforeNext)) / 1000);
		return { ok: false, retryAfterSeconds, message: tooManyMessage(retryAfterSeconds) };
	}
	return { ok: true, keys };
}

/**
 * Gives back the point an attempt took: it was not a failure. Only this attempt's point, so a
 * successful sign-in leaves the failures of other accounts from the same address counted.
 */
export async function refundAttempt(
	db: Database,
	keys: AttemptKeys,
	which: readonly [boolean, boolean] | boolean[] = [true, true]
): Promise<void> {
	const { account, address } = limitersFor(db);
	await Promise.all([
		which[0] ? account.reward(keys.account, 1) : null,
		which[1] ? address.reward(keys.address, 1) : null
	]);
}

/** Deletes counters whose window ended more than an hour ago. */
export async function sweepSignInLimits(db: Database, now = new Date()): Promise<void> {
	await db.delete(signInLimits).where(lt(signInLimits.expire, new Date(now.getTime() - 3_600_000)));
}

import { createHmac, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import { oneRow, type Database } from './db';
import { hashKeys } from './db/schema';

/**
 * Client addresses (and the rating page's device tokens) are never stored: only an HMAC of them, keyed by a random secret that changes
 * every PERIOD_DAYS. Keys older than the previous period are deleted, so a hash can be matched to
 * an address for at most two periods, and then by nobody. The previous period's key is kept so
 * that "one rating per provider per address per 30 days" holds across a rotation.
 */
export const PERIOD_DAYS = 30;
const PERIOD_MS = PERIOD_DAYS * 86_400_000;

export function periodOf(date: Date): number {
	return Math.floor(date.getTime() / PERIOD_MS);
}

const cache = new WeakMap<Database, Map<number, string>>();

async function keyFor(db: Database, period: number): Promise<string> {
	let keys = cache.get(db);
	if (!keys) cache.set(db, (keys = new Map<number, string>()));
	const known = keys.get(period);
	if (known) return known;
	await db
		.insert(hashKeys)
		.values({ period, key: randomBytes(32).toString('base64url') })
		.onConflictDoNothing();
	// The insert above made sure the period has a key.
	const row = oneRow(
		await db.select({ key: hashKeys.key }).from(hashKeys).where(eq(hashKeys.period, period))
	);
	await db.delete(hashKeys).where(lt(hashKeys.period, period - 1));
	keys.set(period, row.key);
	for (const p of keys.keys()) if (p < period - 1) keys.delete(p);
	return row.key;
}

export interface ClientHashes {
	/** Stored with new rows. */
	current: string;
	/** The same address under the previous period's key, for look-backs across a rotation. */
	previous: string;
}

export async function clientHashes(
	db: Database,
	address: string,
	now = new Date()
): Promise<ClientHashes> {
	const period = periodOf(now);
	const [current, previous] = await Promise.all([keyFor(db, period), keyFor(db, period - 1)]);
	const hash = (key: string) =>
		createHmac('sha256', key).update(address).digest('base64url').slice(0, 32);
	return { current: hash(current), previous: hash(previous) };
}

/**
 * The rating page's per-device token, hashed like an address under the same rotating keys, in a
 * namespace of its own (a token can never hash to an address's value).
 */
export function deviceHashes(db: Database, token: string, now = new Date()): Promise<ClientHashes> {
	return clientHashes(db, `device:${token}`, now);
}

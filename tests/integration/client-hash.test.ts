import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ratingSchema, type RatingInput } from '$lib/schemas/rating';
import { clientHashes, deviceHashes, PERIOD_DAYS, periodOf } from '$lib/server/client-hash';
import { selectRows, type Database } from '$lib/server/db';
import { hashKeys, ratings } from '$lib/server/db/schema';
import { submitRating, type Limits } from '$lib/server/ratings';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider, slugFor } from '../helpers/fixtures';
import { at, missing } from '../helpers/rows';

const DAY = 86_400_000;
const PERIOD = PERIOD_DAYS * DAY;
const startOf = (period: number) => new Date(period * PERIOD);

const LIMITS: Limits = {
	perAddressPerHour: 1000,
	repeatDays: 30,
	burstPerProviderPerHour: 1000,
	burstPerAddressPerDay: 1000
};

function rating(values: Record<string, unknown>): RatingInput {
	return ratingSchema.parse({ ownExperience: 'on', idempotencyKey: randomUUID(), ...values });
}

/** Every text-like column of every table, as `table.column`. */
async function textColumns(db: Database): Promise<{ table: string; column: string }[]> {
	return selectRows(
		db,
		sql`select table_name as "table", column_name as "column" from information_schema.columns
			where table_schema = 'public' and data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')
			order by table_name, column_name`
	);
}

/** `table.column` of every cell whose text contains `needle`. */
async function cellsContaining(db: Database, needle: string): Promise<string[]> {
	const found: string[] = [];
	for (const { table, column } of await textColumns(db)) {
		const [{ n } = missing()] = await selectRows<{ n: number }>(
			db,
			sql`select count(*)::int as n from ${sql.identifier(table)} where strpos(${sql.identifier(column)}::text, ${needle}) > 0`
		);
		if (n > 0) found.push(`${table}.${column}`);
	}
	return found;
}

async function storedPeriods(db: Database): Promise<number[]> {
	const rows = await db
		.select({ period: hashKeys.period })
		.from(hashKeys)
		.orderBy(asc(hashKeys.period));
	return rows.map((r) => r.period);
}

describeEachDatabase('client hash', (ctx) => {
	const providerIds = new Map<string, number>();
	beforeAll(async () => {
		for (const name of ['Hash Clinic', 'Hash Clinic Two', 'Boundary Clinic', 'Boundary Clinic Two'])
			providerIds.set(
				name,
				await insertProvider(ctx.db, { name, kinds: ['clinic'], state: 'TX', routes: ['iv'] })
			);
	});

	it('stores no client address or device token anywhere, only their keyed hashes', async () => {
		const addresses = ['203.0.113.77', '2001:db8:feed::beef', '::ffff:198.51.100.23'];
		const devices = addresses.map(() => randomBytes(32).toString('base64url'));
		const now = new Date();
		for (const [i, address] of addresses.entries()) {
			for (const name of ['Hash Clinic', 'Hash Clinic Two']) {
				const result = await submitRating(
					ctx.db,
					slugFor(name),
					rating({ overall: 4, comment: `Marker comment ${i}`, conditions: ['ptsd'] }),
					{ address, device: devices[i] },
					{ limits: LIMITS, now }
				);
				expect(result).toMatchObject({ ok: true });
			}
		}

		const searched = (await textColumns(ctx.db)).map((c) => `${c.table}.${c.column}`);
		expect(searched).toEqual(
			expect.arrayContaining([
				'hash_keys.key',
				'ratings.client_hash',
				'ratings.device_hash',
				'ratings.comment',
				'ratings.idempotency_key',
				'ratings.moderation_reason',
				'provider_feedback.summary'
			])
		);
		// The search finds what is there…
		expect(await cellsContaining(ctx.db, 'Marker comment 2')).toEqual(['ratings.comment']);
		// …and no address, nor its last part, is anywhere.
		for (const address of [...addresses, '198.51.100.23', 'feed::beef']) {
			expect(await cellsContaining(ctx.db, address)).toEqual([]);
		}
		// …nor any device token, nor a recognisable part of one.
		for (const token of devices) {
			expect(await cellsContaining(ctx.db, token)).toEqual([]);
			expect(await cellsContaining(ctx.db, token.slice(0, 12))).toEqual([]);
		}
		const deviceRows = await ctx.db
			.select({ device: ratings.deviceHash })
			.from(ratings)
			.where(eq(ratings.providerId, providerIds.get('Hash Clinic')!))
			.orderBy(asc(ratings.id));
		expect(deviceRows.map((r) => r.device)).toEqual(
			await Promise.all(devices.map(async (d) => (await deviceHashes(ctx.db, d, now)).current))
		);
		// A token and an address never share a hash, even with the same text.
		expect((await deviceHashes(ctx.db, at(addresses, 0), now)).current).not.toBe(
			(await clientHashes(ctx.db, at(addresses, 0), now)).current
		);

		const stored = await ctx.db
			.select({ hash: ratings.clientHash })
			.from(ratings)
			.where(eq(ratings.providerId, providerIds.get('Hash Clinic')!))
			.orderBy(asc(ratings.id));
		const expected = await Promise.all(
			addresses.map(async (a) => (await clientHashes(ctx.db, a, now)).current)
		);
		expect(stored.map((s) => s.hash)).toEqual(expected);
		for (const address of addresses) {
			const plain = createHash('sha256').update(address);
			const unkeyed = plain.digest('base64url').slice(0, 32);
			expect(expected).not.toContain(unkeyed);
		}
	});

	describe('rotation', () => {
		// Far from today's period, so these tests own the keys they create.
		const P = periodOf(new Date()) + 100;

		it('numbers 30-day periods from the epoch', () => {
			expect(periodOf(new Date(0))).toBe(0);
			expect(periodOf(new Date(PERIOD - 1))).toBe(0);
			expect(periodOf(new Date(PERIOD))).toBe(1);
			expect(periodOf(new Date(P * PERIOD + 29 * DAY))).toBe(P);
		});

		it('is stable within a period, and differs across periods and addresses', async () => {
			const a = '192.0.2.10';
			const b = '192.0.2.11';
			const first = await clientHashes(ctx.db, a, startOf(P));
			const last = await clientHashes(ctx.db, a, new Date((P + 1) * PERIOD - 1));
			const next = await clientHashes(ctx.db, a, startOf(P + 1));
			const other = await clientHashes(ctx.db, b, new Date(P * PERIOD + 3 * DAY));

			expect(first.current).toMatch(/^[A-Za-z0-9_-]{32}$/);
			expect(last.current).toBe(first.current);
			expect(next.current).not.toBe(first.current);
			expect(next.previous).toBe(first.current);
			expect(other.current).not.toBe(first.current);
			expect(other.previous).not.toBe(first.previous);

			// It is the HMAC under the period's stored key, so it survives a restart.
			const [{ key } = missing()] = await ctx.db
				.select({ key: hashKeys.key })
				.from(hashKeys)
				.where(eq(hashKeys.period, P));
			expect(createHmac('sha256', key).update(a).digest('base64url').slice(0, 32)).toBe(
				first.current
			);
		});

		it('deletes keys older than the previous period when a new period starts', async () => {
			// Later than any other test's periods, so every earlier key must go.
			const Q = P + 50;
			await clientHashes(ctx.db, '192.0.2.20', new Date(Q * PERIOD + DAY));
			expect(await storedPeriods(ctx.db)).toEqual([Q - 1, Q]);
			const keyOf = async (period: number) =>
				(
					await ctx.db
						.select({ key: hashKeys.key })
						.from(hashKeys)
						.where(eq(hashKeys.period, period))
				)[0]?.key;
			const keyQ = await keyOf(Q);

			const later = await clientHashes(ctx.db, '192.0.2.20', new Date((Q + 1) * PERIOD + DAY));
			expect(await storedPeriods(ctx.db)).toEqual([Q, Q + 1]);
			expect(await keyOf(Q)).toBe(keyQ);
			expect(
				createHmac('sha256', keyQ!).update('192.0.2.20').digest('base64url').slice(0, 32)
			).toBe(later.previous);

			await clientHashes(ctx.db, '192.0.2.20', new Date((Q + 3) * PERIOD));
			expect(await storedPeriods(ctx.db)).toEqual([Q + 2, Q + 3]);
			expect(await keyOf(Q)).toBeUndefined();
		});

		it('still refuses a repeat rating just after a rotation', async () => {
			const R = P + 20;
			const address = '192.0.2.30';
			const day29 = new Date(R * PERIOD + 28 * DAY + 12 * 3_600_000);
			const day2 = new Date((R + 1) * PERIOD + DAY + 12 * 3_600_000);
			const submit = (name: string, now: Date) =>
				submitRating(
					ctx.db,
					slugFor(name),
					rating({ overall: 3 }),
					{ address },
					{ limits: LIMITS, now }
				);

			const first = await submit('Boundary Clinic', day29);
			expect(first).toMatchObject({ ok: true, status: 'published' });
			const again = new Date(day29.getTime() + 30 * DAY);
			const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
			expect(await submit('Boundary Clinic', day2)).toEqual({
				ok: false,
				code: 'rate_limited',
				message: `You have already rated this provider in the last 30 days. You can rate it again from ${date.format(again)}.`,
				retryAfterSeconds: 27 * 86_400
			});

			// The stored hash is the old period's: only the kept previous key matches it.
			const [row = missing()] = await ctx.db
				.select({ hash: ratings.clientHash })
				.from(ratings)
				.where(eq(ratings.providerId, providerIds.get('Boundary Clinic')!));
			const hashes = await clientHashes(ctx.db, address, day2);
			expect(row.hash).toBe(hashes.previous);
			expect(row.hash).not.toBe(hashes.current);

			expect(await submit('Boundary Clinic Two', day2)).toMatchObject({ ok: true });
			expect(await submit('Boundary Clinic', again)).toMatchObject({ ok: true });
		});
	});
});

import { randomUUID } from 'node:crypto';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ratingSchema } from '$lib/schemas/rating';
import { take } from '$lib/server/address-limits';
import { startChangeFeed, type ChangeFeed } from '$lib/server/change-feed';
import { openDatabase, type DatabaseHandle } from '$lib/server/db';
import { providers, signInLimits } from '$lib/server/db/schema';
import { onChange, type Change } from '$lib/server/events';
import { runAlone } from '$lib/server/jobs';
import { submitRating, type Limits } from '$lib/server/ratings';
import { submitReport } from '$lib/server/reports';
import { REQUEST_LIMIT } from '$lib/server/requests';
import { createScratchDatabase, describeEachDatabase, testDatabaseUrl } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';

const report = { reason: 'closed' as const };

function limits(perAddressPerHour: number): Limits {
	return {
		perAddressPerHour,
		repeatDays: 30,
		burstPerProviderPerHour: 1000,
		burstPerAddressPerDay: 1000
	};
}

const rating = () =>
	ratingSchema.parse({ ownExperience: 'on', idempotencyKey: randomUUID(), overall: 4 });

describeEachDatabase('per-address limits', (ctx) => {
	it('refuses the eleventh report of an hour from one address, and keeps no address', async () => {
		await insertProvider(ctx.db, { name: 'Limit Clinic', kinds: ['clinic'], state: 'OR' });
		for (let i = 0; i < 10; i++) {
			expect(
				await submitReport(ctx.db, 'limit-clinic', report, { address: '198.51.100.41' })
			).toMatchObject({ ok: true });
		}
		expect(
			await submitReport(ctx.db, 'limit-clinic', report, { address: '198.51.100.41' })
		).toMatchObject({ ok: false, code: 'rate_limited' });
		expect(
			await submitReport(ctx.db, 'limit-clinic', report, { address: '198.51.100.42' })
		).toMatchObject({ ok: true });

		const stored = await ctx.db
			.select({ key: signInLimits.key, points: signInLimits.points })
			.from(signInLimits)
			.where(like(signInLimits.key, 'reports:%'));
		if (ctx.kind === 'postgres') {
			// The refused attempt is counted too: an address that keeps trying stays refused.
			expect(stored.map((r) => r.points).sort((a, b) => a - b)).toEqual([1, 11]);
			for (const { key } of stored) expect(key).not.toMatch(/198\.51|100\.4/);
		} else {
			// The embedded database counts in memory: one process holds it.
			expect(stored).toEqual([]);
		}
	});

	it('refuses ratings past the hourly limit, counted inside the rating transaction', async () => {
		await insertProvider(ctx.db, { name: 'Hourly Clinic', kinds: ['clinic'], state: 'OR' });
		await insertProvider(ctx.db, { name: 'Hourly Clinic Two', kinds: ['clinic'], state: 'OR' });
		const options = { limits: limits(1) };
		const client = { address: '203.0.113.61' };
		expect(await submitRating(ctx.db, 'hourly-clinic', rating(), client, options)).toMatchObject({
			ok: true
		});
		expect(
			await submitRating(ctx.db, 'hourly-clinic-two', rating(), client, options)
		).toMatchObject({ ok: false, code: 'rate_limited' });
	});
});

const url = testDatabaseUrl();

/** Two handles on one database: two servers, as far as the database can tell. */
describe.skipIf(!url)('several servers on one database [postgres]', () => {
	let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
	let one: DatabaseHandle;
	let two: DatabaseHandle;

	beforeAll(async () => {
		scratch = await createScratchDatabase(url!, 'several servers');
		// Starting together on a new database: one migrates, the other waits and finds it done.
		[one, two] = await Promise.all([
			openDatabase({ url: scratch.url }),
			openDatabase({ url: scratch.url })
		]);
		await insertProvider(one.db, { name: 'Shared Clinic', kinds: ['clinic'], state: 'WA' });
	});
	afterAll(async () => {
		await one?.close();
		await two?.close();
		await scratch?.drop();
	});

	it('gives each server its own application name', () => {
		expect(one.applicationName).toMatch(/^kd-[0-9a-f]{12}$/);
		expect(two.applicationName).toMatch(/^kd-[0-9a-f]{12}$/);
		expect(one.applicationName).not.toBe(two.applicationName);
	});

	it('shares every per-address limit between the servers', async () => {
		const key = `hash-${randomUUID()}`;
		const handles = [one, two, one, two, one];
		for (const { db } of handles) expect(await take(db, REQUEST_LIMIT, key)).toEqual({ ok: true });
		for (const { db } of [one, two]) {
			expect(await take(db, REQUEST_LIMIT, key)).toMatchObject({ ok: false });
		}

		const address = { address: '192.0.2.90' };
		for (let i = 0; i < 10; i++) {
			const { db } = i % 2 ? one : two;
			expect(await submitReport(db, 'shared-clinic', report, address)).toMatchObject({ ok: true });
		}
		for (const { db } of [one, two]) {
			expect(await submitReport(db, 'shared-clinic', report, address)).toMatchObject({
				ok: false,
				code: 'rate_limited'
			});
		}

		const rater = { address: '192.0.2.91' };
		const two_an_hour = { limits: limits(2) };
		await insertProvider(one.db, { name: 'Shared Clinic Two', kinds: ['clinic'], state: 'WA' });
		await insertProvider(one.db, { name: 'Shared Clinic Three', kinds: ['clinic'], state: 'WA' });
		expect(await submitRating(one.db, 'shared-clinic', rating(), rater, two_an_hour)).toMatchObject(
			{ ok: true }
		);
		expect(
			await submitRating(two.db, 'shared-clinic-two', rating(), rater, two_an_hour)
		).toMatchObject({ ok: true });
		expect(
			await submitRating(one.db, 'shared-clinic-three', rating(), rater, two_an_hour)
		).toMatchObject({ ok: false, code: 'rate_limited' });
	});

	describe('changes', () => {
		let feed: ChangeFeed;
		const seen: Change[] = [];
		let unsubscribe: () => void;

		beforeAll(async () => {
			unsubscribe = onChange((what) => seen.push(what));
			feed = await startChangeFeed(two);
		});
		afterAll(async () => {
			unsubscribe?.();
			await feed?.close();
		});

		const rename = (handle: DatabaseHandle, name: string) =>
			handle.db.update(providers).set({ name }).where(eq(providers.slug, 'shared-clinic'));

		it('announces every change once listening, then what another server wrote', async () => {
			expect(seen.sort()).toEqual(['feedback', 'providers']);
			seen.length = 0;

			await rename(one, 'Shared Clinic (renamed)');
			await expect.poll(() => [...seen], { timeout: 1000, interval: 10 }).toEqual(['providers']);
			seen.length = 0;

			// A rating: the rows, their conditions and the aggregate, one announcement per group.
			const rated = await submitRating(one.db, 'shared-clinic', rating(), {
				address: '192.0.2.92'
			});
			expect(rated).toMatchObject({ ok: true });
			// Twice: the writer's own announcement in this process, and the other server's relay.
			await expect
				.poll(() => seen.filter((what) => what === 'feedback').length, { timeout: 1000 })
				.toBe(2);
		});

		it('skips what its own server wrote: that server announced it already', async () => {
			seen.length = 0;
			await rename(two, 'Shared Clinic (by two)');
			await rename(one, 'Shared Clinic (by one)');
			// Notifications arrive in commit order: once one's is in, two's would have been too.
			await expect.poll(() => [...seen], { timeout: 1000, interval: 10 }).toEqual(['providers']);
		});

		it('listens again after its connection is cut, announcing every change', async () => {
			seen.length = 0;
			await one.db.execute(
				sql`select pg_terminate_backend(pid) from pg_stat_activity
					where application_name = ${two.applicationName!} and query ilike 'listen%'`
			);
			await expect
				.poll(() => [...new Set(seen)].sort(), { timeout: 5000 })
				.toEqual(['feedback', 'providers']);
			seen.length = 0;
			await rename(one, 'Shared Clinic (after the cut)');
			await expect.poll(() => [...seen], { timeout: 1000, interval: 10 }).toEqual(['providers']);
		});
	});

	it('runs a scheduled job on one server at a time', async () => {
		const order: string[] = [];
		const outer = await runAlone(one.db, 'erase-old-contacts', async () => {
			order.push('one started');
			const inner = await runAlone(two.db, 'erase-old-contacts', () => {
				order.push('two ran');
				return Promise.resolve();
			});
			// A different job is not held up.
			const other = await runAlone(two.db, 'recompute-stale-feedback', () =>
				Promise.resolve('other job')
			);
			order.push('one finished');
			return { inner, other };
		});
		expect(outer).toEqual({
			ran: true,
			result: { inner: { ran: false }, other: { ran: true, result: 'other job' } }
		});
		expect(order).toEqual(['one started', 'one finished']);
		// Done on one: the next run on two goes ahead.
		expect(await runAlone(two.db, 'erase-old-contacts', () => Promise.resolve(7))).toEqual({
			ran: true,
			result: 7
		});
	});
});

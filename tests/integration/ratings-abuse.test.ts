import { randomBytes, randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ratingSchema, type RatingInput } from '$lib/schemas/rating';
import type { Database } from '$lib/server/db';
import { providerFeedback, ratings } from '$lib/server/db/schema';
import {
	feedbackFor,
	rateAgainFrom,
	setRatingStatus,
	SHARED_ADDRESS_REASON,
	submitRating,
	type Limits,
	type SubmitResult
} from '$lib/server/ratings';
import { deviceHashes } from '$lib/server/client-hash';
import { CONTACT_HOLD_REASON } from '$lib/domain/comment-check';
import { createUser } from '$lib/server/auth';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider, slugFor, type ProviderFixture } from '../helpers/fixtures';
import { at, missing } from '../helpers/rows';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Only the limit under test is tight; the others stay out of the way. */
function limits(tight: Partial<Limits>): Limits {
	return {
		perAddressPerHour: 1000,
		repeatDays: 30,
		burstPerProviderPerHour: 1000,
		burstPerAddressPerDay: 1000,
		...tight
	};
}

function rating(values: Record<string, unknown>): RatingInput {
	return ratingSchema.parse({ ownExperience: 'on', idempotencyKey: randomUUID(), ...values });
}

// The hourly limiter is per process and keyed by the address hash: every test gets its own.
let addresses = 0;
function newAddress(): string {
	addresses += 1;
	return `10.2.${Math.floor(addresses / 256)}.${addresses % 256}`;
}

/** A device token as the rating page's cookie carries it (32 random bytes, base64url). */
function newDevice(): string {
	return randomBytes(32).toString('base64url');
}

function okId(result: SubmitResult): number {
	if (!result.ok) throw new Error(`expected a stored rating, got ${JSON.stringify(result)}`);
	return result.id;
}

async function rowsOf(db: Database, providerId: number, status?: 'published' | 'held') {
	const [{ n } = missing()] = await db
		.select({ n: count() })
		.from(ratings)
		.where(
			and(eq(ratings.providerId, providerId), status ? eq(ratings.status, status) : undefined)
		);
	return n;
}

async function storedFeedback(db: Database, providerId: number) {
	const [row] = await db
		.select({
			ratingCount: providerFeedback.ratingCount,
			overallMean: providerFeedback.overallMean,
			weightedScore: providerFeedback.weightedScore,
			summary: providerFeedback.summary,
			heldCount: providerFeedback.heldCount
		})
		.from(providerFeedback)
		.where(eq(providerFeedback.providerId, providerId));
	return row;
}

const ALREADY_RATED = 'You have already rated this provider in the last 30 days.';

describeEachDatabase('ratings abuse', (ctx) => {
	const FIXTURES: ProviderFixture[] = [
		'Repeat Clinic A',
		'Repeat Clinic B',
		'Hourly Clinic A',
		'Hourly Clinic B',
		'Hourly Clinic C',
		'Flood Clinic',
		'Spread Clinic 1',
		'Spread Clinic 2',
		'Spread Clinic 3',
		'Spread Clinic 4',
		'Race Clinic',
		'Race Spread 1',
		'Race Spread 2',
		'Race Spread 3',
		'Race Spread 4',
		'Race Spread 5',
		'Route Clinic',
		'Moderated Clinic',
		'Link Clinic',
		'Household Clinic',
		'Household Clinic Two',
		'Cookie Flood Clinic',
		'Device Race Clinic'
	].map((name) => ({ name, kinds: ['clinic'], state: 'TX', routes: ['iv'] }));
	FIXTURES.push({ name: 'Pending Clinic', kinds: ['clinic'], state: 'TX', status: 'pending' });
	const ids = new Map<string, number>();
	const id = (name: string) => ids.get(name)!;
	const submit = (
		name: string,
		input: RatingInput,
		address: string,
		now: Date,
		l: Limits,
		device?: string
	) => submitRating(ctx.db, slugFor(name), input, { address, device }, { limits: l, now });

	beforeAll(async () => {
		for (const fixture of FIXTURES) ids.set(fixture.name, await insertProvider(ctx.db, fixture));
	});

	describe('one rating per provider per address per 30 days', () => {
		const t0 = new Date('2025-06-10T15:30:00.000Z');
		const repeat = limits({});

		it('refuses a second rating within 30 days, naming the day it becomes possible', async () => {
			const address = newAddress();
			const first = await submit('Repeat Clinic A', rating({ overall: 5 }), address, t0, repeat);
			expect(first).toMatchObject({ ok: true, status: 'published', replay: false });

			const next = new Date(t0.getTime() + DAY);
			expect(
				await submit('Repeat Clinic A', rating({ overall: 1 }), address, next, repeat)
			).toEqual({
				ok: false,
				code: 'rate_limited',
				message: `${ALREADY_RATED} You can rate it again from July 10, 2025.`,
				retryAfterSeconds: 29 * 86_400
			});
			// Another provider is fine.
			expect(
				await submit('Repeat Clinic B', rating({ overall: 2 }), address, next, repeat)
			).toMatchObject({ ok: true, status: 'published' });

			const justBefore = new Date(t0.getTime() + 30 * DAY - SECOND);
			expect(
				await submit('Repeat Clinic A', rating({ overall: 1 }), address, justBefore, repeat)
			).toMatchObject({ ok: false, code: 'rate_limited', retryAfterSeconds: 1 });

			const after = new Date(t0.getTime() + 30 * DAY);
			expect(
				await submit('Repeat Clinic A', rating({ overall: 3 }), address, after, repeat)
			).toMatchObject({ ok: true, status: 'published' });

			expect(await rowsOf(ctx.db, id('Repeat Clinic A'))).toBe(2);
			expect(await rowsOf(ctx.db, id('Repeat Clinic B'))).toBe(1);
			expect(await storedFeedback(ctx.db, id('Repeat Clinic A'))).toMatchObject({
				ratingCount: 2,
				overallMean: 4
			});
		});

		it('refuses simultaneous repeats from one address: one rating is stored', async () => {
			const address = newAddress();
			const now = new Date('2025-06-20T08:00:00.000Z');
			const results = await Promise.all(
				[5, 5, 5, 5, 5].map((overall) =>
					submit('Race Clinic', rating({ overall }), address, now, repeat)
				)
			);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(
				results.filter(
					(r) => !r.ok && r.code === 'rate_limited' && r.message.startsWith(ALREADY_RATED)
				)
			).toHaveLength(4);
			expect(await rowsOf(ctx.db, id('Race Clinic'))).toBe(1);
		});
	});

	describe('one rating per provider per device per 30 days, with a device token', () => {
		const t0 = new Date('2025-10-01T12:00:00.000Z');
		const later = (hours: number) => new Date(t0.getTime() + hours * HOUR);

		it('lets another person at the same address rate, held for a moderator', async () => {
			const home = newAddress();
			const [mine, theirs] = [newDevice(), newDevice()];
			const first = await submit(
				'Household Clinic',
				rating({ overall: 5 }),
				home,
				t0,
				limits({}),
				mine
			);
			expect(first).toMatchObject({ ok: true, status: 'published' });

			// Someone else at home, on their own phone: received, and waits for a moderator.
			const second = await submit(
				'Household Clinic',
				rating({ overall: 2 }),
				home,
				later(2),
				limits({}),
				theirs
			);
			expect(second).toMatchObject({ ok: true, status: 'held', replay: false });
			const [held] = await ctx.db
				.select({ reason: ratings.moderationReason, status: ratings.status })
				.from(ratings)
				.where(eq(ratings.id, okId(second)));
			expect(held).toEqual({ status: 'held', reason: SHARED_ADDRESS_REASON });
			expect(await storedFeedback(ctx.db, id('Household Clinic'))).toMatchObject({
				ratingCount: 1,
				overallMean: 5,
				heldCount: 1
			});

			// The first device again, at home or on mobile data: refused, with the day it may.
			const again = `${ALREADY_RATED} You can rate it again from October 31, 2025.`;
			for (const address of [home, newAddress()]) {
				expect(
					await submit(
						'Household Clinic',
						rating({ overall: 1 }),
						address,
						later(3),
						limits({}),
						mine
					)
				).toMatchObject({ ok: false, code: 'rate_limited', message: again });
			}
			// Without a token (the JSON API, cookies off) the address decides, as it always has.
			expect(
				await submit('Household Clinic', rating({ overall: 1 }), home, later(3), limits({}))
			).toMatchObject({ ok: false, code: 'rate_limited', message: again });
			// A device rates another provider as before.
			expect(
				await submit(
					'Household Clinic Two',
					rating({ overall: 4 }),
					home,
					later(4),
					limits({}),
					mine
				)
			).toMatchObject({ ok: true, status: 'published' });
			expect(await rowsOf(ctx.db, id('Household Clinic'))).toBe(2);

			// The device is stored as its keyed hash, never the token.
			const [row = missing()] = await ctx.db
				.select({ device: ratings.deviceHash })
				.from(ratings)
				.where(eq(ratings.id, okId(first)));
			expect(row.device).toBe((await deviceHashes(ctx.db, mine, t0)).current);
			expect(row.device).not.toContain(mine);
		});

		it('tells the rating page beforehand, per device, or per address without one', async () => {
			const home = newAddress();
			const [mine, theirs] = [newDevice(), newDevice()];
			const provider = id('Household Clinic Two');
			const from = (client: { address: string | null; device?: string | null }) =>
				rateAgainFrom(ctx.db, provider, client, { limits: limits({}), now: later(5) });
			expect(await from({ address: home, device: mine })).toBeNull();
			okId(
				await submit(
					'Household Clinic Two',
					rating({ overall: 3 }),
					home,
					later(1),
					limits({}),
					mine
				)
			);
			const again = new Date(later(1).getTime() + 30 * DAY);
			expect(await from({ address: home, device: mine })).toEqual({ again, by: 'device' });
			expect(await from({ address: newAddress(), device: mine })).toEqual({ again, by: 'device' });
			expect(await from({ address: home, device: theirs })).toBeNull();
			expect(await from({ address: home, device: null })).toEqual({ again, by: 'address' });
			expect(await from({ address: null, device: null })).toBeNull();
		});

		it('holds a flood from one address that changes its token each time', async () => {
			const address = newAddress();
			const tight = limits({ perAddressPerHour: 5, burstPerAddressPerDay: 3 });
			const results: SubmitResult[] = [];
			for (let i = 0; i < 8; i++) {
				results.push(
					await submit(
						'Cookie Flood Clinic',
						rating({ overall: 1 }),
						address,
						later(i / 60),
						tight,
						newDevice()
					)
				);
			}
			expect(results.map((r) => (r.ok ? r.status : r.code))).toEqual([
				'published',
				'held',
				'held',
				'held',
				'held',
				'rate_limited',
				'rate_limited',
				'rate_limited'
			]);
			expect(await storedFeedback(ctx.db, id('Cookie Flood Clinic'))).toMatchObject({
				ratingCount: 1,
				heldCount: 4
			});
		});

		it('refuses simultaneous repeats from one device on several addresses: one is stored', async () => {
			const device = newDevice();
			const results = await Promise.all(
				[1, 2, 3, 4].map(() =>
					submit('Device Race Clinic', rating({ overall: 4 }), newAddress(), t0, limits({}), device)
				)
			);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(await rowsOf(ctx.db, id('Device Race Clinic'))).toBe(1);
		});
	});

	it('refuses more ratings per hour from one address than the limit, in minutes', async () => {
		const address = newAddress();
		const hourly = limits({ perAddressPerHour: 2 });
		const now = new Date();
		for (const name of ['Hourly Clinic A', 'Hourly Clinic B']) {
			expect(await submit(name, rating({ overall: 4 }), address, now, hourly)).toMatchObject({
				ok: true,
				status: 'published'
			});
		}
		const third = await submit('Hourly Clinic C', rating({ overall: 4 }), address, now, hourly);
		expect(third).toEqual({
			ok: false,
			code: 'rate_limited',
			message: 'You have sent several ratings in the last hour. Please try again in 60 minutes.',
			retryAfterSeconds: expect.any(Number) as number
		});
		if (third.ok || third.code !== 'rate_limited') throw new Error('unreachable');
		expect(third.retryAfterSeconds).toBeGreaterThan(3540);
		expect(third.retryAfterSeconds).toBeLessThanOrEqual(3600);
		expect(await rowsOf(ctx.db, id('Hourly Clinic C'))).toBe(0);

		// The limit is the address's, not the provider's.
		expect(
			await submit('Hourly Clinic C', rating({ overall: 2 }), newAddress(), now, hourly)
		).toMatchObject({ ok: true, status: 'published' });
	});

	describe('bursts are held', () => {
		it('holds a flood for one provider, so the published score does not move', async () => {
			const flood = limits({ burstPerProviderPerHour: 3 });
			const tF = new Date('2025-08-01T12:00:00.000Z');
			const provider = id('Flood Clinic');
			// Baseline: four genuine ratings two hours apart, never a burst.
			for (const [i, overall] of [5, 4, 5, 4].entries()) {
				const at = new Date(tF.getTime() - (10 - 2 * i) * HOUR);
				const result = await submit('Flood Clinic', rating({ overall }), newAddress(), at, flood);
				expect(result).toMatchObject({ ok: true, status: 'published' });
			}
			const baseline = await storedFeedback(ctx.db, provider);
			expect(baseline).toMatchObject({ ratingCount: 4, overallMean: 4.5, heldCount: 0 });

			// 20 one-star ratings from 20 addresses within a minute, all at once.
			const results = await Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					submit(
						'Flood Clinic',
						rating({ overall: 1, comment: `Terrible ${i}` }),
						newAddress(),
						new Date(tF.getTime() + i * 3 * SECOND),
						flood
					)
				)
			);
			const statuses = results.map((r) => (r.ok ? r.status : r.code));
			expect(statuses.filter((s) => s === 'published')).toHaveLength(3);
			expect(statuses.filter((s) => s === 'held')).toHaveLength(17);

			const after = await storedFeedback(ctx.db, provider);
			expect(after).toEqual({ ...baseline, heldCount: 20 });
			expect(await rowsOf(ctx.db, provider, 'held')).toBe(20);
			expect(await rowsOf(ctx.db, provider, 'published')).toBe(4);
			const reasons = await ctx.db
				.selectDistinct({ reason: ratings.moderationReason })
				.from(ratings)
				.where(and(eq(ratings.providerId, provider), eq(ratings.status, 'held')));
			expect(reasons).toEqual([
				{ reason: 'Held automatically: many ratings for this provider within an hour.' }
			]);

			// A moderator publishes one: only then does it count.
			expect(await setRatingStatus(ctx.db, okId(at(results, 0)), 'published', null)).toBe(true);
			expect(await storedFeedback(ctx.db, provider)).toMatchObject({
				ratingCount: 5,
				overallMean: 19 / 5,
				heldCount: 19
			});
			expect((await feedbackFor(ctx.db, [provider])).get(provider)).toMatchObject({
				summary: { count: 5, overallMean: 19 / 5 },
				heldCount: 19
			});
		});

		it('holds ratings beyond the daily limit from one address, until a moderator publishes them', async () => {
			const spread = limits({ burstPerAddressPerDay: 3 });
			const tS = new Date('2025-09-01T06:00:00.000Z');
			const address = newAddress();
			const results: SubmitResult[] = [];
			for (const [i, name] of ['1', '2', '3', '4'].map((n) => `Spread Clinic ${n}`).entries()) {
				const at = new Date(tS.getTime() + i * 2 * HOUR);
				results.push(await submit(name, rating({ overall: 2 }), address, at, spread));
			}
			expect(results.map((r) => r.ok && r.status)).toEqual([
				'published',
				'published',
				'published',
				'held'
			]);
			const fourth = id('Spread Clinic 4');
			const [held] = await ctx.db
				.select({ status: ratings.status, reason: ratings.moderationReason })
				.from(ratings)
				.where(eq(ratings.id, okId(at(results, 3))));
			expect(held).toEqual({
				status: 'held',
				reason: 'Held automatically: many ratings from one address within a day.'
			});
			expect(await storedFeedback(ctx.db, fourth)).toMatchObject({
				ratingCount: 0,
				overallMean: null,
				heldCount: 1,
				summary: { count: 0, label: 'Not Rated' }
			});
			expect(await storedFeedback(ctx.db, id('Spread Clinic 3'))).toMatchObject({
				ratingCount: 1,
				heldCount: 0
			});

			expect(await setRatingStatus(ctx.db, okId(at(results, 3)), 'published', null)).toBe(true);
			expect(await storedFeedback(ctx.db, fourth)).toMatchObject({
				ratingCount: 1,
				overallMean: 2,
				heldCount: 0
			});
		});

		it('holds simultaneous ratings beyond the daily limit from one address', async () => {
			const spread = limits({ burstPerAddressPerDay: 3 });
			const address = newAddress();
			const now = new Date('2025-09-10T06:00:00.000Z');
			const results = await Promise.all(
				[1, 2, 3, 4, 5].map((n) =>
					submit(`Race Spread ${n}`, rating({ overall: 5 }), address, now, spread)
				)
			);
			const statuses = results.map((r) => (r.ok ? r.status : r.code));
			expect(statuses.filter((s) => s === 'published')).toHaveLength(3);
			expect(statuses.filter((s) => s === 'held')).toHaveLength(2);
		});
	});

	describe('refused outright', () => {
		it('answers an unknown or unpublished provider with not_found', async () => {
			for (const slug of ['no-such-clinic', slugFor('Pending Clinic')]) {
				const result = await submitRating(
					ctx.db,
					slug,
					rating({ overall: 5 }),
					{ address: newAddress() },
					{ limits: limits({}) }
				);
				expect(result).toEqual({
					ok: false,
					code: 'not_found',
					message: `No published provider has the slug “${slug}”.`
				});
			}
			expect(await rowsOf(ctx.db, id('Pending Clinic'))).toBe(0);
		});

		it('refuses a route the provider does not offer, naming the field', async () => {
			const address = newAddress();
			const message = 'Choose one of the treatments this provider offers.';
			const now = new Date();
			expect(
				await submit(
					'Route Clinic',
					rating({ overall: 4, route: 'troche' }),
					address,
					now,
					limits({})
				)
			).toEqual({ ok: false, code: 'invalid', message, fields: { route: message } });
			expect(await rowsOf(ctx.db, id('Route Clinic'))).toBe(0);
			expect(
				await submit('Route Clinic', rating({ overall: 4, route: 'iv' }), address, now, limits({}))
			).toMatchObject({ ok: true, status: 'published' });
		});
	});

	it('a flood never re-holds a rating a moderator has published', async () => {
		const moderator = await createUser(ctx.db, {
			email: 'abuse-moderator@example.org',
			password: 'a long enough password',
			role: 'moderator'
		});
		const burst = limits({ burstPerProviderPerHour: 2 });
		const t0 = new Date('2025-08-01T10:00:00.000Z');
		const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
		const first = okId(
			await submit('Moderated Clinic', rating({ overall: 5 }), newAddress(), at(0), burst)
		);
		okId(await submit('Moderated Clinic', rating({ overall: 4 }), newAddress(), at(1), burst));
		// The third within the hour is a burst: all three are held.
		okId(await submit('Moderated Clinic', rating({ overall: 1 }), newAddress(), at(2), burst));
		expect(await rowsOf(ctx.db, id('Moderated Clinic'), 'published')).toBe(0);

		expect(await setRatingStatus(ctx.db, first, 'published', null, moderator)).toBe(true);
		expect(await storedFeedback(ctx.db, id('Moderated Clinic'))).toMatchObject({
			ratingCount: 1,
			overallMean: 5,
			heldCount: 2
		});
		// More flood within the same hour: the moderator's decision stands.
		okId(await submit('Moderated Clinic', rating({ overall: 1 }), newAddress(), at(3), burst));
		const [kept] = await ctx.db.select().from(ratings).where(eq(ratings.id, first));
		expect(kept).toMatchObject({ status: 'published', moderatedBy: moderator.id });
		expect(await storedFeedback(ctx.db, id('Moderated Clinic'))).toMatchObject({
			ratingCount: 1,
			overallMean: 5,
			heldCount: 3
		});
	});

	it('holds a rating whose comment carries a link, an email or a phone number', async () => {
		const now = new Date('2025-09-01T10:00:00.000Z');
		const plain = await submit(
			'Link Clinic',
			rating({ overall: 5, comment: 'Kind staff, six sessions.' }),
			newAddress(),
			now,
			limits({})
		);
		expect(plain).toMatchObject({ ok: true, status: 'published' });
		const advert = await submit(
			'Link Clinic',
			rating({ overall: 1, comment: 'Go to cheaper-ketamine.com instead' }),
			newAddress(),
			now,
			limits({})
		);
		expect(advert).toMatchObject({ ok: true, status: 'held' });
		const [held = missing()] = await ctx.db
			.select()
			.from(ratings)
			.where(eq(ratings.id, okId(advert)));
		expect(held.moderationReason).toBe(CONTACT_HOLD_REASON);
		expect(await storedFeedback(ctx.db, id('Link Clinic'))).toMatchObject({
			ratingCount: 1,
			overallMean: 5,
			heldCount: 1
		});
	});
});

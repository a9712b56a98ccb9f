import { randomUUID } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	fromStored,
	summarize,
	toStored,
	type FeedbackSummary,
	type RatingFacts
} from '$lib/domain/feedback';
import { ratingSchema, type RatingInput } from '$lib/schemas/rating';
import type { Database } from '$lib/server/db';
import { providerFeedback, ratingConditions, ratings } from '$lib/server/db/schema';
import {
	comments,
	COMMENTS_PER_PAGE,
	feedbackFor,
	setRatingStatus,
	submitRating,
	type Limits,
	type SubmitResult
} from '$lib/server/ratings';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider, slugFor, type ProviderFixture } from '../helpers/fixtures';
import { at as nth, missing } from '../helpers/rows';

/** Limits that never get in the way, for tests about storage and aggregates. */
const GENEROUS: Limits = {
	perAddressPerHour: 10_000,
	repeatDays: 30,
	burstPerProviderPerHour: 100_000,
	burstPerAddressPerDay: 10_000
};

/** The published defaults, spelled out so an environment variable cannot change them here. */
const DEFAULTS: Limits = {
	perAddressPerHour: 5,
	repeatDays: 30,
	burstPerProviderPerHour: 5,
	burstPerAddressPerDay: 3
};

const HOUR = 3_600_000;
const T0 = new Date('2025-03-03T09:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

/** A valid RatingInput, as the form action would get it from ratingSchema. */
function rating(values: Record<string, unknown>): RatingInput {
	return ratingSchema.parse({ ownExperience: 'on', idempotencyKey: randomUUID(), ...values });
}

// The hourly limiter is per process and keyed by the address hash: every submission gets its own.
let addresses = 0;
function newAddress(): string {
	addresses += 1;
	return `10.1.${Math.floor(addresses / 256)}.${addresses % 256}`;
}

function okId(result: SubmitResult): number {
	if (!result.ok) throw new Error(`expected a stored rating, got ${JSON.stringify(result)}`);
	return result.id;
}

/** The summary of a provider's published ratings, from the raw rows, computed here. */
async function summaryFromRows(db: Database, providerId: number): Promise<FeedbackSummary> {
	const rows = await db
		.select()
		.from(ratings)
		.where(and(eq(ratings.providerId, providerId), eq(ratings.status, 'published')));
	const conditions = await db
		.select({ ratingId: ratingConditions.ratingId, condition: ratingConditions.condition })
		.from(ratingConditions)
		.innerJoin(ratings, eq(ratings.id, ratingConditions.ratingId))
		.where(eq(ratings.providerId, providerId));
	const facts: RatingFacts[] = rows.map((r) => ({
		overall: r.overall,
		effectiveness: r.effectiveness,
		support: r.support,
		value: r.value,
		education: r.education,
		setting: r.setting,
		recommend: r.recommend,
		route: r.route,
		pricePaid: r.pricePaid,
		conditions: conditions.filter((c) => c.ratingId === r.id).map((c) => c.condition)
	}));
	return summarize(facts);
}

async function rowCount(db: Database, providerId: number, status?: 'published' | 'held') {
	const [{ n } = missing()] = await db
		.select({ n: count() })
		.from(ratings)
		.where(
			and(eq(ratings.providerId, providerId), status ? eq(ratings.status, status) : undefined)
		);
	return n;
}

/**
 * The stored aggregate (table and feedbackFor) equals a from-scratch summary of the rows; returns
 * it for exact checks.
 */
async function expectFeedbackMatchesRows(db: Database, providerId: number) {
	const expected = await summaryFromRows(db, providerId);
	const held = await rowCount(db, providerId, 'held');
	const [stored] = await db
		.select()
		.from(providerFeedback)
		.where(eq(providerFeedback.providerId, providerId));
	if (!stored) {
		// Never rated: no row yet, which every reader shows as "Not Rated".
		expect({ count: expected.count, held }).toEqual({ count: 0, held: 0 });
		expect((await feedbackFor(db, [providerId])).has(providerId)).toBe(false);
		return { summary: expected, heldCount: held };
	}
	expect(stored).toMatchObject({
		ratingCount: expected.count,
		overallMean: expected.overallMean,
		weightedScore: expected.weightedScore,
		heldCount: held
	});
	// Stored as numbers and rule ids; read back, the same summary.
	expect(stored.summary).toEqual(toStored(expected));
	expect(fromStored(stored.summary)).toEqual(expected);
	const view = (await feedbackFor(db, [providerId])).get(providerId);
	expect(view).toEqual({ summary: expected, heldCount: held });
	return { summary: expected, heldCount: held };
}

describeEachDatabase('ratings', (ctx) => {
	const ids = new Map<string, number>();
	const FIXTURES: ProviderFixture[] = [
		{ name: 'Aspen Infusion Clinic', kinds: ['clinic'], state: 'TX', routes: ['iv', 'im'] },
		{ name: 'Birch Telehealth', kinds: ['telehealth'], state: 'CA', routes: ['troche'] },
		{ name: 'Cedar Crowd Clinic', kinds: ['clinic'], state: 'NY', routes: ['iv'] },
		...['Dogwood', 'Elder', 'Fir', 'Gum'].map((name): ProviderFixture => ({
			name: `${name} Clinic`,
			kinds: ['clinic'],
			state: 'WA',
			routes: ['iv']
		})),
		{ name: 'Hazel Clinic', kinds: ['clinic'], state: 'OR', routes: ['iv'] },
		{ name: 'Ivy Clinic', kinds: ['clinic'], state: 'OR', routes: ['iv'] },
		{ name: 'Juniper Clinic', kinds: ['clinic'], state: 'OR', routes: ['iv'] },
		{ name: 'Kale Clinic', kinds: ['clinic'], state: 'OR', routes: ['iv'] }
	];
	const slug = (name: string) => slugFor(name);
	const id = (name: string) => ids.get(slugFor(name))!;

	beforeAll(async () => {
		for (const fixture of FIXTURES)
			ids.set(slugFor(fixture.name), await insertProvider(ctx.db, fixture));
	});

	describe('aggregates', () => {
		const aspen = 'Aspen Infusion Clinic';
		const results: SubmitResult[] = [];
		const submitted: number[] = [];

		beforeAll(async () => {
			const inputs = [
				{
					overall: 5,
					effectiveness: 5,
					support: 4,
					value: 3,
					education: 5,
					setting: 5,
					recommend: 10,
					route: 'iv',
					pricePaid: 450,
					conditions: ['trd', 'ptsd'],
					monthsInTreatment: '6'
				},
				{
					overall: 4,
					effectiveness: 4,
					support: 2,
					value: 2,
					education: 4,
					recommend: 9,
					route: 'iv',
					pricePaid: 500,
					conditions: ['trd']
				},
				{
					overall: 2,
					effectiveness: 1,
					support: 1,
					value: 1,
					education: 2,
					setting: 3,
					recommend: 3,
					route: 'im',
					pricePaid: 250,
					conditions: ['mdd']
				},
				{
					overall: 1,
					support: 2,
					value: 1,
					recommend: 0,
					route: 'im',
					pricePaid: 300,
					conditions: ['mdd', 'anxiety']
				},
				{
					overall: 3,
					effectiveness: 3,
					recommend: 7,
					route: 'iv',
					pricePaid: '$650',
					conditions: ['trd', 'anxiety']
				},
				{ overall: 5, recommend: 10 },
				{ overall: 2, support: 1, value: 2, route: 'iv', pricePaid: 400, conditions: ['ptsd'] },
				{
					overall: 4,
					effectiveness: 5,
					support: 5,
					value: 4,
					education: 3,
					setting: 4,
					recommend: 8,
					route: 'im',
					pricePaid: 275,
					conditions: ['trd', 'mdd']
				}
			];
			for (const [i, values] of inputs.entries()) {
				const result = await submitRating(
					ctx.db,
					slug(aspen),
					rating(values),
					{ address: newAddress() },
					{ limits: GENEROUS, now: at(i) }
				);
				results.push(result);
				submitted.push(okId(result));
			}
		});

		it('stores each rating with its route, price, aspects and conditions', async () => {
			for (const result of results) {
				expect(result).toEqual({
					ok: true,
					id: expect.any(Number) as number,
					status: 'published',
					replay: false
				});
			}
			const [first] = await ctx.db
				.select()
				.from(ratings)
				.where(eq(ratings.id, nth(submitted, 0)));
			expect(first).toMatchObject({
				providerId: id(aspen),
				status: 'published',
				overall: 5,
				effectiveness: 5,
				support: 4,
				value: 3,
				education: 5,
				setting: 5,
				recommend: 10,
				route: 'iv',
				pricePaid: 450,
				monthsInTreatment: 6,
				comment: null,
				moderationReason: null,
				createdAt: at(0),
				publishedAt: at(0)
			});
			const fifth = await ctx.db
				.select()
				.from(ratings)
				.where(eq(ratings.id, nth(submitted, 4)));
			expect(fifth[0]).toMatchObject({ route: 'iv', pricePaid: 650, support: null, setting: null });
			const sixth = await ctx.db
				.select()
				.from(ratings)
				.where(eq(ratings.id, nth(submitted, 5)));
			expect(sixth[0]).toMatchObject({ route: null, pricePaid: null, effectiveness: null });

			const conditions = await ctx.db
				.select({ ratingId: ratingConditions.ratingId, condition: ratingConditions.condition })
				.from(ratingConditions)
				.where(eq(ratingConditions.ratingId, nth(submitted, 0)))
				.orderBy(asc(ratingConditions.condition));
			expect(conditions.map((c) => c.condition)).toEqual(['ptsd', 'trd']);
			const [{ n: conditionRows } = missing()] = await ctx.db
				.select({ n: count() })
				.from(ratingConditions)
				.innerJoin(ratings, eq(ratings.id, ratingConditions.ratingId))
				.where(eq(ratings.providerId, id(aspen)));
			expect(conditionRows).toBe(11);

			const { summary, heldCount } = await expectFeedbackMatchesRows(ctx.db, id(aspen));
			expect(summary.count).toBe(8);
			expect(summary.overallMean).toBe(26 / 8);
			expect(heldCount).toBe(0);
		});

		it('keeps the aggregate equal to the published rows through hold, hide and publish', async () => {
			expect(submitted).toHaveLength(8);
			const [, r2 = missing(), , r4 = missing(), , r6 = missing()] = submitted;
			const provider = id(aspen);

			expect(await setRatingStatus(ctx.db, r2, 'held', 'Reported by the provider')).toBe(true);
			expect(await setRatingStatus(ctx.db, r4, 'held', 'Reported by the provider')).toBe(true);
			let now = await expectFeedbackMatchesRows(ctx.db, provider);
			expect(now.summary.count).toBe(6);
			expect(now.summary.overallMean).toBe(21 / 6);
			expect(now.heldCount).toBe(2);

			expect(await setRatingStatus(ctx.db, r6, 'hidden', 'Not about this provider')).toBe(true);
			now = await expectFeedbackMatchesRows(ctx.db, provider);
			expect(now.summary.count).toBe(5);
			expect(now.summary.overallMean).toBe(16 / 5);
			expect(now.heldCount).toBe(2);

			expect(await setRatingStatus(ctx.db, r4, 'published', null)).toBe(true);
			now = await expectFeedbackMatchesRows(ctx.db, provider);
			expect(await rowCount(ctx.db, provider, 'held')).toBe(1);

			// Published now: ratings 1, 3, 4, 5, 7 and 8, worked out by hand.
			const { summary, heldCount } = now;
			expect(heldCount).toBe(1);
			expect(summary.count).toBe(6);
			expect(summary.overallMean).toBe(17 / 6);
			expect(summary.distribution).toEqual([1, 2, 1, 1, 1]);
			expect(summary.effectivePercent).toBe(50);
			expect(summary.label).toBe('Partially Effective');
			expect(summary.weightedScore).toBeCloseTo(32 / 11, 12);
			expect(summary.recommend).toEqual({ score: -20, count: 5, promoters: 1, detractors: 2 });
			expect(summary.aspects.support).toEqual({ mean: 13 / 5, count: 5 });
			expect(summary.medianPrice).toEqual({
				iv: { median: 450, count: 3 },
				im: { median: 275, count: 3 }
			});
			expect(summary.byCondition).toEqual([
				{ condition: 'mdd', count: 3, effectivePercent: 33 },
				{ condition: 'trd', count: 3, effectivePercent: 100 },
				// Two ratings are too few for a share.
				{ condition: 'ptsd', count: 2, effectivePercent: null },
				{ condition: 'anxiety', count: 2, effectivePercent: null }
			]);
			// Effectiveness answers 5, 1, 3 and 5, and overall stars 1 and 2 where none was given.
			expect(summary.effectiveness).toEqual({
				count: 6,
				fromEffectiveness: 4,
				mean: 17 / 6,
				responders: 3
			});
			expect(summary.cautions.map((c) => c.text)).toEqual([
				'3 of 6 patients rated their overall experience 2 stars or lower',
				'3 of 5 patients rated support during treatment 2 stars or lower',
				'3 of 5 patients rated value for cost 2 stars or lower'
			]);

			const [row] = await ctx.db.select().from(ratings).where(eq(ratings.id, r6));
			expect(row).toMatchObject({ status: 'hidden', moderationReason: 'Not about this provider' });
			expect(await setRatingStatus(ctx.db, 2_000_000_000, 'hidden', null)).toBe(false);
		});
	});

	describe('comments', () => {
		const birch = 'Birch Telehealth';
		const SCRIPT =
			'Line one\nLine two\n\n<script>alert("x")</script> & <b>bold</b> &amp;\n  indented';
		const UNICODE = 'Tabs\tand “quotes” — 💊 ok';
		/** Submitted one hour apart; the index is the hour. */
		const text = (i: number) =>
			i === 15
				? SCRIPT
				: i === 14
					? UNICODE
					: i === 3 || i === 9
						? undefined
						: i === 5
							? '   '
							: `Comment ${i}`;

		it('pages published comments newest first, stored exactly as typed', async () => {
			const provider = id(birch);
			const byHour: number[] = [];
			for (let i = 0; i < 16; i++) {
				const result = await submitRating(
					ctx.db,
					slug(birch),
					rating({ overall: (i % 5) + 1, comment: text(i), route: 'troche', monthsInTreatment: i }),
					{ address: newAddress() },
					{ limits: GENEROUS, now: at(i) }
				);
				byHour.push(okId(result));
			}
			await setRatingStatus(ctx.db, nth(byHour, 7), 'held', 'Names a staff member');
			await setRatingStatus(ctx.db, nth(byHour, 11), 'hidden', 'Spam');
			// Held and published again by a moderator: it keeps the date it first appeared.
			await setRatingStatus(ctx.db, nth(byHour, 1), 'held', 'Checking');
			await setRatingStatus(ctx.db, nth(byHour, 1), 'published', null);

			const order = [15, 14, 13, 12, 10, 8, 6, 4, 2, 1, 0];
			const page1 = await comments(ctx.db, provider, 1);
			const page2 = await comments(ctx.db, provider, 2);
			const page3 = await comments(ctx.db, provider, 3);
			expect(COMMENTS_PER_PAGE).toBe(10);
			expect(page1.total).toBe(11);
			expect(page2.total).toBe(11);
			expect(page1.items.map((c) => c.id)).toEqual(order.slice(0, 10).map((i) => byHour[i]));
			expect(page2.items.map((c) => c.id)).toEqual([byHour[0]]);
			expect(page3).toEqual({ total: 11, items: [] });

			expect(page1.items[0]).toEqual({
				id: byHour[15],
				overall: 1,
				comment: SCRIPT,
				route: 'troche',
				monthsInTreatment: 15,
				publishedAt: at(15)
			});
			expect(page1.items[1]?.comment).toBe(UNICODE);
			expect(page1.items[9]).toMatchObject({ id: byHour[1], publishedAt: at(1) });
			expect(page2.items[0]).toMatchObject({ comment: 'Comment 0', publishedAt: at(0) });

			const [raw = missing()] = await ctx.db
				.select({ comment: ratings.comment })
				.from(ratings)
				.where(eq(ratings.id, nth(byHour, 15)));
			expect(raw.comment).toBe(SCRIPT);
			const [blank = missing()] = await ctx.db
				.select({ comment: ratings.comment })
				.from(ratings)
				.where(eq(ratings.id, nth(byHour, 5)));
			expect(blank.comment).toBeNull();
		});
	});

	describe('concurrency', () => {
		const overallOf = (i: number) => ((i * 7) % 5) + 1;

		it('records 200 simultaneous ratings for one provider, each once, with the exact mean', async () => {
			const cedar = 'Cedar Crowd Clinic';
			const n = 200;
			const results = await Promise.all(
				Array.from({ length: n }, (_, i) =>
					submitRating(
						ctx.db,
						slug(cedar),
						rating({ overall: overallOf(i), support: (i % 5) + 1, recommend: i % 11 }),
						{ address: newAddress() },
						{ limits: GENEROUS }
					)
				)
			);

			expect(results.filter((r) => r.ok && r.status === 'published' && !r.replay)).toHaveLength(n);
			expect(new Set(results.map(okId)).size).toBe(n);
			expect(await rowCount(ctx.db, id(cedar))).toBe(n);
			const sum = Array.from({ length: n }, (_, i) => overallOf(i)).reduce((a, b) => a + b, 0);
			const { summary, heldCount } = await expectFeedbackMatchesRows(ctx.db, id(cedar));
			expect(summary.count).toBe(n);
			expect(summary.overallMean).toBe(sum / n);
			expect(heldCount).toBe(0);
		});

		it('keeps every provider’s aggregate exact under simultaneous ratings for several', async () => {
			const names = ['Dogwood Clinic', 'Elder Clinic', 'Fir Clinic', 'Gum Clinic'];
			const perProvider = 30;
			const jobs = Array.from({ length: perProvider * names.length }, (_, i) => ({
				name: nth(names, i % names.length),
				overall: overallOf(i + Math.floor(i / names.length))
			}));
			const results = await Promise.all(
				jobs.map((job) =>
					submitRating(
						ctx.db,
						slug(job.name),
						rating({ overall: job.overall }),
						{ address: newAddress() },
						{ limits: GENEROUS }
					)
				)
			);
			expect(results.every((r) => r.ok && r.status === 'published')).toBe(true);
			for (const name of names) {
				const stars = jobs.filter((j) => j.name === name).map((j) => j.overall);
				const { summary } = await expectFeedbackMatchesRows(ctx.db, id(name));
				expect(await rowCount(ctx.db, id(name))).toBe(perProvider);
				expect(summary.count).toBe(perProvider);
				expect(summary.overallMean).toBe(stars.reduce((a, b) => a + b, 0) / perProvider);
			}
		});
	});

	describe('idempotency', () => {
		const hazel = 'Hazel Clinic';
		const ivy = 'Ivy Clinic';
		const juniper = 'Juniper Clinic';
		const kale = 'Kale Clinic';
		const byKey = async (key: string) =>
			ctx.db
				.select({ id: ratings.id, providerId: ratings.providerId, overall: ratings.overall })
				.from(ratings)
				.where(eq(ratings.idempotencyKey, key));

		it('answers a resubmitted token with the first rating instead of a second row', async () => {
			const address = newAddress();
			const input = rating({ overall: 4, route: 'iv' });
			const first = await submitRating(
				ctx.db,
				slug(hazel),
				input,
				{ address },
				{ limits: DEFAULTS }
			);
			expect(first).toEqual({
				ok: true,
				id: expect.any(Number) as number,
				status: 'published',
				replay: false
			});
			const again = await submitRating(
				ctx.db,
				slug(hazel),
				input,
				{ address },
				{ limits: DEFAULTS }
			);
			expect(again).toEqual({ ok: true, id: okId(first), status: 'published', replay: true });
			// Even when the retried form carries other values, the first answer stands.
			const edited = await submitRating(
				ctx.db,
				slug(hazel),
				{ ...input, overall: 1 },
				{ address: newAddress() },
				{ limits: DEFAULTS }
			);
			expect(edited).toEqual({ ok: true, id: okId(first), status: 'published', replay: true });

			expect(await byKey(input.idempotencyKey)).toEqual([
				{ id: okId(first), providerId: id(hazel), overall: 4 }
			]);
			const { summary } = await expectFeedbackMatchesRows(ctx.db, id(hazel));
			expect(summary.count).toBe(1);
			expect(summary.overallMean).toBe(4);
		});

		it('answers 10 simultaneous submissions of one token with one rating', async () => {
			const address = newAddress();
			const input = rating({ overall: 2 });
			const results = await Promise.all(
				Array.from({ length: 10 }, () =>
					submitRating(ctx.db, slug(juniper), input, { address }, { limits: DEFAULTS })
				)
			);
			const [{ id: stored } = missing()] = await byKey(input.idempotencyKey);
			expect(results).toEqual(
				Array.from({ length: 10 }, () => ({
					ok: true,
					id: stored,
					status: 'published',
					replay: expect.any(Boolean) as boolean
				}))
			);
			expect(results.filter((r) => r.ok && !r.replay)).toHaveLength(1);
			expect(await byKey(input.idempotencyKey)).toHaveLength(1);
			const { summary } = await expectFeedbackMatchesRows(ctx.db, id(juniper));
			expect(summary.count).toBe(1);
			expect(summary.overallMean).toBe(2);
		});

		it('refuses a token already used for another provider', async () => {
			const input = rating({ overall: 5 });
			const first = await submitRating(
				ctx.db,
				slug(kale),
				input,
				{ address: newAddress() },
				{ limits: GENEROUS }
			);
			const other = await submitRating(
				ctx.db,
				slug(ivy),
				input,
				{ address: newAddress() },
				{ limits: GENEROUS }
			);
			expect(other).toEqual({
				ok: false,
				code: 'invalid',
				message: expect.stringContaining('another provider') as string,
				fields: { idempotencyKey: expect.stringContaining('another provider') as string }
			});
			expect(await byKey(input.idempotencyKey)).toEqual([
				{ id: okId(first), providerId: id(kale), overall: 5 }
			]);
			expect(await rowCount(ctx.db, id(ivy))).toBe(0);

			// Both at once: one provider gets it, the other is refused.
			const both = rating({ overall: 3 });
			const results = await Promise.all(
				[kale, ivy].map((name) =>
					submitRating(ctx.db, slug(name), both, { address: newAddress() }, { limits: GENEROUS })
				)
			);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok && r.code === 'invalid')).toHaveLength(1);
			expect(await byKey(both.idempotencyKey)).toHaveLength(1);
			await expectFeedbackMatchesRows(ctx.db, id(kale));
			await expectFeedbackMatchesRows(ctx.db, id(ivy));
		});
	});
});

import { createRequire } from 'node:module';
import { and, count, eq, notExists, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_CODES, type RouteCode } from '$lib/domain/routes';
import { STATE_CODES } from '$lib/domain/states';
import { FEEDBACK_RULES_VERSION, summarize, toStored } from '$lib/domain/feedback';
import {
	providerFeedback,
	providerRoutes,
	providers,
	providerTelehealthStates
} from '$lib/server/db/schema';
import { publishedFacts, recomputeStale } from '$lib/server/feedback';
import {
	generateDemoProviders,
	hasDemoData,
	reseedDemo,
	seedDemoIfEmpty,
	type DemoProvider
} from '$lib/server/demo';
import { coverage, search } from '$lib/server/providers';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';
import { at, missing } from '../helpers/rows';

const zipcodes = createRequire(import.meta.url)('zipcodes') as Parameters<
	typeof generateDemoProviders
>[0];
const generated: DemoProvider[] = generateDemoProviders(zipcodes);

describe('demo generator', () => {
	it('produces the same directory for the same seed', () => {
		expect(generateDemoProviders(zipcodes)).toEqual(generated);
		expect(generateDemoProviders(zipcodes, 7)).toEqual(generateDemoProviders(zipcodes, 7));
	});

	it('produces a different directory for a different seed', () => {
		const other = generateDemoProviders(zipcodes, 7);
		expect(other.map((p) => p.slug)).not.toEqual(generated.map((p) => p.slug));
	});

	it('gives every provider a unique slug', () => {
		expect(generated.length).toBeGreaterThan(500);
		expect(new Set(generated.map((p) => p.slug)).size).toBe(generated.length);
	});
});

describeEachDatabase('demo directory', (ctx) => {
	let loaded = 0;

	beforeAll(async () => {
		loaded = await seedDemoIfEmpty(ctx.db);
	});

	async function providerCount(where = sql`true`) {
		const [{ n } = missing()] = await ctx.db.select({ n: count() }).from(providers).where(where);
		return n;
	}

	it('loads every generated provider, published and flagged as demo', async () => {
		expect(loaded).toBe(generated.length);
		const rows = await ctx.db
			.select({ slug: providers.slug, status: providers.status, isDemo: providers.isDemo })
			.from(providers);
		expect(rows.map((r) => r.slug).sort()).toEqual(generated.map((p) => p.slug).sort());
		expect(rows.filter((r) => !r.isDemo || r.status !== 'published')).toEqual([]);
		expect(await hasDemoData(ctx.db)).toBe(true);
	});

	it('has at least one in-person provider in each of the 50 states and DC', async () => {
		const perState = await Promise.all(
			STATE_CODES.map(async (state) => {
				const { total } = await search(ctx.db, { state, telehealth: false, page: 1, pageSize: 1 });
				return [state, total] as const;
			})
		);
		expect(perState.filter(([, total]) => total === 0)).toEqual([]);
		const located = await ctx.db.selectDistinct({ state: providers.state }).from(providers);
		expect(located.map((r) => r.state).sort()).toEqual([...STATE_CODES].sort());
	});

	it('lists at least one route for every provider', async () => {
		const withoutRoutes = await ctx.db
			.select({ slug: providers.slug })
			.from(providers)
			.where(
				notExists(
					ctx.db
						.select({ one: sql`1` })
						.from(providerRoutes)
						.where(eq(providerRoutes.providerId, providers.id))
				)
			);
		expect(withoutRoutes).toEqual([]);
	});

	it('licenses telehealth services in 5–40 states and nobody else in any', async () => {
		const rows = await ctx.db
			.select({
				slug: providers.slug,
				kinds: providers.kinds,
				licensed: count(providerTelehealthStates.state)
			})
			.from(providers)
			.leftJoin(providerTelehealthStates, eq(providerTelehealthStates.providerId, providers.id))
			.groupBy(providers.id);
		const services = rows.filter(
			(r) => r.kinds.includes('telehealth') && !r.kinds.includes('clinic')
		);
		const hybrids = rows.filter(
			(r) => r.kinds.includes('telehealth') && r.kinds.includes('clinic')
		);
		const others = rows.filter((r) => !r.kinds.includes('telehealth'));
		expect(services.length).toBe(40);
		expect(services.filter((r) => r.licensed < 5 || r.licensed > 40)).toEqual([]);
		// Clinics with a small telehealth arm: their own state and a neighbour or two.
		expect(hybrids.filter((r) => r.licensed < 1 || r.licensed > 3)).toEqual([]);
		expect(others.filter((r) => r.licensed !== 0)).toEqual([]);
	});

	it('prices IV infusions at $300–$800 and troches at $75–$90 per session', async () => {
		async function pricesOf(route: RouteCode) {
			return ctx.db
				.select({ min: providerRoutes.priceMin, max: providerRoutes.priceMax })
				.from(providerRoutes)
				.where(eq(providerRoutes.route, route));
		}
		const iv = await pricesOf('iv');
		expect(iv.length).toBeGreaterThan(100);
		expect(iv.filter((p) => !(p.min! >= 300 && p.min! <= p.max! && p.max! <= 800))).toEqual([]);
		const troche = await pricesOf('troche');
		expect(troche.length).toBeGreaterThan(50);
		expect(troche.filter((p) => !(p.min! >= 75 && p.min! <= p.max! && p.max! <= 90))).toEqual([]);
	});

	it('stores feedback under the current rules, equal to a recompute from its ratings', async () => {
		// Nothing for the start-up recompute to do on a freshly seeded directory…
		expect(await recomputeStale(ctx.db)).toBe(0);
		// …and what was stored is what the ratings give.
		const rated = await ctx.db
			.select({ providerId: providerFeedback.providerId, summary: providerFeedback.summary })
			.from(providerFeedback)
			.orderBy(providerFeedback.providerId)
			.limit(25);
		expect(rated.length).toBe(25);
		for (const { providerId, summary } of rated) {
			expect(summary).toEqual(toStored(summarize(await publishedFacts(ctx.db, providerId))));
			expect((summary as { rulesVersion: number }).rulesVersion).toBe(FEEDBACK_RULES_VERSION);
		}
	});

	it('does nothing when seeded a second time', async () => {
		expect(await seedDemoIfEmpty(ctx.db)).toBe(0);
		expect(await providerCount()).toBe(generated.length);
	});

	it('agrees with search in every coverage cell', async () => {
		const { states } = await coverage(ctx.db);
		expect(states.filter((s) => s.total === 0)).toEqual([]);
		const seen: Record<string, number> = {};
		const expected: Record<string, number> = {};
		const routes: (RouteCode | undefined)[] = [undefined, ...ROUTE_CODES];
		for (const row of states) {
			const totals = await Promise.all(
				routes.map((route) => search(ctx.db, { state: row.code, route, page: 1, pageSize: 1 }))
			);
			routes.forEach((route, i) => {
				const key = `${row.code}/${route ?? 'any'}`;
				seen[key] = at(totals, i).total;
				expected[key] = route ? row.byRoute[route] : row.total;
			});
		}
		expect(seen).toEqual(expected);
	});

	it('replaces demo rows on reseed and keeps real listings', async () => {
		await insertProvider(ctx.db, {
			name: 'Real Listing Ketamine Clinic',
			kinds: ['clinic'],
			state: 'VT',
			routes: ['iv']
		});
		expect(await reseedDemo(ctx.db)).toBe(generated.length);
		expect(await providerCount(eq(providers.isDemo, true))).toBe(generated.length);
		expect(
			await providerCount(
				and(eq(providers.isDemo, false), eq(providers.slug, 'real-listing-ketamine-clinic'))
			)
		).toBe(1);
		expect(await seedDemoIfEmpty(ctx.db)).toBe(0);
	});
});

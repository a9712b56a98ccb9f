import { count, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_CODES, type RouteCode } from '$lib/domain/routes';
import { STATES, type StateCode } from '$lib/domain/states';
import type { ProviderFilters } from '$lib/schemas/filters';
import { selectRows } from '$lib/server/db';
import { providers } from '$lib/server/db/schema';
import { coverage, getBySlug, search, stateCounts, type RouteCounts } from '$lib/server/providers';
import { describeEachDatabase } from '../helpers/databases';
import { insertProviders, type ProviderFixture } from '../helpers/fixtures';
import { EMPTY_SUMMARY } from '$lib/domain/feedback';
import { at, missing } from '../helpers/rows';

const verifiedAt = new Date('2026-03-14T12:00:00.000Z');

/**
 * Inserted out of name order so ordering by name is observable. Letters A–Q make names sort the
 * same under every collation.
 */
const FIXTURES: ProviderFixture[] = [
	{ name: 'Kestrel Clinic', kinds: ['clinic'], state: 'CA' },
	{
		name: 'Harbor Hybrid Clinic',
		kinds: ['clinic', 'telehealth'],
		state: 'OK',
		telehealthStates: ['TX', 'OK'],
		routes: ['troche', 'iv']
	},
	{
		name: 'Alamo Ketamine Clinic',
		kinds: ['clinic'],
		state: 'TX',
		city: 'San Antonio',
		zip: '78205',
		lat: 29.42,
		lng: -98.49,
		description: 'IV infusions with vitals monitored; bring a driver.',
		website: 'https://alamo.example',
		phone: '(210) 555-0101',
		email: 'hello@alamo.example',
		street: '100 Main St, Suite 200',
		consultFee: 350,
		acceptsInsurance: false,
		offersPsychotherapy: false,
		lastVerifiedAt: verifiedAt,
		routes: [
			{ code: 'im', priceMin: 250, priceMax: 250, notes: 'Boosters only' },
			{ code: 'iv', priceMin: 400, priceMax: 650, seriesPrice: 2100 }
		],
		conditions: ['trd', 'mdd', 'ptsd']
	},
	{
		name: 'Drift Telehealth',
		kinds: ['telehealth'],
		state: 'TX',
		telehealthStates: ['OK', 'NY'],
		routes: ['troche', 'rdt']
	},
	{
		name: 'Bluebonnet Spravato Center',
		kinds: ['spravato'],
		state: 'TX',
		acceptsInsurance: true,
		insuranceNotes: 'VA and most commercial plans',
		routes: [{ code: 'esketamine', priceMin: 600, priceMax: 900 }]
	},
	{
		name: 'Fern Pending Clinic',
		kinds: ['clinic'],
		state: 'TX',
		status: 'pending',
		routes: ['iv']
	},
	{
		name: 'Elm Telehealth',
		kinds: ['telehealth'],
		state: 'CA',
		city: 'Oakland',
		offersPsychotherapy: true,
		telehealthStates: ['TX', 'NY', 'CA'],
		routes: [{ code: 'rdt', priceMin: 80, priceMax: 110, seriesPrice: 400 }],
		conditions: ['anxiety']
	},
	{
		name: 'Cypress KAP Collective',
		kinds: ['kap'],
		state: 'TX',
		offersPsychotherapy: true,
		routes: [{ code: 'troche', priceMin: 75, priceMax: 90 }, 'im']
	},
	{
		name: 'Garnet Suspended Telehealth',
		kinds: ['telehealth'],
		state: 'NY',
		status: 'suspended',
		telehealthStates: ['TX', 'NY'],
		routes: ['troche']
	},
	{
		name: 'Iris Infusion Center',
		kinds: ['clinic', 'spravato'],
		state: 'NY',
		routes: ['iv', 'esketamine', 'im']
	},
	{ name: 'Quartz Clinic', kinds: ['clinic'], state: 'WA', routes: ['iv'] },
	{ name: 'Nimbus Clinic', kinds: ['clinic'], state: 'WA', routes: ['iv'] },
	{ name: 'Onyx Clinic', kinds: ['clinic'], state: 'WA', routes: ['iv'] },
	{ name: 'Pine Clinic', kinds: ['clinic'], state: 'WA', routes: ['iv'] },
	{ name: 'Lark Clinic', kinds: ['clinic'], state: 'WA', routes: ['iv', 'im'] }
];

const ALL_PUBLISHED = [
	'Alamo Ketamine Clinic',
	'Bluebonnet Spravato Center',
	'Cypress KAP Collective',
	'Drift Telehealth',
	'Elm Telehealth',
	'Harbor Hybrid Clinic',
	'Iris Infusion Center',
	'Kestrel Clinic',
	'Lark Clinic',
	'Nimbus Clinic',
	'Onyx Clinic',
	'Pine Clinic',
	'Quartz Clinic'
];

function routeCounts(cells: Partial<RouteCounts> = {}): RouteCounts {
	return Object.fromEntries(ROUTE_CODES.map((c) => [c, cells[c] ?? 0])) as RouteCounts;
}

/** The coverage matrix worked out by hand from FIXTURES; every other state is all zeros. */
const EXPECTED_COVERAGE: Partial<Record<StateCode, { total: number } & Partial<RouteCounts>>> = {
	// Alamo, Bluebonnet, Cypress located here; Elm and Harbor licensed here. Drift is located
	// here but not licensed here; Fern is pending and Garnet suspended. Harbor gives IV only in
	// its Oklahoma clinic, so it serves Texas with troches but not with IV.
	TX: { total: 5, iv: 1, im: 2, esketamine: 1, troche: 2, rdt: 1 },
	// Harbor serves OK both in person and by telehealth: once.
	OK: { total: 2, iv: 1, troche: 2, rdt: 1 },
	NY: { total: 3, iv: 1, im: 1, esketamine: 1, troche: 1, rdt: 2 },
	// Kestrel lists no routes yet but still serves CA.
	CA: { total: 2, rdt: 1 },
	WA: { total: 5, iv: 5, im: 1 }
};

describeEachDatabase('providers', (ctx) => {
	beforeAll(async () => {
		await insertProviders(ctx.db, FIXTURES);
	});

	describe('test database', () => {
		it('is a migrated database of its own holding only this file’s fixtures', async () => {
			const [{ n } = missing()] = await ctx.db.select({ n: count() }).from(providers);
			expect(n).toBe(FIXTURES.length);
			const [{ name } = missing()] = await selectRows<{ name: string }>(
				ctx.db,
				sql`select current_database() as name`
			);
			if (ctx.kind === 'postgres') expect(name).toMatch(/^test_providers_\d+_/);
			else expect(name).toBe('postgres');
		});

		it('has the extensions the first migration creates', async () => {
			const rows = await selectRows<{ extname: string }>(
				ctx.db,
				sql`select extname from pg_extension where extname in ('cube', 'earthdistance', 'pg_trgm') order by extname`
			);
			expect(rows.map((r) => r.extname)).toEqual(['cube', 'earthdistance', 'pg_trgm']);
			// New York to Los Angeles is about 3,940 km along the great circle.
			const [{ km } = missing()] = await selectRows<{ km: number }>(
				ctx.db,
				sql`select round(earth_distance(ll_to_earth(40.7128, -74.006), ll_to_earth(34.0522, -118.2437)) / 1000)::int as km`
			);
			expect(km).toBeGreaterThan(3900);
			expect(km).toBeLessThan(3990);
		});
	});

	describe('search', () => {
		async function find(filters: Partial<ProviderFilters>) {
			const { total, results } = await search(ctx.db, { page: 1, pageSize: 20, ...filters });
			return { total, names: results.map((r) => r.name) };
		}

		it('lists every published provider ordered by name, without pending or suspended ones', async () => {
			expect(await find({ pageSize: 100 })).toEqual({ total: 13, names: ALL_PUBLISHED });
		});

		it('finds in-person providers located in a state and telehealth services licensed there', async () => {
			expect(await find({ state: 'TX' })).toEqual({
				total: 5,
				names: [
					'Alamo Ketamine Clinic',
					'Bluebonnet Spravato Center',
					'Cypress KAP Collective',
					'Elm Telehealth',
					'Harbor Hybrid Clinic'
				]
			});
		});

		it('leaves out a telehealth service located in the state but not licensed there', async () => {
			const { names } = await find({ state: 'TX' });
			expect(names).not.toContain('Drift Telehealth');
			expect((await find({ state: 'OK' })).names).toContain('Drift Telehealth');
		});

		it('leaves out pending and suspended providers', async () => {
			const tx = await find({ state: 'TX' });
			expect(tx.names).not.toContain('Fern Pending Clinic');
			expect(tx.names).not.toContain('Garnet Suspended Telehealth');
			expect(await find({ state: 'NY', telehealth: true })).toEqual({
				total: 2,
				names: ['Drift Telehealth', 'Elm Telehealth']
			});
		});

		it('lists a provider serving a state both in person and by telehealth once', async () => {
			expect(await find({ state: 'OK' })).toEqual({
				total: 2,
				names: ['Drift Telehealth', 'Harbor Hybrid Clinic']
			});
		});

		it('returns nothing for a state nobody serves', async () => {
			expect(await find({ state: 'FL' })).toEqual({ total: 0, names: [] });
		});

		it('splits a state into its telehealth and in-person groups', async () => {
			expect(await find({ state: 'TX', telehealth: true })).toEqual({
				total: 2,
				names: ['Elm Telehealth', 'Harbor Hybrid Clinic']
			});
			expect(await find({ state: 'TX', telehealth: false })).toEqual({
				total: 3,
				names: ['Alamo Ketamine Clinic', 'Bluebonnet Spravato Center', 'Cypress KAP Collective']
			});
			expect(await find({ state: 'NY', telehealth: false })).toEqual({
				total: 1,
				names: ['Iris Infusion Center']
			});
		});

		it('filters by telehealth without a state', async () => {
			expect(await find({ telehealth: true })).toEqual({
				total: 3,
				names: ['Drift Telehealth', 'Elm Telehealth', 'Harbor Hybrid Clinic']
			});
			expect(await find({ telehealth: false })).toEqual({
				total: 11,
				names: ALL_PUBLISHED.filter((n) => n !== 'Drift Telehealth' && n !== 'Elm Telehealth')
			});
		});

		it('filters by route of administration', async () => {
			expect(await find({ route: 'esketamine' })).toEqual({
				total: 2,
				names: ['Bluebonnet Spravato Center', 'Iris Infusion Center']
			});
			expect(await find({ route: 'im' })).toEqual({
				total: 4,
				names: [
					'Alamo Ketamine Clinic',
					'Cypress KAP Collective',
					'Iris Infusion Center',
					'Lark Clinic'
				]
			});
			// Harbor is licensed for telehealth in Texas, but gives IV only in its Oklahoma clinic.
			expect(await find({ state: 'TX', route: 'iv' })).toEqual({
				total: 1,
				names: ['Alamo Ketamine Clinic']
			});
			expect(await find({ state: 'OK', route: 'iv' })).toEqual({
				total: 1,
				names: ['Harbor Hybrid Clinic']
			});
			expect(await find({ state: 'TX', route: 'rdt' })).toEqual({
				total: 1,
				names: ['Elm Telehealth']
			});
			expect(await find({ route: 'nebulized' })).toEqual({ total: 0, names: [] });
		});

		it('filters by provider kind', async () => {
			expect(await find({ kind: 'spravato' })).toEqual({
				total: 2,
				names: ['Bluebonnet Spravato Center', 'Iris Infusion Center']
			});
			expect(await find({ kind: 'telehealth' })).toEqual({
				total: 3,
				names: ['Drift Telehealth', 'Elm Telehealth', 'Harbor Hybrid Clinic']
			});
			expect(await find({ kind: 'kap', state: 'TX' })).toEqual({
				total: 1,
				names: ['Cypress KAP Collective']
			});
		});

		it('filters by psychotherapy / integration support', async () => {
			expect(await find({ psychotherapy: true })).toEqual({
				total: 2,
				names: ['Cypress KAP Collective', 'Elm Telehealth']
			});
			expect(await find({ state: 'TX', psychotherapy: false })).toEqual({
				total: 3,
				names: ['Alamo Ketamine Clinic', 'Bluebonnet Spravato Center', 'Harbor Hybrid Clinic']
			});
		});

		it('combines filters', async () => {
			expect(await find({ state: 'TX', route: 'troche', telehealth: true })).toEqual({
				total: 1,
				names: ['Harbor Hybrid Clinic']
			});
			expect(await find({ state: 'TX', route: 'troche', telehealth: false })).toEqual({
				total: 1,
				names: ['Cypress KAP Collective']
			});
		});

		it('pages through results in name order with the full total on every page', async () => {
			expect(await find({ state: 'WA', pageSize: 2, page: 1 })).toEqual({
				total: 5,
				names: ['Lark Clinic', 'Nimbus Clinic']
			});
			expect(await find({ state: 'WA', pageSize: 2, page: 2 })).toEqual({
				total: 5,
				names: ['Onyx Clinic', 'Pine Clinic']
			});
			expect(await find({ state: 'WA', pageSize: 2, page: 3 })).toEqual({
				total: 5,
				names: ['Quartz Clinic']
			});
			expect(await find({ state: 'WA', pageSize: 2, page: 4 })).toEqual({ total: 5, names: [] });
			expect(await find({ pageSize: 5, page: 2 })).toEqual({
				total: 13,
				names: ALL_PUBLISHED.slice(5, 10)
			});
		});

		it('summarises each result with its routes in display order and licensed states sorted', async () => {
			const { results } = await search(ctx.db, { state: 'TX', page: 1, pageSize: 20 });
			expect(results.find((r) => r.name === 'Harbor Hybrid Clinic')).toEqual({
				slug: 'harbor-hybrid-clinic',
				name: 'Harbor Hybrid Clinic',
				kinds: ['clinic', 'telehealth'],
				city: 'Springfield',
				state: 'OK',
				zip: '00000',
				lat: 39.8,
				lng: -98.6,
				offersPsychotherapy: false,
				acceptingNewPatients: 'unknown',
				acceptingConfirmedOn: null,
				acceptsInsurance: false,
				isDemo: false,
				routes: [
					{ code: 'iv', priceMin: null, priceMax: null },
					{ code: 'troche', priceMin: null, priceMax: null }
				],
				telehealthStates: ['OK', 'TX'],
				feedback: {
					count: 0,
					overallMean: null,
					label: 'Not Rated',
					effectivePercent: null,
					weightedScore: null,
					cautions: [],
					heldCount: 0
				}
			});
			expect(results.find((r) => r.name === 'Alamo Ketamine Clinic')?.routes).toEqual([
				{ code: 'iv', priceMin: 400, priceMax: 650 },
				{ code: 'im', priceMin: 250, priceMax: 250 }
			]);
		});
	});

	describe('getBySlug', () => {
		it('returns the full published profile with priced routes and conditions', async () => {
			const profile = await getBySlug(ctx.db, 'alamo-ketamine-clinic');
			expect(profile).not.toBeNull();
			const { conditions, updatedAt, id, ...rest } = profile!;
			expect(id).toBeGreaterThan(0);
			expect(rest).toEqual({
				slug: 'alamo-ketamine-clinic',
				name: 'Alamo Ketamine Clinic',
				kinds: ['clinic'],
				description: 'IV infusions with vitals monitored; bring a driver.',
				website: 'https://alamo.example',
				phone: '(210) 555-0101',
				email: 'hello@alamo.example',
				street: '100 Main St, Suite 200',
				city: 'San Antonio',
				state: 'TX',
				zip: '78205',
				lat: 29.42,
				lng: -98.49,
				consultFee: 350,
				acceptsInsurance: false,
				insuranceNotes: null,
				offersPsychotherapy: false,
				acceptingNewPatients: 'unknown',
				acceptingConfirmedOn: null,
				isDemo: false,
				lastVerifiedAt: verifiedAt,
				routes: [
					{ code: 'iv', priceMin: 400, priceMax: 650, seriesPrice: 2100, notes: null },
					{ code: 'im', priceMin: 250, priceMax: 250, seriesPrice: null, notes: 'Boosters only' }
				],
				telehealthStates: [],
				feedback: EMPTY_SUMMARY,
				heldCount: 0
			});
			expect([...conditions].sort()).toEqual(['mdd', 'ptsd', 'trd']);
			expect(updatedAt).toBeInstanceOf(Date);
			expect(Math.abs(updatedAt.getTime() - Date.now())).toBeLessThan(10 * 60_000);
		});

		it('lists the states a telehealth service is licensed in', async () => {
			const profile = await getBySlug(ctx.db, 'elm-telehealth');
			expect(profile?.kinds).toEqual(['telehealth']);
			expect(profile?.telehealthStates).toEqual(['CA', 'NY', 'TX']);
			expect(profile?.routes).toEqual([
				{ code: 'rdt', priceMin: 80, priceMax: 110, seriesPrice: 400, notes: null }
			]);
			expect(profile?.conditions).toEqual(['anxiety']);
			expect(profile?.offersPsychotherapy).toBe(true);
			expect(profile?.lastVerifiedAt).toBeNull();
			expect(profile?.website).toBeNull();
		});

		it('returns null for an unknown slug', async () => {
			expect(await getBySlug(ctx.db, 'no-such-provider')).toBeNull();
			expect(await getBySlug(ctx.db, '')).toBeNull();
		});

		it('returns null for pending and suspended providers', async () => {
			expect(await getBySlug(ctx.db, 'fern-pending-clinic')).toBeNull();
			expect(await getBySlug(ctx.db, 'garnet-suspended-telehealth')).toBeNull();
		});
	});

	describe('coverage', () => {
		it('has one row per state and DC, in display order, matching the hand count', async () => {
			const { states } = await coverage(ctx.db);
			expect(states).toEqual(
				STATES.map(({ code, name }) => {
					const { total = 0, ...cells } = EXPECTED_COVERAGE[code] ?? {};
					return { code, name, total, byRoute: routeCounts(cells) };
				})
			);
		});

		it('counts a provider offering several routes once in the state total', async () => {
			const tx = (await coverage(ctx.db)).states.find((s) => s.code === 'TX')!;
			expect(tx.total).toBe(5);
			expect(Object.values(tx.byRoute).reduce((a, b) => a + b, 0)).toBe(7);
		});

		it('counts a telehealth service in every state it is licensed in, and nowhere else', async () => {
			const { states } = await coverage(ctx.db);
			const rdt = Object.fromEntries(states.map((s) => [s.code, s.byRoute.rdt]));
			// Elm (TX, NY, CA) and Drift (OK, NY) are the only rdt providers.
			expect(Object.entries(rdt).filter(([, n]) => n > 0)).toEqual([
				['CA', 1],
				['NY', 2],
				['OK', 1],
				['TX', 1]
			]);
		});

		it('counts distinct providers nationwide rather than summing the states', async () => {
			const { nation } = await coverage(ctx.db);
			expect(nation).toEqual({
				total: 13,
				byRoute: routeCounts({ iv: 8, im: 4, esketamine: 2, troche: 3, rdt: 2 })
			});
		});

		it('never counts IV, IM or Spravato as given by telehealth', async () => {
			const { states } = await coverage(ctx.db);
			const tx = states.find((s) => s.code === 'TX')!;
			// Harbor (an Oklahoma clinic licensed for telehealth in Texas) offers IV in Oklahoma only.
			expect(tx.byRoute.iv).toBe(1);
			const texansIv = await search(ctx.db, { state: 'TX', route: 'iv', page: 1, pageSize: 50 });
			expect(texansIv.results.map((p) => p.name)).toEqual(['Alamo Ketamine Clinic']);
			for (const route of ['iv', 'im', 'esketamine'] as const) {
				const remote = await search(ctx.db, { route, telehealth: true, page: 1, pageSize: 50 });
				expect(remote.total, route).toBe(0);
			}
			const troche = await search(ctx.db, {
				state: 'TX',
				route: 'troche',
				telehealth: true,
				page: 1,
				pageSize: 50
			});
			expect(troche.results.map((p) => p.name)).toEqual(['Harbor Hybrid Clinic']);
		});

		it('counts each state page’s groups so that they add up, for every state and route', async () => {
			const seen: string[] = [];
			// Every state holding a fixture, and one nobody serves.
			const states = [...(Object.keys(EXPECTED_COVERAGE) as StateCode[]), 'WY' as const];
			for (const state of states) {
				for (const route of [undefined, ...ROUTE_CODES]) {
					const counts = await stateCounts(ctx.db, state, { route });
					const all = { state, route, page: 1, pageSize: 100 };
					const [any, local, remote] = await Promise.all([
						search(ctx.db, all),
						search(ctx.db, { ...all, telehealth: false }),
						search(ctx.db, { ...all, telehealth: true })
					]);
					const localSlugs = new Set(local.results.map((p) => p.slug));
					const both = remote.results.filter((p) => localSlugs.has(p.slug)).length;
					expect(counts, `${state}/${route ?? 'any'}`).toEqual({
						total: any.total,
						inPerson: local.total,
						telehealth: remote.total,
						both
					});
					expect(counts.total).toBe(counts.inPerson + counts.telehealth - counts.both);
					if (counts.both) seen.push(`${state}/${route ?? 'any'}`);
				}
			}
			// Harbor serves Oklahoma both ways (in person with both routes, by telehealth with troches).
			expect(seen).toEqual(['OK/any', 'OK/troche']);
		});

		it('agrees with search for every state and every route', async () => {
			const { states } = await coverage(ctx.db);
			const seen: Record<string, number> = {};
			const expected: Record<string, number> = {};
			for (const row of states) {
				const state = row.code;
				const routes: (RouteCode | undefined)[] = [undefined, ...ROUTE_CODES];
				const totals = await Promise.all(
					routes.map((route) => search(ctx.db, { state, route, page: 1, pageSize: 1 }))
				);
				routes.forEach((route, i) => {
					const key = `${state}/${route ?? 'any'}`;
					seen[key] = at(totals, i).total;
					expected[key] = route ? row.byRoute[route] : row.total;
				});
			}
			expect(seen).toEqual(expected);
			expect(Object.keys(seen)).toHaveLength(51 * 11);
		});
	});
});

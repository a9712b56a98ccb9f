import { beforeAll, expect, it } from 'vitest';
import { clusters } from '$lib/server/map';
import {
	mapPoints,
	nearestAnywhere,
	search,
	searchNear,
	type ProviderSummary
} from '$lib/server/providers';
import { loadSearchPage } from '$lib/server/search-page';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider, type ProviderFixture } from '../helpers/fixtures';
import { providerFeedback } from '$lib/server/db/schema';

/** Downtown Austin (78701's centroid) and points due north of it, ~0.069 mile per 0.001°. */
const AUSTIN = { lat: 30.2713, lng: -97.7426 };
const north = (miles: number) => ({ lat: AUSTIN.lat + miles / 69.09, lng: AUSTIN.lng });

const FIXTURES: (ProviderFixture & { score?: number })[] = [
	{
		name: 'Aaa Near Clinic',
		kinds: ['clinic'],
		state: 'TX',
		...north(2),
		routes: [{ code: 'iv', priceMin: 600, priceMax: 700 }, 'im'],
		score: 3.1
	},
	{
		name: 'Bbb Cheap Clinic',
		kinds: ['clinic'],
		state: 'TX',
		...north(6),
		routes: [
			{ code: 'iv', priceMin: 350 },
			{ code: 'im', priceMax: 200 }
		],
		score: 4.6
	},
	{
		name: 'Ccc Unpriced Clinic',
		kinds: ['clinic'],
		state: 'TX',
		...north(4),
		routes: ['iv'],
		score: 4.9
	},
	{
		name: 'Ddd Spravato Center',
		kinds: ['spravato'],
		state: 'TX',
		...north(40),
		routes: [{ code: 'esketamine', priceMin: 900 }]
	},
	{
		name: 'Eee Far Spravato Center',
		kinds: ['spravato'],
		state: 'TX',
		...north(180),
		routes: [{ code: 'esketamine', priceMin: 800 }]
	},
	{
		name: 'Fff Texas Telehealth',
		kinds: ['telehealth'],
		state: 'CA',
		lat: 34.05,
		lng: -118.24,
		routes: [{ code: 'troche', priceMin: 80 }],
		telehealthStates: ['TX', 'CA']
	},
	{
		name: 'Ggg Vermont Telehealth',
		kinds: ['telehealth'],
		state: 'VT',
		lat: 44.26,
		lng: -72.58,
		routes: ['rdt'],
		telehealthStates: ['VT'],
		offersPsychotherapy: true
	}
];

const names = (list: { name: string }[]) => list.map((p) => p.name);
const filters = (more: object = {}) => ({ page: 1, pageSize: 20, ...more });

describeEachDatabase('radius search: sorts, help for no result, map circle', (ctx) => {
	beforeAll(async () => {
		for (const { score, ...fixture } of FIXTURES) {
			const id = await insertProvider(ctx.db, fixture);
			if (score !== undefined) {
				await ctx.db
					.insert(providerFeedback)
					.values({ providerId: id, ratingCount: 10, overallMean: score, weightedScore: score });
			}
		}
	});

	const near = (radiusMiles: number) => ({ ...AUSTIN, radiusMiles });

	it('sorts a radius search nearest first, best rated first or cheapest first', async () => {
		const nearest = await searchNear(ctx.db, filters(), near(50));
		expect(names(nearest.results)).toEqual([
			'Aaa Near Clinic',
			'Ccc Unpriced Clinic',
			'Bbb Cheap Clinic',
			'Ddd Spravato Center'
		]);
		const best = await searchNear(ctx.db, filters({ sort: 'best' }), near(50));
		expect(names(best.results)).toEqual([
			'Ccc Unpriced Clinic',
			'Bbb Cheap Clinic',
			'Aaa Near Clinic',
			'Ddd Spravato Center'
		]);
		// Lowest listed per-session price over all routes (Bbb's IM "up to $200"); no price last.
		const cheapest = await searchNear(ctx.db, filters({ sort: 'price' }), near(50));
		expect(names(cheapest.results)).toEqual([
			'Bbb Cheap Clinic',
			'Aaa Near Clinic',
			'Ddd Spravato Center',
			'Ccc Unpriced Clinic'
		]);
		// For a route: that route's price.
		const iv = await searchNear(ctx.db, filters({ sort: 'price', route: 'iv' }), near(50));
		expect(names(iv.results)).toEqual([
			'Bbb Cheap Clinic',
			'Aaa Near Clinic',
			'Ccc Unpriced Clinic'
		]);
		// The totals and the distances do not depend on the order.
		for (const sorted of [best, cheapest]) {
			expect(sorted.total).toBe(nearest.total);
			const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
			expect([...sorted.results].sort(byName)).toEqual([...nearest.results].sort(byName));
		}
		// Paging a sorted radius search continues the same order.
		const second = await searchNear(ctx.db, { page: 2, pageSize: 2, sort: 'price' }, near(50));
		expect(names(second.results)).toEqual(['Ddd Spravato Center', 'Ccc Unpriced Clinic']);
	});

	it('sorts the directory by lowest price too', async () => {
		const { results } = await search(ctx.db, filters({ sort: 'price', state: 'TX' }));
		expect(names(results)).toEqual([
			'Fff Texas Telehealth',
			'Bbb Cheap Clinic',
			'Aaa Near Clinic',
			'Eee Far Spravato Center',
			'Ddd Spravato Center',
			'Ccc Unpriced Clinic'
		]);
	});

	it('finds the nearest in-person providers however far, with their distance', async () => {
		const found = await nearestAnywhere(ctx.db, { route: 'esketamine' }, AUSTIN, 3);
		expect(names(found)).toEqual(['Ddd Spravato Center', 'Eee Far Spravato Center']);
		expect(found[0]?.distanceMiles).toBeCloseTo(40, 0);
		expect(found[1]?.distanceMiles).toBeCloseTo(180, 0);
		// Telehealth-only services have no place to be near.
		expect(names(await nearestAnywhere(ctx.db, { route: 'troche' }, AUSTIN, 3))).toEqual([]);
	});

	it('puts on the map exactly the providers a radius search counts', async () => {
		for (const radius of [1, 5, 50, 250]) {
			for (const f of [{}, { route: 'iv' as const }, { kind: 'spravato' as const }]) {
				const list = await searchNear(ctx.db, filters(f), near(radius));
				const points = await mapPoints(ctx.db, f, near(radius));
				expect(points.map((p) => p.slug).sort(), `${radius} ${JSON.stringify(f)}`).toEqual(
					list.results.map((p) => p.slug).sort()
				);
				for (const p of points) {
					const same = list.results.find((r) => r.slug === p.slug) as ProviderSummary & {
						distanceMiles: number;
					};
					expect(p.distanceMiles).toBe(same.distanceMiles);
				}
				const collection = await clusters(ctx.db, f, [-125, 24, -66, 50], 18, near(radius));
				const shown = collection.features.reduce(
					(n, feature) => n + ('cluster' in feature.properties ? feature.properties.count : 1),
					0
				);
				expect(shown).toBe(list.total);
			}
		}
	});

	it('answers a place with “Telehealth only” with the services licensed in its state', async () => {
		const data = await loadSearchPage(ctx.db, new URLSearchParams('near=78701&telehealth=yes'));
		expect(data.mode).toBe('telehealth');
		if (data.mode !== 'telehealth') return;
		expect(data.telehealthState).toBe('TX');
		expect(names(data.results)).toEqual(['Fff Texas Telehealth']);
		expect(data.total).toBe(1);
	});

	it('offers wider radii with counts, the nearest providers and the filters to remove', async () => {
		const data = await loadSearchPage(
			ctx.db,
			new URLSearchParams('near=78701&radius=10&kind=spravato')
		);
		expect(data.mode).toBe('near');
		if (data.mode !== 'near') return;
		expect(data.nearby.total).toBe(0);
		expect(data.help.wider).toEqual([
			{ radius: 50, total: 1, capped: false },
			{ radius: 100, total: 1, capped: false },
			{ radius: 250, total: 2, capped: false }
		]);
		expect(names(data.help.nearest)).toEqual(['Ddd Spravato Center', 'Eee Far Spravato Center']);
		expect(data.help.relax).toEqual([
			{ param: 'kind', label: 'Kind: Spravato center', total: 3, capped: false }
		]);
		expect(names(data.telehealth?.results ?? [])).toEqual([]);
	});

	it('says which filter to remove when the directory has no match', async () => {
		const data = await loadSearchPage(
			ctx.db,
			new URLSearchParams('state=VT&psychotherapy=yes&route=iv')
		);
		expect(data.mode).toBe('list');
		if (data.mode !== 'list') return;
		expect(data.total).toBe(0);
		expect(data.relax).toEqual([
			{ param: 'route', label: 'Route: IV infusion', total: 1, capped: false }
		]);
	});

	it('leaves out what it cannot read, says so, and keeps the rest of the search', async () => {
		const data = await loadSearchPage(
			ctx.db,
			new URLSearchParams('near=78701&radius=abc&page=0&route=iv&lat=12')
		);
		expect(data.mode).toBe('near');
		expect(data.filters).toMatchObject({ route: 'iv', page: 1 });
		expect(data.location).toMatchObject({ near: '78701', radius: 50 });
		expect(data.ignored.map((i) => i.name).sort()).toEqual(['page', 'radius']);
		const junk = await loadSearchPage(ctx.db, new URLSearchParams('lat=abc&lng=1&sort=x&state=ZZ'));
		expect(junk.mode).toBe('list');
		expect(junk.ignored.map((i) => i.name).sort()).toEqual(['lat', 'lng', 'sort', 'state']);
	});
});

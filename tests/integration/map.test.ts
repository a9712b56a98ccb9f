import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderKind } from '$lib/domain/kinds';
import type { RouteCode } from '$lib/domain/routes';
import { STATE_CODES } from '$lib/domain/states';
import type { MapFilters } from '$lib/schemas/map';
import type { Database } from '$lib/server/db';
import { providerRoutes, providers } from '$lib/server/db/schema';
import { providersChanged } from '$lib/server/events';
import { clusters, invalidateMapCache } from '$lib/server/map';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider, slugFor, type ProviderFixture } from '../helpers/fixtures';
import { usZipEntries } from '$lib/server/zipcodes';
import { mulberry32 as prng } from '$lib/domain/random';
import { missing } from '../helpers/rows';

type BBox = [number, number, number, number];

const codes = Object.fromEntries(usZipEntries().map((e) => [e.zip, e]));

/** Fargo, ND: a hand-placed group, with every random provider kept a degree away. */
const FARGO = { lat: 46.8772, lng: -96.7898 };
const FARGO_BBOX: BBox = [-96.9, 46.8, -96.6, 47.0];

const contiguous = Object.values(codes).filter(
	(e) =>
		e.country === 'US' &&
		e.latitude &&
		e.longitude &&
		e.state !== 'AK' &&
		e.state !== 'HI' &&
		(STATE_CODES as string[]).includes(e.state) &&
		(Math.abs(e.latitude - FARGO.lat) > 1 || Math.abs(e.longitude - FARGO.lng) > 1.5)
);

const WHOLE_US: BBox = [-126, 23, -65, 50];
const CITIES: Record<string, BBox> = {
	Austin: [-98.0, 30.1, -97.5, 30.5],
	'New York': [-74.3, 40.5, -73.7, 40.95],
	Chicago: [-88.0, 41.6, -87.5, 42.1]
};

const KIND_MIX: ProviderKind[][] = [
	['clinic'],
	['clinic'],
	['clinic'],
	['kap'],
	['kap'],
	['spravato'],
	['clinic', 'spravato'],
	['clinic', 'telehealth'],
	['telehealth'],
	['telehealth']
];
const ROUTE_MIX: RouteCode[] = ['iv', 'im', 'esketamine', 'troche', 'rdt'];
const IN_PERSON: ProviderKind[] = ['clinic', 'kap', 'spravato'];
const FIRST = ['Riverstone', 'Beacon', 'New Dawn', 'Lighthouse', 'Evergreen', 'Harbor'];
const SECOND = ['Infusion Therapy', 'Mental Health Associates', 'Ketamine Clinic', 'Mind Health'];

interface Fixture extends ProviderFixture {
	slug: string;
	city: string;
	zip: string;
	lat: number;
	lng: number;
	routes: RouteCode[];
	offersPsychotherapy: boolean;
}

function randomDirectory(count: number, random: () => number): Fixture[] {
	// In range for any list that is not empty.
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
	return Array.from({ length: count }, (_, i) => {
		const zip = pick(contiguous);
		// Names and slugs as long as the demo directory's, so the payload sizes are realistic.
		const name = `${pick(FIRST)} ${pick(SECOND)} of ${zip.city} ${i}`;
		const roll = random();
		return {
			name,
			slug: slugFor(`${name} ${zip.state}`),
			kinds: pick(KIND_MIX),
			state: zip.state,
			city: zip.city,
			zip: zip.zip,
			lat: Math.round((zip.latitude + (random() - 0.5) * 0.04) * 1e6) / 1e6,
			lng: Math.round((zip.longitude + (random() - 0.5) * 0.04) * 1e6) / 1e6,
			status: roll < 0.05 ? 'pending' : 'published',
			offersPsychotherapy: random() < 0.4,
			routes: ROUTE_MIX.filter(() => random() < 0.4)
		};
	});
}

/** 0.01° apart: one cluster at city zooms, separate markers at street zooms. */
const FARGO_GROUP: Fixture[] = (
	[
		['Fargo Infusion and Spravato', ['clinic', 'spravato'], 'published'],
		['Fargo Spravato and KAP', ['spravato', 'kap'], 'published'],
		['Fargo KAP Collective', ['kap'], 'published'],
		['Fargo Hybrid Clinic', ['clinic', 'telehealth'], 'published'],
		['Fargo Telehealth Only', ['telehealth'], 'published'],
		['Fargo Pending Clinic', ['clinic'], 'pending']
	] as const
).map(([name, kinds, status], i) => ({
	name,
	slug: slugFor(name),
	kinds: [...kinds],
	status,
	state: 'ND',
	city: 'Fargo',
	zip: '58102',
	lat: Math.round((FARGO.lat + 0.01 * (i % 3)) * 1e4) / 1e4,
	lng: Math.round((FARGO.lng + 0.01 * Math.floor(i / 3)) * 1e4) / 1e4,
	offersPsychotherapy: true,
	routes: ['iv']
}));

const FIXTURES: Fixture[] = [
	...randomDirectory(2000 - FARGO_GROUP.length, prng(4242)),
	...FARGO_GROUP
];

async function insertAll(db: Database, list: Fixture[]): Promise<void> {
	for (let start = 0; start < list.length; start += 250) {
		const batch = list.slice(start, start + 250);
		const ids = await db
			.insert(providers)
			.values(
				batch.map(({ routes: _r, ...row }) => ({ ...row, status: row.status ?? 'published' }))
			)
			.returning({ id: providers.id, slug: providers.slug });
		const idOf = new Map(ids.map((r) => [r.slug, r.id]));
		const routeRows = batch.flatMap((f) =>
			f.routes.map((route) => ({ providerId: idOf.get(f.slug)!, route }))
		);
		if (routeRows.length) await db.insert(providerRoutes).values(routeRows);
	}
}

/** In-person, published providers matching the filters: what the map should show. */
function expectedOnMap(filters: MapFilters): Fixture[] {
	return FIXTURES.filter(
		(f) =>
			f.status === 'published' &&
			f.kinds.some((k) => IN_PERSON.includes(k)) &&
			(!filters.state || f.state === filters.state) &&
			(!filters.kind || f.kinds.includes(filters.kind)) &&
			(!filters.route || f.routes.includes(filters.route)) &&
			(filters.psychotherapy === undefined || f.offersPsychotherapy === filters.psychotherapy)
	);
}

type Collection = Awaited<ReturnType<typeof clusters>>;

/** Providers a collection stands for: each cluster's count plus one per single marker. */
function providersShown(collection: Collection): number {
	return collection.features.reduce(
		(sum, f) => sum + ('cluster' in f.properties ? f.properties.count : 1),
		0
	);
}

describeEachDatabase('map', (ctx) => {
	beforeAll(async () => {
		await insertAll(ctx.db, FIXTURES);
	});

	// The cache is per process and keyed by filters only: both databases' suites share it.
	beforeEach(() => invalidateMapCache());

	describe('clusters', () => {
		it('accounts for every in-person provider once over the whole US at zoom 3', async () => {
			const all = expectedOnMap({});
			expect(all.length).toBeGreaterThan(1200);
			expect(all.length).toBeLessThan(FIXTURES.length);
			const collection = await clusters(ctx.db, {}, WHOLE_US, 3);
			expect(collection.type).toBe('FeatureCollection');
			expect(collection.features.some((f) => 'cluster' in f.properties)).toBe(true);
			expect(providersShown(collection)).toBe(all.length);
		});

		it('counts only the providers matching the filters, each filter set on its own', async () => {
			// Neighbours differ in one filter, so a cache keyed without it would answer wrongly.
			const filters: MapFilters[] = [
				{},
				{ route: 'iv' },
				{ route: 'esketamine' },
				{ route: 'esketamine', psychotherapy: true },
				{ psychotherapy: true },
				{ psychotherapy: false },
				{ kind: 'spravato' },
				{ kind: 'kap' },
				{ kind: 'telehealth' },
				{ state: 'TX' },
				{ state: 'NY' },
				{ state: 'NY', route: 'iv' }
			];
			const everyone = expectedOnMap({}).length;
			for (const f of filters) {
				const expected = expectedOnMap(f).length;
				expect(expected, JSON.stringify(f)).toBeGreaterThan(0);
				if (Object.keys(f).length) expect(expected, JSON.stringify(f)).toBeLessThan(everyone);
				expect(providersShown(await clusters(ctx.db, f, WHOLE_US, 3)), JSON.stringify(f)).toBe(
					expected
				);
			}
		});

		it('shows single markers with slug, name, kind and telehealth when zoomed in', async () => {
			const collection = await clusters(ctx.db, {}, FARGO_BBOX, 16);
			const features = [...collection.features].sort((a, b) =>
				JSON.stringify(a).localeCompare(JSON.stringify(b))
			);
			const point = (slug: string, name: string, kind: string, telehealth: boolean) => {
				const f = FARGO_GROUP.find((g) => g.slug === slug)!;
				return {
					type: 'Feature',
					geometry: { type: 'Point', coordinates: [f.lng, f.lat] },
					properties: { slug, name, kind, telehealth }
				};
			};
			expect(features).toEqual(
				[
					point('fargo-infusion-and-spravato', 'Fargo Infusion and Spravato', 'clinic', false),
					point('fargo-spravato-and-kap', 'Fargo Spravato and KAP', 'spravato', false),
					point('fargo-kap-collective', 'Fargo KAP Collective', 'kap', false),
					point('fargo-hybrid-clinic', 'Fargo Hybrid Clinic', 'clinic', true)
				].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
			);
		});

		it('groups nearby providers into a cluster that splits at its expansion zoom', async () => {
			const { features } = await clusters(ctx.db, {}, FARGO_BBOX, 8);
			expect(features).toHaveLength(1);
			const [cluster = missing()] = features;
			if (!('cluster' in cluster.properties)) throw new Error('expected a cluster');
			expect(cluster.properties).toEqual({
				cluster: true,
				count: 4,
				expansionZoom: expect.any(Number) as number
			});
			const [lng, lat] = cluster.geometry.coordinates;
			expect(lng).toBeGreaterThan(FARGO.lng - 0.001);
			expect(lng).toBeLessThan(FARGO.lng + 0.011);
			expect(lat).toBeGreaterThan(FARGO.lat - 0.001);
			expect(lat).toBeLessThan(FARGO.lat + 0.021);
			const { expansionZoom } = cluster.properties;
			expect(expansionZoom).toBeGreaterThan(8);
			expect(expansionZoom).toBeLessThanOrEqual(18);
			const expanded = await clusters(ctx.db, {}, FARGO_BBOX, expansionZoom);
			expect(expanded.features.length).toBeGreaterThan(1);
			expect(providersShown(expanded)).toBe(4);
		});

		it('keeps the payload for 2,000 providers under 40 kB at every zoom, without dropping any', async () => {
			const everyone = expectedOnMap({}).length;
			const tooBig: string[] = [];
			let measured = 0;
			let inCities = 0;
			for (const zoom of [3, 6, 9, 12]) {
				for (const [name, bbox] of [['whole US', WHOLE_US] as const, ...Object.entries(CITIES)]) {
					const collection = await clusters(ctx.db, {}, bbox, zoom);
					const bytes = JSON.stringify(collection).length;
					measured++;
					if (bytes >= 40_000) tooBig.push(`${name} at zoom ${zoom}: ${bytes} bytes`);
					if (name === 'whole US') {
						expect(providersShown(collection), `whole US at zoom ${zoom}`).toBe(everyone);
					} else if (zoom >= 9) {
						inCities += collection.features.length;
					}
				}
			}
			expect(inCities).toBeGreaterThan(0);
			expect(measured).toBe(16);
			expect(tooBig).toEqual([]);
		});

		it('shows nothing for telehealth services, which have no place on a map', async () => {
			expect(await clusters(ctx.db, { telehealth: true }, WHOLE_US, 3)).toEqual({
				type: 'FeatureCollection',
				features: []
			});
			expect(await clusters(ctx.db, { telehealth: true, state: 'TX' }, WHOLE_US, 12)).toEqual({
				type: 'FeatureCollection',
				features: []
			});
			expect(providersShown(await clusters(ctx.db, { telehealth: false }, WHOLE_US, 3))).toBe(
				expectedOnMap({}).length
			);
		});
	});

	describe('cache', () => {
		it('shows a new provider once the cache is invalidated', async () => {
			// Open water in the Gulf of Mexico: no other provider is anywhere near.
			const gulf: BBox = [-90.5, 26.5, -89.5, 27.5];
			expect(await clusters(ctx.db, {}, gulf, 12)).toEqual({
				type: 'FeatureCollection',
				features: []
			});
			const id = await insertProvider(ctx.db, {
				name: 'Offshore Test Clinic',
				kinds: ['clinic'],
				state: 'LA',
				lat: 27,
				lng: -90
			});
			try {
				// Still the cached index until the writer announces the change.
				expect((await clusters(ctx.db, {}, gulf, 12)).features).toEqual([]);
				providersChanged();
				expect((await clusters(ctx.db, {}, gulf, 12)).features).toEqual([
					{
						type: 'Feature',
						geometry: { type: 'Point', coordinates: [-90, 27] },
						properties: {
							slug: 'offshore-test-clinic',
							name: 'Offshore Test Clinic',
							kind: 'clinic',
							telehealth: false
						}
					}
				]);
				expect(providersShown(await clusters(ctx.db, {}, WHOLE_US, 3))).toBe(
					expectedOnMap({}).length + 1
				);
			} finally {
				await ctx.db.delete(providers).where(eq(providers.id, id));
				invalidateMapCache();
			}
			expect((await clusters(ctx.db, {}, gulf, 12)).features).toEqual([]);
		});
	});
});

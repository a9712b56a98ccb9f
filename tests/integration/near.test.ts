import { sql, type Logger, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '$lib/domain/kinds';
import { givenAtHome, type RouteCode } from '$lib/domain/routes';
import { STATE_CODES, type StateCode } from '$lib/domain/states';
import type { ProviderFilters } from '$lib/schemas/filters';
import { selectRows, type Database } from '$lib/server/db';
import { providerRoutes, providers, providerTelehealthStates } from '$lib/server/db/schema';
import { geocode, resolveOrigin } from '$lib/server/geocode';
import { search, searchNear } from '$lib/server/providers';
import { describeEachDatabase } from '../helpers/databases';
import { slugFor, type ProviderFixture } from '../helpers/fixtures';
import { usZipEntries } from '$lib/server/zipcodes';
import { mulberry32 as prng } from '$lib/domain/random';

/**
 * Radius search checked against a great-circle distance computed here, on a seeded random
 * directory. earthdistance models the earth as a sphere of radius 6378168 m; so does this file.
 */

const EARTH_RADIUS_MILES = 6_378_168 / 1609.344;
/** Providers this close to the radius may fall either side of it. */
const BOUNDARY_MILES = 0.05;
/** Rounding to 0.1 mile plus floating-point noise. */
const DISTANCE_TOLERANCE = 0.06;

function greatCircleMiles(aLat: number, aLng: number, bLat: number, bLng: number): number {
	const rad = Math.PI / 180;
	const dLat = (bLat - aLat) * rad;
	const dLng = (bLng - aLng) * rad;
	const h =
		Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLng / 2) ** 2;
	return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

const codes = Object.fromEntries(usZipEntries().map((e) => [e.zip, e]));
const contiguous = Object.values(codes).filter(
	(e) =>
		e.country === 'US' &&
		e.latitude &&
		e.longitude &&
		e.state !== 'AK' &&
		e.state !== 'HI' &&
		(STATE_CODES as string[]).includes(e.state)
);

const KIND_MIX: ProviderKind[][] = [
	['clinic'],
	['clinic'],
	['clinic'],
	['clinic'],
	['kap'],
	['kap'],
	['spravato'],
	['clinic', 'spravato'],
	['clinic', 'telehealth'],
	['kap', 'telehealth'],
	['telehealth'],
	['telehealth'],
	['telehealth']
];
const ROUTE_MIX: RouteCode[] = ['iv', 'im', 'esketamine', 'troche', 'rdt'];
const IN_PERSON: ProviderKind[] = ['clinic', 'kap', 'spravato'];

interface Fixture extends ProviderFixture {
	slug: string;
	city: string;
	zip: string;
	lat: number;
	lng: number;
	routes: RouteCode[];
	telehealthStates: StateCode[];
	offersPsychotherapy: boolean;
}

function randomDirectory(count: number, random: () => number): Fixture[] {
	// In range for any list that is not empty.
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
	const out: Fixture[] = [];
	for (let i = 0; i < count; i++) {
		const zip = pick(contiguous);
		const kinds = pick(KIND_MIX);
		const roll = random();
		const name = `Provider ${String(i).padStart(3, '0')}`;
		out.push({
			name,
			slug: slugFor(name),
			kinds,
			state: zip.state,
			city: zip.city,
			zip: zip.zip,
			lat: Math.round((zip.latitude + (random() - 0.5) * 0.3) * 1e6) / 1e6,
			lng: Math.round((zip.longitude + (random() - 0.5) * 0.3) * 1e6) / 1e6,
			status: roll < 0.05 ? 'pending' : roll < 0.08 ? 'suspended' : 'published',
			offersPsychotherapy: random() < 0.4,
			routes: ROUTE_MIX.filter(() => random() < 0.4),
			telehealthStates: kinds.includes('telehealth')
				? [
						...new Set(
							Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(STATE_CODES))
						)
					]
				: []
		});
	}
	return out;
}

/** Same point, names inserted out of order: equidistant from anywhere, so ordered by name. */
const TIES: Fixture[] = ['Tie Cedar', 'Tie Aspen', 'Tie Birch'].map((name) => ({
	name,
	slug: slugFor(name),
	kinds: ['clinic'],
	state: 'KS',
	city: 'Salina',
	zip: '67401',
	lat: 38.8403,
	lng: -97.6114,
	status: 'published',
	offersPsychotherapy: false,
	routes: ['iv'],
	telehealthStates: []
}));

/** Telehealth services around Texas, for the "licensed in your state" section. */
const TELEHEALTH: Fixture[] = (
	[
		['Remote Licensed TX', ['telehealth'], 'CA', ['TX', 'CA'], 'published'],
		['Remote Hybrid TX', ['clinic', 'telehealth'], 'OK', ['TX'], 'published'],
		['Remote Located TX', ['telehealth'], 'TX', ['NM', 'OK'], 'published'],
		['Remote Pending TX', ['telehealth'], 'TX', ['TX'], 'pending']
	] as const
).map(([name, kinds, state, licensed, status]) => ({
	name,
	slug: slugFor(name),
	kinds: [...kinds],
	state,
	city: 'Austin',
	zip: '78701',
	// Inside the radius of the Austin searches below: telehealth-only ones must stay out of them.
	lat: 30.2713,
	lng: -97.7426,
	status,
	offersPsychotherapy: false,
	routes: ['troche'],
	telehealthStates: [...licensed]
}));

const FIXTURES: Fixture[] = [...randomDirectory(300, prng(20260521)), ...TIES, ...TELEHEALTH];

/** Batched inserts: a few statements instead of one per row. */
async function insertAll(db: Database, list: Fixture[]): Promise<void> {
	for (let start = 0; start < list.length; start += 200) {
		const batch = list.slice(start, start + 200);
		const ids = await db
			.insert(providers)
			.values(
				batch.map(({ routes: _r, telehealthStates: _t, ...row }) => ({
					...row,
					status: row.status ?? 'published'
				}))
			)
			.returning({ id: providers.id, slug: providers.slug });
		const idOf = new Map(ids.map((r) => [r.slug, r.id]));
		const routeRows = batch.flatMap((f) =>
			f.routes.map((route) => ({ providerId: idOf.get(f.slug)!, route }))
		);
		const stateRows = batch.flatMap((f) =>
			f.telehealthStates.map((state) => ({ providerId: idOf.get(f.slug)!, state }))
		);
		if (routeRows.length) await db.insert(providerRoutes).values(routeRows);
		if (stateRows.length) await db.insert(providerTelehealthStates).values(stateRows);
	}
}

type Filters = Omit<ProviderFilters, 'page' | 'pageSize'>;

/** What searchNear should find, worked out from the fixtures alone. */
function expectedNear(filters: Filters, lat: number, lng: number, radius: number) {
	const candidates = FIXTURES.filter(
		(f) =>
			f.status === 'published' &&
			f.kinds.some((k) => IN_PERSON.includes(k)) &&
			(!filters.state || f.state === filters.state) &&
			(!filters.kind || f.kinds.includes(filters.kind)) &&
			(!filters.route || f.routes.includes(filters.route)) &&
			(filters.psychotherapy === undefined || f.offersPsychotherapy === filters.psychotherapy)
	).map((f) => ({ ...f, miles: greatCircleMiles(lat, lng, f.lat, f.lng) }));
	return {
		sure: candidates.filter((c) => c.miles < radius - BOUNDARY_MILES),
		either: candidates.filter((c) => Math.abs(c.miles - radius) <= BOUNDARY_MILES),
		telehealthOnlyInside: FIXTURES.filter(
			(f) =>
				f.status === 'published' &&
				f.kinds.every((k) => k === 'telehealth') &&
				greatCircleMiles(lat, lng, f.lat, f.lng) <= radius
		).length
	};
}

const bySlug = new Map(FIXTURES.map((f) => [f.slug, f]));

describeEachDatabase('near', (ctx) => {
	beforeAll(async () => {
		await insertAll(ctx.db, FIXTURES);
	});

	/** Runs searchNear and checks it against the independent computation; returns what it found. */
	async function checkNear(filters: Filters, lat: number, lng: number, radius: number) {
		const near = { lat, lng, radiusMiles: radius };
		const { total, results } = await searchNear(
			ctx.db,
			{ ...filters, page: 1, pageSize: 1000 },
			near
		);
		const { sure, either, telehealthOnlyInside } = expectedNear(filters, lat, lng, radius);
		const where = `${JSON.stringify(filters)} within ${radius} mi of ${lat},${lng}`;

		const found = results.map((r) => r.slug);
		expect(total, where).toBe(results.length);
		expect(found, where).toEqual(expect.arrayContaining(sure.map((s) => s.slug)));
		const allowed = new Set([...sure, ...either].map((s) => s.slug));
		expect(
			found.filter((slug) => !allowed.has(slug)),
			where
		).toEqual([]);

		let previous: { miles: number; name: string } | undefined;
		for (const r of results) {
			const fixture = bySlug.get(r.slug)!;
			const miles = greatCircleMiles(lat, lng, fixture.lat, fixture.lng);
			expect(Math.abs(r.distanceMiles - miles), `${r.slug} ${where}`).toBeLessThanOrEqual(
				DISTANCE_TOLERANCE
			);
			expect(r.distanceMiles).toBe(Math.round(r.distanceMiles * 10) / 10);
			expect(
				r.kinds.some((k) => IN_PERSON.includes(k)),
				r.slug
			).toBe(true);
			if (previous) {
				expect(miles, `${r.slug} after ${previous.name}`).toBeGreaterThanOrEqual(
					previous.miles - 1e-6
				);
				if (Math.abs(miles - previous.miles) < 1e-9) expect(r.name > previous.name).toBe(true);
			}
			previous = { miles, name: r.name };
		}
		return { total, found, telehealthOnlyInside };
	}

	describe('searchNear against an independent great-circle computation', () => {
		const random = prng(7);
		const origins = Array.from({ length: 25 }, (_, i) => {
			// Mostly near where providers are, some anywhere in the contiguous US box.
			const zip = contiguous[Math.floor(random() * contiguous.length)]!;
			const lat = i % 5 === 4 ? 25 + random() * 24 : zip.latitude + (random() - 0.5);
			const lng = i % 5 === 4 ? -124 + random() * 57 : zip.longitude + (random() - 0.5);
			const radius = 10 + Math.floor(random() * 241);
			return { lat: Math.round(lat * 1e4) / 1e4, lng: Math.round(lng * 1e4) / 1e4, radius };
		});

		it('finds the same providers in the same order at the same distances from 25 random origins', async () => {
			let found = 0;
			let telehealthOnly = 0;
			for (const { lat, lng, radius } of origins) {
				const result = await checkNear({}, lat, lng, radius);
				found += result.total;
				telehealthOnly += result.telehealthOnlyInside;
			}
			// The comparison means something: many hits, and telehealth-only services were in range.
			expect(found).toBeGreaterThan(100);
			expect(telehealthOnly).toBeGreaterThan(5);
		});

		it('pages through the same list, with the full total on every page', async () => {
			let paged = 0;
			for (const { lat, lng, radius } of origins) {
				const near = { lat, lng, radiusMiles: radius };
				const all = await searchNear(ctx.db, { page: 1, pageSize: 1000 }, near);
				if (all.total < 8) continue;
				paged++;
				const pageSize = 7;
				const lastPage = Math.ceil(all.total / pageSize);
				const slugs: string[] = [];
				for (let page = 1; page <= lastPage + 1; page++) {
					const { total, results } = await searchNear(ctx.db, { page, pageSize }, near);
					expect(total).toBe(all.total);
					expect(results.length).toBe(
						page <= lastPage ? Math.min(pageSize, all.total - (page - 1) * pageSize) : 0
					);
					slugs.push(...results.map((r) => r.slug));
				}
				expect(slugs).toEqual(all.results.map((r) => r.slug));
			}
			expect(paged).toBeGreaterThan(5);
		});

		it('combines route, kind, state and psychotherapy filters with the distance', async () => {
			const filters: Filters[] = [
				{ route: 'iv' },
				{ route: 'esketamine' },
				{ kind: 'spravato' },
				{ kind: 'kap', route: 'troche' },
				{ kind: 'telehealth' },
				{ psychotherapy: true },
				{ state: 'TX' }
			];
			for (const f of filters) {
				let found = 0;
				for (const { lat, lng } of origins.slice(0, 10)) {
					found += (await checkNear(f, lat, lng, 250)).total;
				}
				expect(found, JSON.stringify(f)).toBeGreaterThan(0);
			}
		});
	});

	describe('searchNear specifics', () => {
		it('orders providers at the same distance by name', async () => {
			const { results } = await searchNear(
				ctx.db,
				{ page: 1, pageSize: 20 },
				{ lat: 38.8403, lng: -97.6114, radiusMiles: 1 }
			);
			expect(results.map((r) => [r.name, r.distanceMiles])).toEqual([
				['Tie Aspen', 0],
				['Tie Birch', 0],
				['Tie Cedar', 0]
			]);
		});

		it('never lists a telehealth-only service, however close', async () => {
			const austin = { lat: 30.2713, lng: -97.7426, radiusMiles: 10 };
			const { results } = await searchNear(ctx.db, { page: 1, pageSize: 100 }, austin);
			const names = results.map((r) => r.name);
			expect(names).toContain('Remote Hybrid TX');
			expect(names).not.toContain('Remote Licensed TX');
			expect(names).not.toContain('Remote Located TX');
			expect(names).not.toContain('Remote Pending TX');
			expect(results.find((r) => r.name === 'Remote Hybrid TX')).toMatchObject({
				slug: 'remote-hybrid-tx',
				kinds: ['clinic', 'telehealth'],
				distanceMiles: 0,
				routes: [{ code: 'troche', priceMin: null, priceMax: null }],
				telehealthStates: ['TX']
			});
		});

		it('includes a provider exactly at the edge and excludes one just past it', async () => {
			// Salina's tie point is due north of this origin: distance = radius × latitude difference.
			const degrees = 1;
			const miles = (degrees * Math.PI * EARTH_RADIUS_MILES) / 180;
			const origin = { lat: 38.8403 - degrees, lng: -97.6114 };
			const names = async (radiusMiles: number) =>
				(await searchNear(ctx.db, { page: 1, pageSize: 100 }, { ...origin, radiusMiles })).results
					.map((r) => r.name)
					.filter((n) => n.startsWith('Tie'));
			expect(await names(miles + 0.01)).toEqual(['Tie Aspen', 'Tie Birch', 'Tie Cedar']);
			expect(await names(miles - 0.01)).toEqual([]);
		});

		it('uses the providers_earth_idx GiST index for the radius query', async () => {
			const seen: { query: string; params: unknown[] }[] = [];
			const logger: Logger = { logQuery: (query, params) => seen.push({ query, params }) };
			const session = ctx.db._.session as unknown as { logger: Logger };
			const original = session.logger;
			session.logger = logger;
			// The count runs in its own transaction (a planner setting): log what runs there too.
			const db = ctx.db as unknown as { transaction: Database['transaction'] };
			const transaction = db.transaction;
			db.transaction = ((run, config) =>
				transaction.call(
					ctx.db,
					(tx) => {
						(tx._.session as unknown as { logger: Logger }).logger = logger;
						return run(tx);
					},
					config
				)) as Database['transaction'];
			try {
				await searchNear(
					ctx.db,
					{ route: 'iv', page: 1, pageSize: 20 },
					{ lat: 30.2713, lng: -97.7426, radiusMiles: 25 }
				);
			} finally {
				session.logger = original;
				db.transaction = transaction;
			}
			const radiusQueries = seen.filter((q) => q.query.includes('earth_box'));
			// The count and the page of rows.
			expect(radiusQueries).toHaveLength(2);

			const plans = await ctx.db.transaction(async (tx) => {
				await tx.execute(sql`set local enable_seqscan = off`);
				const out: string[] = [];
				for (const { query, params } of radiusQueries) {
					const rows = await selectRows<{ 'QUERY PLAN': string }>(
						tx,
						sql`explain ${bind(query, params)}`
					);
					out.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
				}
				return out;
			});
			for (const plan of plans) {
				expect(plan).toMatch(/(Index Scan using|Bitmap Index Scan on) providers_earth_idx/);
			}
		});
	});

	describe('telehealth licensed in the searcher’s state', () => {
		/** Licensed there, and offering a route taken at home (decision 001). */
		function expectedTelehealth(state: StateCode): string[] {
			return FIXTURES.filter(
				(f) =>
					f.status === 'published' &&
					f.kinds.includes('telehealth') &&
					f.telehealthStates.includes(state) &&
					f.routes.some(givenAtHome)
			)
				.map((f) => f.name)
				.sort();
		}

		it('lists the services licensed in the state of a typed place or of the browser’s position', async () => {
			const austin = geocode('Austin, TX');
			const denver = resolveOrigin({ lat: 39.7392, lng: -104.9903 });
			expect(austin.ok && austin.place.state).toBe('TX');
			expect(denver.ok && denver.origin?.state).toBe('CO');
			for (const state of ['TX', 'CO'] as const) {
				const { total, results } = await search(ctx.db, {
					state,
					telehealth: true,
					page: 1,
					pageSize: 100
				});
				expect(results.map((r) => r.name)).toEqual(expectedTelehealth(state));
				expect(total).toBe(expectedTelehealth(state).length);
				for (const r of results) expect(r.telehealthStates).toContain(state);
			}
			const tx = (await search(ctx.db, { state: 'TX', telehealth: true, page: 1, pageSize: 100 }))
				.results;
			const names = tx.map((r) => r.name);
			expect(names).toEqual(expect.arrayContaining(['Remote Hybrid TX', 'Remote Licensed TX']));
			expect(names).not.toContain('Remote Located TX');
			expect(names).not.toContain('Remote Pending TX');
		});

		it('lists, for every state, exactly the published services licensed there', async () => {
			let listed = 0;
			let leftOut = 0;
			for (const state of STATE_CODES) {
				const { total, results } = await search(ctx.db, {
					state,
					telehealth: true,
					page: 1,
					pageSize: 100
				});
				const expected = expectedTelehealth(state);
				expect(
					results.map((r) => r.name),
					state
				).toEqual(expected);
				expect(total, state).toBe(expected.length);
				listed += expected.length;
				leftOut += FIXTURES.filter(
					(f) => f.kinds.includes('telehealth') && !expected.includes(f.name)
				).length;
			}
			expect(listed).toBeGreaterThan(50);
			expect(leftOut).toBeGreaterThan(1000);
		});
	});
});

/** A logged statement with its `$n` placeholders bound again, to run it under EXPLAIN. */
function bind(query: string, params: unknown[]): SQL {
	const parts = query.split(/\$(\d+)/);
	return sql.join(
		parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`))
	);
}

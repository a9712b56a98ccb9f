import { performance } from 'node:perf_hooks';
import { toStateCode, type StateCode } from '../../src/lib/domain/states';
import { mulberry32 as prng } from '../../src/lib/domain/random';
import { providerFiltersSchema, statePageSchema } from '../../src/lib/schemas/filters';
import { parseQuery } from '../../src/lib/schemas/query';
import type { Database } from '../../src/lib/server/db/index';
import { hasDemoData } from '../../src/lib/server/demo';
import * as editorialNotes from '../../src/lib/server/editorial-notes';
import * as map from '../../src/lib/server/map';
import * as providers from '../../src/lib/server/providers';
import { comments } from '../../src/lib/server/rating-comments';
import { loadSearchPage } from '../../src/lib/server/search-page';
import { nth, randomOf, zips } from './generate';

/**
 * In-process timings against the benchmark's database: the server does not expose its SQL time,
 * so each page's server-side work (the functions its load calls, SQL and row mapping) is timed
 * here, and the near-search statements one by one.
 */

export interface Stats {
	n: number;
	/** The first call: caches (plans, the coverage matrix, the map index) still cold. */
	first: number;
	p50: number;
	p95: number;
	max: number;
}

export function percentile(sorted: readonly number[], p: number) {
	return nth(sorted, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1));
}

export function stats(first: number, xs: number[]): Stats {
	const sorted = [...xs].sort((a, b) => a - b);
	return {
		n: xs.length,
		first,
		p50: percentile(sorted, 50),
		p95: percentile(sorted, 95),
		max: sorted.at(-1) ?? 0
	};
}

async function timed(run: (i: number) => Promise<unknown>, samples: number): Promise<Stats> {
	let t = performance.now();
	await run(0);
	const first = performance.now() - t;
	const xs: number[] = [];
	for (let i = 1; i <= samples; i++) {
		t = performance.now();
		await run(i);
		xs.push(performance.now() - t);
	}
	return stats(first, xs);
}

export interface PageInputs {
	zips: string[];
	states: StateCode[];
	heavySlug: string;
	unratedSlug: string;
}

function state(code: string): StateCode {
	const s = toStateCode(code);
	if (!s) throw new Error(`no state ${code}`);
	return s;
}

/** The server-side time of each page's load (the layout's demo check included), per page. */
export async function pageLoadTimes(db: Database, inputs: PageInputs, samples: number) {
	const zip = (i: number) => nth(inputs.zips, i % inputs.zips.length);
	const page = (query: string) => async () =>
		Promise.all([hasDemoData(db), loadSearchPage(db, new URLSearchParams(query))]);
	const profile = (slug: string) => async () => {
		await hasDemoData(db);
		const p = await providers.getBySlug(db, slug);
		if (!p) throw new Error(`no provider ${slug}`);
		await Promise.all([comments(db, p.id, 1), editorialNotes.activeFor(db, p.id)]);
	};
	const statePage = async (i: number) => {
		const code = nth(inputs.states, i % inputs.states.length);
		const q = parseQuery(statePageSchema, new URLSearchParams());
		if (!q.ok) throw new Error('state page query');
		const { tpage, page: p, ...filters } = q.data;
		await Promise.all([
			hasDemoData(db),
			providers.stateCounts(db, code, filters),
			providers.search(db, { ...filters, state: code, telehealth: false, page: p, pageSize: 20 }),
			providers.search(db, { ...filters, state: code, telehealth: true, page: tpage, pageSize: 20 })
		]);
	};
	const api = parseQuery(providerFiltersSchema, new URLSearchParams('state=CA&pageSize=100'));
	if (!api.ok) throw new Error('api query');
	const pages: Record<string, (i: number) => Promise<unknown>> = {
		'/': page(''),
		'/?near=<zip>&radius=50': (i) => page(`near=${zip(i)}&radius=50`)(),
		'/?near=<zip>&radius=250': (i) => page(`near=${zip(i)}&radius=250`)(),
		'/?state=TX&route=iv': page('state=TX&route=iv'),
		'/states': () => Promise.all([hasDemoData(db), providers.coverage(db)]),
		'/states/<code>': statePage,
		'/providers/<5,000 ratings>': profile(inputs.heavySlug),
		'/providers/<no ratings>': profile(inputs.unratedSlug),
		'/api/providers?state=CA&pageSize=100': () =>
			providers.search(db, { ...api.data, state: state('CA') })
	};
	const out: Record<string, Stats> = {};
	for (const [name, run] of Object.entries(pages)) out[name] = await timed(run, samples);
	return out;
}

/** Today's near-search statements, one at a time: the nearest page (KNN) and the capped count. */
export async function nearStatements(db: Database, queries: number) {
	const rand = prng(11);
	const radii = [10, 25, 50, 100, 250];
	const filters = { page: 1, pageSize: 20 };
	for (let i = 0; i < 20; i++) {
		const z = randomOf(zips, rand());
		await providers.searchNear(db, filters, { lat: z.latitude, lng: z.longitude, radiusMiles: 50 });
	}
	const page: number[] = [];
	const counted: number[] = [];
	const whole: number[] = [];
	for (let i = 0; i < queries; i++) {
		const z = randomOf(zips, rand());
		const near = { lat: z.latitude, lng: z.longitude, radiusMiles: nth(radii, i % radii.length) };
		let t = performance.now();
		await providers.nearPage(db, filters, near);
		page.push(performance.now() - t);
		t = performance.now();
		await providers.countNear(db, filters, near);
		counted.push(performance.now() - t);
		t = performance.now();
		await providers.searchNear(db, filters, near);
		whole.push(performance.now() - t);
	}
	return {
		queries,
		page: stats(nth(page, 0), page),
		count: stats(nth(counted, 0), counted),
		searchNear: stats(nth(whole, 0), whole)
	};
}

/** A 1280×800 px viewport centred on a point at a zoom, in Web Mercator like Leaflet. */
export function viewport(lat: number, lng: number, zoom: number): [number, number, number, number] {
	const scale = 256 * 2 ** zoom;
	const x = ((lng + 180) / 360) * scale;
	const s = Math.sin((lat * Math.PI) / 180);
	const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale;
	const toLng = (px: number) => (px / scale) * 360 - 180;
	const toLat = (py: number) =>
		(Math.atan(Math.sinh(Math.PI * (1 - (2 * py) / scale))) * 180) / Math.PI;
	const clamp = (v: number, l: number) => Math.max(-l, Math.min(l, v));
	return [
		clamp(toLng(x - 640), 180),
		clamp(toLat(y + 400), 85),
		clamp(toLng(x + 640), 180),
		clamp(toLat(y - 400), 85)
	];
}

/** The query ProviderMap sends for a viewport (bbox to four decimals, whole zoom). */
export function mapQuery(lat: number, lng: number, zoom: number) {
	return `bbox=${viewport(lat, lng, zoom)
		.map((n) => n.toFixed(4))
		.join(',')}&zoom=${zoom}`;
}

/** /api/map answers in-process: the index build, and the largest JSON at each zoom 3–18. */
export async function mapPayloads(db: Database, perZoom: number) {
	const rand = prng(13);
	map.invalidateMapCache();
	const t = performance.now();
	await map.clusters(db, {}, [-180, -85, 180, 85], 3);
	const indexMs = performance.now() - t;
	const byZoom: { zoom: number; maxBytes: number; maxFeatures: number }[] = [];
	for (let zoom = 3; zoom <= 18; zoom++) {
		let maxBytes = 0;
		let maxFeatures = 0;
		for (let i = 0; i < perZoom; i++) {
			const z = randomOf(zips, rand());
			const fc = await map.clusters(db, {}, viewport(z.latitude, z.longitude, zoom), zoom);
			maxBytes = Math.max(maxBytes, Buffer.byteLength(JSON.stringify(fc)));
			maxFeatures = Math.max(maxFeatures, fc.features.length);
		}
		byZoom.push({ zoom, maxBytes, maxFeatures });
	}
	return { indexMs, byZoom, maxBytes: Math.max(...byZoom.map((z) => z.maxBytes)) };
}

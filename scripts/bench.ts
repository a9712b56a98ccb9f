/**
 * `npm run bench`: national-scale figures on a generated directory.
 *
 *   BENCH_PROVIDERS=100000   how many providers to generate (default 100,000)
 *   BENCH_DATABASE_URL=...   also run on PostgreSQL: in a scratch database made on that server, dropped after
 *   BENCH_BROWSER=false      skip the Chromium first-render measurement
 *
 * Budgets (issue 3): near-search SQL p95 ≤ 5 ms; /api/map ≤ 40 kB at every zoom; first
 * clustered render ≤ 300 ms. Exits non-zero when a budget is missed.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database, type DatabaseHandle } from '../src/lib/server/db/index';
import { providerRoutes, providers, providerTelehealthStates } from '../src/lib/server/db/schema';
import * as map from '../src/lib/server/map';
import { countNear, nearPage, searchNear } from '../src/lib/server/providers';
import { mulberry32 as prng } from '../src/lib/domain/random';
import { STATE_CODES, type StateCode } from '../src/lib/domain/states';
import type { ProviderKind } from '../src/lib/domain/kinds';
import { usZipEntries } from '../src/lib/server/zipcodes';
import { chromiumLaunchOptions } from '../tests/chromium';
import { createScratchDatabase } from '../tests/helpers/databases';
import type { RouteCode } from '../src/lib/domain/routes';

const N = Number(process.env.BENCH_PROVIDERS ?? 100_000);
const QUERIES = 300;
const BUDGET = { nearP95Ms: 5, mapBytes: 40_000, firstRenderMs: 300 };
const DATA_DIR = resolve('test-results/bench-data');

const zips = usZipEntries();

/** The item at `index`; the benchmark's lists are never shorter than its indexes. */
function nth<T>(items: readonly T[], index: number): T {
	const item = items[index];
	if (item === undefined) throw new Error(`No item ${index} in a list of ${items.length}`);
	return item;
}

/** A random item, `r` in [0, 1). */
const randomOf = <T>(items: readonly T[], r: number) => nth(items, Math.floor(r * items.length));

async function generate(db: Database) {
	const rand = prng(7);
	const pick = <T>(xs: readonly T[]) => randomOf(xs, rand());
	const started = performance.now();
	const BATCH = 2000;
	for (let offset = 0; offset < N; offset += BATCH) {
		const rows: (typeof providers.$inferInsert)[] = [];
		const meta: { routes: RouteCode[]; licensed: StateCode[] }[] = [];
		for (let i = offset; i < Math.min(N, offset + BATCH); i++) {
			const z = pick(zips);
			const roll = rand();
			const telehealth = roll > 0.95;
			const kinds: ProviderKind[] = telehealth
				? ['telehealth']
				: roll < 0.6
					? ['clinic']
					: roll < 0.75
						? ['spravato']
						: ['kap'];
			const routes: RouteCode[] = telehealth
				? ['troche', 'rdt']
				: kinds[0] === 'clinic'
					? rand() < 0.4
						? ['iv', 'im']
						: ['iv']
					: kinds[0] === 'spravato'
						? ['esketamine']
						: ['troche'];
			rows.push({
				slug: `bench-${i}`,
				name: `Bench Provider ${i}`,
				kinds,
				city: z.city,
				state: z.state,
				zip: z.zip,
				lat: z.latitude + (rand() - 0.5) * 0.05,
				lng: z.longitude + (rand() - 0.5) * 0.05,
				status: 'published' as const,
				isDemo: true
			});
			meta.push({
				routes,
				licensed: telehealth ? STATE_CODES.filter(() => rand() < 0.4) : []
			});
		}
		await db.transaction(async (tx) => {
			const ids = await tx.insert(providers).values(rows).returning({ id: providers.id });
			await tx.insert(providerRoutes).values(
				ids.flatMap(({ id }, k) =>
					nth(meta, k).routes.map((route) => ({
						providerId: id,
						route,
						priceMin: 300,
						priceMax: 600
					}))
				)
			);
			const licences = ids.flatMap(({ id }, k) =>
				nth(meta, k).licensed.map((state) => ({ providerId: id, state }))
			);
			if (licences.length) await tx.insert(providerTelehealthStates).values(licences);
		});
	}
	await db.execute(sql`analyze`);
	return performance.now() - started;
}

function percentile(values: number[], p: number) {
	const sorted = [...values].sort((a, b) => a - b);
	return nth(sorted, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1));
}

async function benchNear(db: Database) {
	const rand = prng(11);
	const radii = [10, 25, 50, 100, 250];
	const filters = { page: 1, pageSize: 20 };
	// Warm-up: plans, caches, the WASM JIT.
	for (let i = 0; i < 20; i++) {
		const z = randomOf(zips, rand());
		await searchNear(db, filters, { lat: z.latitude, lng: z.longitude, radiusMiles: 50 });
	}
	const whole: number[] = [];
	const page: number[] = [];
	const counted: number[] = [];
	let results = 0;
	for (let i = 0; i < QUERIES; i++) {
		const z = randomOf(zips, rand());
		const near = { lat: z.latitude, lng: z.longitude, radiusMiles: nth(radii, i % radii.length) };
		let t = performance.now();
		await nearPage(db, filters, near);
		page.push(performance.now() - t);
		t = performance.now();
		await countNear(db, filters, near);
		counted.push(performance.now() - t);
		t = performance.now();
		const r = await searchNear(db, filters, near);
		whole.push(performance.now() - t);
		results += r.results.length;
	}
	const stats = (xs: number[]) => ({
		p50: percentile(xs, 50),
		p95: percentile(xs, 95),
		max: Math.max(...xs)
	});
	return { page: stats(page), count: stats(counted), whole: stats(whole), results };
}

/** A 1280×800 px viewport centred on a point at a zoom, in Web Mercator like Leaflet. */
function viewport(lat: number, lng: number, zoom: number): [number, number, number, number] {
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

async function benchMap(db: Database) {
	const rand = prng(13);
	map.invalidateMapCache();
	const t = performance.now();
	await map.clusters(db, {}, [-180, -85, 180, 85], 3);
	const buildMs = performance.now() - t;
	const byZoom: { zoom: number; maxBytes: number; maxFeatures: number }[] = [];
	for (let zoom = 3; zoom <= 18; zoom++) {
		let maxBytes = 0;
		let maxFeatures = 0;
		for (let i = 0; i < 40; i++) {
			const z = randomOf(zips, rand());
			const fc = await map.clusters(db, {}, viewport(z.latitude, z.longitude, zoom), zoom);
			maxBytes = Math.max(maxBytes, Buffer.byteLength(JSON.stringify(fc)));
			maxFeatures = Math.max(maxFeatures, fc.features.length);
		}
		byZoom.push({ zoom, maxBytes, maxFeatures });
	}
	return { buildMs, byZoom };
}

async function waitFor(url: string, ms: number) {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`${url} did not answer within ${ms} ms`);
}

async function benchBrowser() {
	if (!existsSync('build/index.js'))
		throw new Error('Run `npx vite build` first (build/ is missing).');
	const port = 4399;
	const server = spawn('node', ['build'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR,
			DATABASE_URL: '',
			SEED_DEMO: 'false',
			PUBLIC_TILE_URL: ''
		},
		stdio: 'ignore'
	});
	try {
		await waitFor(`http://127.0.0.1:${port}/healthz`, 60_000);
		const { chromium } = await import('@playwright/test');
		const browser = await chromium.launch(chromiumLaunchOptions);
		const runs: { mapMs: number; navigationMs: number }[] = [];
		for (let i = 0; i < 6; i++) {
			const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
			const page = await context.newPage();
			await page.route('**/*', (route) =>
				route.request().url().startsWith(`http://127.0.0.1:${port}`)
					? route.continue()
					: route.abort()
			);
			await page.goto(`http://127.0.0.1:${port}/`);
			const el = page.locator('[data-first-render-ms]');
			await el.waitFor({ timeout: 30_000 });
			const mapMs = Number(await el.getAttribute('data-first-render-ms'));
			const navigationMs = await page.evaluate(() => performance.now());
			runs.push({ mapMs, navigationMs: Math.round(navigationMs) });
			await context.close();
		}
		await browser.close();
		// The first run warms the server's cluster index; report the rest.
		const warm = runs.slice(1);
		return {
			cold: nth(runs, 0),
			median: percentile(
				warm.map((r) => r.mapMs),
				50
			),
			max: Math.max(...warm.map((r) => r.mapMs))
		};
	} finally {
		server.kill();
	}
}

async function run(label: string, open: () => Promise<DatabaseHandle>) {
	// A new database every time (the PGlite directory is removed first; PostgreSQL gets a scratch
	// database): nothing to empty, and the append-only audit log refuses TRUNCATE anyway.
	const handle = await open();
	console.log(`\n## ${label}: generating ${N.toLocaleString('en-US')} providers…`);
	const genMs = await generate(handle.db);
	console.log(`generated in ${(genMs / 1000).toFixed(1)} s`);
	const near = await benchNear(handle.db);
	const fmt = (s: { p50: number; p95: number; max: number }) =>
		`p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms, max ${s.max.toFixed(2)} ms`;
	console.log(`near search, ${QUERIES} random ZIPs, radius 10–250 mi:`);
	console.log(`  nearest-page SQL (KNN, 20 rows):       ${fmt(near.page)}`);
	console.log(`  count SQL (capped at 201):             ${fmt(near.count)}`);
	console.log(`  searchNear (both + routes/licences):   ${fmt(near.whole)}`);
	const m = await benchMap(handle.db);
	console.log(
		`map: supercluster index built in ${m.buildMs.toFixed(0)} ms (cached per filter set)`
	);
	for (const z of m.byZoom)
		console.log(
			`  zoom ${String(z.zoom).padStart(2)}: max ${(z.maxBytes / 1000).toFixed(1)} kB, ${z.maxFeatures} features`
		);
	const mapMax = Math.max(...m.byZoom.map((z) => z.maxBytes));
	await handle.close();
	return { near, mapMax };
}

const failures: string[] = [];
rmSync(DATA_DIR, { recursive: true, force: true });
const pglite = await run('PGlite', () => openDatabase({ dataDir: DATA_DIR }));
for (const part of ['page', 'count'] as const) {
	const p95 = pglite.near[part].p95;
	if (p95 > BUDGET.nearP95Ms) failures.push(`PGlite near ${part} SQL p95 ${p95.toFixed(2)} ms`);
}
if (pglite.mapMax > BUDGET.mapBytes)
	failures.push(`map payload ${pglite.mapMax} B > ${BUDGET.mapBytes} B`);

if (process.env.BENCH_DATABASE_URL) {
	const scratch = await createScratchDatabase(process.env.BENCH_DATABASE_URL, 'bench');
	const pg = await run('PostgreSQL', () => openDatabase({ url: scratch.url })).finally(() =>
		scratch.drop()
	);
	for (const part of ['page', 'count'] as const) {
		const p95 = pg.near[part].p95;
		if (p95 > BUDGET.nearP95Ms)
			failures.push(`PostgreSQL near ${part} SQL p95 ${p95.toFixed(2)} ms`);
	}
}

if (process.env.BENCH_BROWSER !== 'false') {
	const b = await benchBrowser();
	console.log(
		`\nfirst clustered render in Chromium (map mount → first markers, 1280×900, whole US): cold ${b.cold.mapMs} ms, warm median ${b.median} ms, max ${b.max} ms`
	);
	if (b.max > BUDGET.firstRenderMs)
		failures.push(`first clustered render ${b.max} ms > ${BUDGET.firstRenderMs} ms`);
}

console.log(failures.length ? `\nOver budget:\n- ${failures.join('\n- ')}` : '\nAll budgets met.');
process.exit(failures.length ? 1 : 0);

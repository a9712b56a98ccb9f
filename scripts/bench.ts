/**
 * `npm run bench`: the directory at national scale, over HTTP (issue 12).
 *
 *   npm run bench                      PGlite (embedded), 100,000 providers / 100,000 ratings
 *   BENCH_DATABASE_URL=postgres://… npm run bench
 *                                      PostgreSQL: a scratch database kd_bench_* made on that
 *                                      server and dropped after; 100,000 providers / 1,000,000 ratings
 *   --quick                            10,000 providers / 100,000 ratings, 3 s per endpoint (< 3 min)
 *   --pglite                           PGlite even when BENCH_DATABASE_URL is set
 *   --providers=N --ratings=N          other sizes
 *   --duration=S                       seconds of load per endpoint (default 10, quick 3, PGlite 12)
 *   BENCH_PORT                         the server's port (default 5350)
 *   BENCH_BROWSER=true                 also time the first clustered map render in Chromium
 *
 * It generates the data, rebuilds every rating aggregate with the app's recomputeAll (timed: the
 * `npm run feedback:recompute` figure), times SQL in-process, starts `node build`, drives it with
 * autocannon (a process of its own) at 50 connections, verifies the aggregates after the rating
 * writes, prints every figure with its budget, writes them all to bench/results/, and exits
 * non-zero when a budget is missed.
 */
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/index';
import { providers } from '../src/lib/server/db/schema';
import { recomputeAll } from '../src/lib/server/feedback';
import { STATE_CODES } from '../src/lib/domain/states';
import { generate, HEAVY_RATINGS, nth, randomOf, zips } from './bench/generate';
import { runLoad, settle, type LoadResult, type LoadSpec } from './bench/load';
import {
	checkTable,
	endpointTable,
	writeResults,
	type Check,
	type EndpointRow
} from './bench/report';
import { firstMapRender } from './bench/browser';
import { build, startServer } from './bench/server';
import { mapPayloads, mapQuery, nearStatements, pageLoadTimes } from './bench/sql';
import { verifyAggregates } from './bench/verify';
import { homeWeight } from './bench/web';
import { HOME_JS_BUDGET } from '../tests/helpers/js-weight';
import { mulberry32 as prng } from '../src/lib/domain/random';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const unknown = args.filter(
	(a) => !/^--(quick|pglite|providers=\d+|ratings=\d+|duration=\d+(\.\d+)?)$/.test(a)
);
if (unknown.length) {
	console.error(`Unknown option ${unknown.join(' ')}; see the top of scripts/bench.ts.`);
	process.exit(2);
}

const quick = flag('quick');
const adminUrl = flag('pglite') ? undefined : process.env.BENCH_DATABASE_URL?.trim() || undefined;
const kind = adminUrl ? 'postgres' : 'pglite';
const size = {
	providers: Number(value('providers') ?? (quick ? 10_000 : 100_000)),
	ratings: Number(value('ratings') ?? (quick ? 100_000 : kind === 'postgres' ? 1_000_000 : 100_000))
};
// On PGlite the budget is "no request over 10 s": a run shorter than that could not see one finish.
const DURATION = Number(value('duration') ?? (kind === 'pglite' ? 12 : quick ? 3 : 10));
const WARMUP = quick ? 20 : 30;
const CONNECTIONS = 50;
const PORT = Number(process.env.BENCH_PORT ?? 5350);
const DATA_DIR = resolve('test-results/bench-data');
const sizeLabel = `${size.providers / 1000}k-${size.ratings / 1000}k${quick ? '-quick' : ''}`;

const BUDGET = {
	pageRatio: 0.1,
	statesRatio: 0.2,
	pageP95Ms: 100,
	nearSqlP95Ms: 5,
	mapBytes: 40_000,
	mapP95Ms: 30,
	randomWritesPerSec: 300,
	oneProviderWritesPerSec: 100,
	recomputeMs: 60_000,
	rssBytes: 400 * 1024 * 1024,
	coldStartMs: 2000,
	pgliteMaxMs: 10_000,
	jsGzipBytes: HOME_JS_BUDGET,
	firstRenderMs: 300
};

/** Marks a measurement of first renders (no kept copy can answer), reported without a budget. */
const UNCACHED = '200 ZIPs, first renders';

const phases: Record<string, number> = {};
/** A latency, or why there is none. */
const msText = (ms: number) => (Number.isNaN(ms) ? 'none completed' : `${ms.toFixed(1)} ms`);
/** The machine is shared: its load average goes into the results beside every figure. */
const load = () => loadavg().map((l) => Number(l.toFixed(2)));
const loadAtStart = load();
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
	const t = performance.now();
	console.log(`\n… ${name}`);
	try {
		return await run();
	} finally {
		phases[name] = performance.now() - t;
		console.log(`  ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
	}
}

/** A database made for this run on the server at `adminUrl`: kd_bench_<time>, dropped after. */
async function scratchDatabase(url: string) {
	const name = `kd_bench_${Date.now().toString(36)}_${process.pid}`;
	const admin = postgres(url, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	const scratch = new URL(url);
	scratch.pathname = `/${name}`;
	return {
		name,
		url: scratch.toString(),
		async drop() {
			try {
				await admin.unsafe(`drop database if exists "${name}" with (force)`);
			} finally {
				await admin.end({ timeout: 5 });
			}
		}
	};
}

const started = performance.now();
console.log(
	`Benchmark on ${kind}: ${size.providers.toLocaleString('en-US')} providers, ${size.ratings.toLocaleString('en-US')} ratings, ${CONNECTIONS} connections, ${DURATION} s per endpoint${quick ? ' (quick)' : ''}.`
);
await phase('build (skipped when build/ matches the sources)', () => Promise.resolve(build()));

const scratch = adminUrl ? await scratchDatabase(adminUrl) : undefined;
if (!scratch) rmSync(DATA_DIR, { recursive: true, force: true });
const open = (): Promise<DatabaseHandle> =>
	scratch ? openDatabase({ url: scratch.url }) : openDatabase({ dataDir: DATA_DIR });

const failures: string[] = [];
const checks: Check[] = [];
const check = (name: string, value: string, budget: string, pass: boolean) => {
	checks.push({ name, value, budget, pass });
	if (!pass) failures.push(`${name}: ${value} (budget ${budget})`);
};

try {
	let handle = await open();
	const data = await phase('generate providers and ratings', () =>
		generate(handle.db, { ...size, postgresUrl: scratch?.url })
	);
	console.log(
		`  ${data.providers.toLocaleString('en-US')} providers in ${(data.providersMs / 1000).toFixed(1)} s; ${data.ratings.toLocaleString('en-US')} ratings (+${data.conditions.toLocaleString('en-US')} conditions) in ${(data.ratingsMs / 1000).toFixed(1)} s; ${data.providersWithRatings.toLocaleString('en-US')} providers rated, ${data.heavySlug} has ${HEAVY_RATINGS}, the next most ${data.maxOtherRatings}`
	);
	const recompute = await phase('recompute every aggregate (recomputeAll)', async () => {
		const t = performance.now();
		const n = await recomputeAll(handle.db);
		const ms = performance.now() - t;
		await handle.db.execute(sql`analyze`);
		return { providers: n, ms };
	});
	const [heavy] = await handle.db
		.select({ id: providers.id })
		.from(providers)
		.where(eq(providers.slug, data.heavySlug));
	if (!heavy) throw new Error('the heavy provider is missing');

	const samples = quick ? 20 : 60;
	const inputs = {
		zips: data.sampleZips,
		states: [...STATE_CODES],
		heavySlug: data.heavySlug,
		unratedSlug: data.unratedSlug
	};
	const near = await phase('near-search SQL, in-process', () =>
		nearStatements(handle.db, quick ? 100 : 300)
	);
	const pages = await phase('server time per page, in-process', () =>
		pageLoadTimes(handle.db, inputs, samples)
	);
	const mapSizes = await phase('/api/map payloads, in-process', () =>
		mapPayloads(handle.db, quick ? 15 : 40)
	);
	await handle.close();

	const server = await phase('start node build', () =>
		startServer({
			port: PORT,
			env: scratch ? { DATABASE_URL: scratch.url } : { DATABASE_URL: '', DATA_DIR }
		})
	);
	const endpoints: EndpointRow[] = [];
	let web: Awaited<ReturnType<typeof homeWeight>> | undefined;
	let rss = { peak: 0, sampled: 0 };
	let browser: Awaited<ReturnType<typeof firstMapRender>> | undefined;
	try {
		web = await homeWeight(server.baseUrl);
		if (process.env.BENCH_BROWSER === 'true')
			browser = await phase('first map render in Chromium', () => firstMapRender(server.baseUrl));
		const base = {
			baseUrl: server.baseUrl,
			connections: CONNECTIONS,
			durationSeconds: DURATION,
			warmupRequests: WARMUP,
			timeoutSeconds: 30
		};
		const rand = prng(29);
		const mapPaths = (zoom: number) =>
			Array.from({ length: 100 }, () => {
				const z = zoom <= 4 ? { latitude: 39.5, longitude: -98.35 } : randomOf(zips, rand());
				const jitter = zoom <= 4 ? (rand() - 0.5) * 6 : 0;
				return `/api/map?${mapQuery(z.latitude + jitter / 2, z.longitude + jitter, zoom)}`;
			});
		const near = (radius: number) => data.sampleZips.map((z) => `/?near=${z}&radius=${radius}`);
		const gets: [string, string[]][] = [
			['static /robots.txt (baseline)', ['/robots.txt']],
			['/', ['/']],
			// As budgeted: one place searched again and again (a popular ZIP)…
			['/?near=<zip>&radius=50', near(50).slice(0, 1)],
			['/?near=<zip>&radius=250', near(250).slice(0, 1)],
			// …and, reported without a budget, what a render costs: 200 places, each new.
			[`/?near=<zip>&radius=50, ${UNCACHED}`, near(50)],
			['/?state=TX&route=iv', ['/?state=TX&route=iv']],
			['/states', ['/states']],
			['/states/<code>', STATE_CODES.map((s) => `/states/${s.toLowerCase()}`)],
			[`/providers/<${HEAVY_RATINGS} ratings>`, [`/providers/${data.heavySlug}`]],
			['/providers/<no ratings>', [`/providers/${data.unratedSlug}`]],
			['/api/providers?state=CA&pageSize=100', ['/api/providers?state=CA&pageSize=100']],
			['/api/map zoom 4', mapPaths(4)],
			['/api/map zoom 8', mapPaths(8)],
			['/api/map zoom 12', mapPaths(12)]
		];
		const keyPrefix = `bench${Date.now().toString(36)}`;
		const writes: [string, LoadSpec][] = [
			[
				'POST rating, random providers',
				{
					...base,
					kind: 'rating',
					slugs: Array.from(
						{ length: 5000 },
						(_, i) => `bench-${Math.floor((i * 7919) % size.providers)}`
					),
					keyPrefix: `${keyPrefix}r`,
					addressOctet: 11
				}
			],
			[
				`POST rating, one provider (${HEAVY_RATINGS} ratings)`,
				{
					...base,
					kind: 'rating',
					slugs: [data.heavySlug],
					keyPrefix: `${keyPrefix}o`,
					addressOctet: 12
				}
			]
		];
		await phase('HTTP load', async () => {
			let baseline = 0;
			const record = (name: string, path: string, result: LoadResult) => {
				if (!baseline) baseline = result.okPerSec;
				endpoints.push({ name, path, result, ratio: baseline ? result.okPerSec / baseline : 0 });
				console.log(
					`  ${name}: ${result.okPerSec.toFixed(0)} 2xx/s, p95 ${msText(result.p95)}, ${result.errors} errors`
				);
			};
			for (const [name, paths] of gets) {
				record(name, nth(paths, 0), await runLoad({ ...base, kind: 'get', paths }));
				await settle(server.baseUrl);
			}
			for (const [name, spec] of writes) {
				record(name, '/api/providers/<slug>/ratings', await runLoad(spec));
				await settle(server.baseUrl);
			}
		});
		rss = { peak: server.peakRss(), sampled: server.sampledPeakRss() };
	} finally {
		const code = await server.stop();
		console.log(`  the server exited with ${code}`);
	}

	handle = await open();
	const verification = await phase('verify aggregates after the writes', () =>
		verifyAggregates(handle.db)
	);
	await handle.close();

	// ---- budgets ------------------------------------------------------------------------------
	const row = (name: string) => endpoints.find((e) => e.name === name);
	const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
	const pageNames = endpoints.filter(
		(e) =>
			e.path.startsWith('/') &&
			!e.path.startsWith('/api/map') &&
			!e.name.startsWith('POST') &&
			!e.name.startsWith('static') &&
			!e.name.endsWith(UNCACHED)
	);
	if (kind === 'postgres') {
		for (const e of pageNames) {
			const states = e.path.startsWith('/states');
			const min = states ? BUDGET.statesRatio : BUDGET.pageRatio;
			check(`${e.name}: throughput vs static`, pct(e.ratio), `≥ ${pct(min)}`, e.ratio >= min);
			check(
				`${e.name}: p95`,
				msText(e.result.p95),
				`≤ ${BUDGET.pageP95Ms} ms`,
				e.result.p95 <= BUDGET.pageP95Ms
			);
		}
		for (const part of ['page', 'count'] as const)
			check(
				`near-search SQL (${part}) p95`,
				`${near[part].p95.toFixed(2)} ms`,
				`≤ ${BUDGET.nearSqlP95Ms} ms`,
				near[part].p95 <= BUDGET.nearSqlP95Ms
			);
		for (const zoom of [4, 8, 12]) {
			const e = row(`/api/map zoom ${zoom}`);
			if (e)
				check(
					`/api/map zoom ${zoom}: p95`,
					msText(e.result.p95),
					`≤ ${BUDGET.mapP95Ms} ms`,
					e.result.p95 <= BUDGET.mapP95Ms
				);
		}
		const random = endpoints.find((e) => e.name.startsWith('POST rating, random'));
		const one = endpoints.find((e) => e.name.startsWith('POST rating, one'));
		if (random)
			check(
				'rating writes, random providers',
				`${random.result.okPerSec.toFixed(0)}/s`,
				`≥ ${BUDGET.randomWritesPerSec}/s`,
				random.result.okPerSec >= BUDGET.randomWritesPerSec
			);
		if (one)
			check(
				`rating writes, one provider with ${HEAVY_RATINGS}`,
				`${one.result.okPerSec.toFixed(0)}/s`,
				`≥ ${BUDGET.oneProviderWritesPerSec}/s`,
				one.result.okPerSec >= BUDGET.oneProviderWritesPerSec
			);
		check(
			'recompute every aggregate (feedback:recompute)',
			`${(recompute.ms / 1000).toFixed(1)} s`,
			`≤ ${BUDGET.recomputeMs / 1000} s`,
			recompute.ms <= BUDGET.recomputeMs
		);
		check(
			'server peak RSS (VmHWM)',
			`${(rss.peak / 2 ** 20).toFixed(0)} MB`,
			`≤ ${BUDGET.rssBytes / 2 ** 20} MB`,
			rss.peak > 0 && rss.peak <= BUDGET.rssBytes
		);
		check(
			'cold start to first 200 on /',
			`${server.coldStartMs.toFixed(0)} ms`,
			`≤ ${BUDGET.coldStartMs} ms`,
			server.coldStartMs <= BUDGET.coldStartMs
		);
	} else {
		for (const e of endpoints)
			check(
				`${e.name}: slowest request`,
				msText(e.result.max),
				`< ${BUDGET.pgliteMaxMs} ms`,
				e.result.max < BUDGET.pgliteMaxMs && e.result.timeouts === 0
			);
	}
	for (const e of endpoints)
		check(
			`${e.name}: errors`,
			`${e.result.errors} of ${e.result.requests}`,
			'0',
			e.result.errors === 0 && e.result.requests > 0
		);
	check(
		'/api/map largest answer, zoom 3–18',
		`${(mapSizes.maxBytes / 1000).toFixed(1)} kB`,
		`≤ ${BUDGET.mapBytes / 1000} kB`,
		mapSizes.maxBytes <= BUDGET.mapBytes
	);
	check(
		'aggregates exact after the writes',
		verification.method === 'not verified'
			? 'not verified'
			: `${verification.wrong.length} wrong of ${verification.checked} (${verification.method})`,
		'0 wrong',
		verification.method !== 'not verified' && verification.wrong.length === 0
	);
	if (browser)
		check(
			'first clustered map render in Chromium (warm max)',
			msText(browser.max),
			`≤ ${BUDGET.firstRenderMs} ms`,
			browser.max <= BUDGET.firstRenderMs
		);
	if (web) {
		check(
			'JavaScript before the map on / (gzip)',
			`${(web.jsGzip / 1000).toFixed(1)} kB in ${web.modules} modules`,
			`≤ ${BUDGET.jsGzipBytes / 1000} kB`,
			web.jsGzip <= BUDGET.jsGzipBytes && web.missing.length === 0
		);
		check('/ HTML compressed', web.htmlEncoding ?? 'none', 'gzip or br', web.htmlCompressed);
	}

	// ---- report -------------------------------------------------------------------------------
	const totalMs = performance.now() - started;
	const statsLine = (s: { first: number; p50: number; p95: number; max: number }) =>
		`first ${s.first.toFixed(1)}  p50 ${s.p50.toFixed(2)}  p95 ${s.p95.toFixed(2)}  max ${s.max.toFixed(1)} ms`;
	console.log(
		`\n## HTTP, ${CONNECTIONS} connections, ${DURATION} s each after ${WARMUP} warm-up requests (${kind}, ${sizeLabel}); latencies in ms, Accept-Encoding: gzip, br\n`
	);
	console.log(endpointTable(endpoints));
	console.log(
		`\n## Server time per page, in-process (the load functions: SQL and row mapping), ${samples} samples after a first call\n`
	);
	for (const [name, s] of Object.entries(pages)) console.log(`${name.padEnd(40)} ${statsLine(s)}`);
	console.log(`\n## Near-search SQL, ${near.queries} random ZIPs, radius 10–250 mi\n`);
	console.log(`nearest page (KNN, 20 rows)              ${statsLine(near.page)}`);
	console.log(`count (capped)                           ${statsLine(near.count)}`);
	console.log(`searchNear (both + routes/licences)      ${statsLine(near.searchNear)}`);
	console.log(
		`\n## /api/map: cluster index built in ${mapSizes.indexMs.toFixed(0)} ms; largest answer per zoom\n`
	);
	console.log(
		mapSizes.byZoom
			.map((z) => `z${z.zoom}: ${(z.maxBytes / 1000).toFixed(1)} kB/${z.maxFeatures}`)
			.join('  ')
	);
	console.log(`\n## Server\n`);
	console.log(
		`cold start to first 200 on /: ${server.coldStartMs.toFixed(0)} ms; peak RSS (VmHWM) ${(rss.peak / 2 ** 20).toFixed(0)} MB, highest sampled VmRSS ${(rss.sampled / 2 ** 20).toFixed(0)} MB`
	);
	if (web)
		console.log(
			`/: HTML ${web.htmlEncoding ?? 'uncompressed'}; JavaScript before the map ${(web.jsGzip / 1000).toFixed(1)} kB gzip (${(web.jsBytes / 1000).toFixed(1)} kB raw, ${web.modules} modules)`
		);
	if (browser)
		console.log(
			`first clustered map render in Chromium: cold ${msText(browser.cold)}, warm median ${msText(browser.median)}, max ${msText(browser.max)}`
		);
	console.log(
		`recomputeAll: ${recompute.providers.toLocaleString('en-US')} providers in ${(recompute.ms / 1000).toFixed(1)} s; verification: ${verification.method}, ${verification.checked} providers checked in ${(verification.ms / 1000).toFixed(1)} s`
	);
	console.log(`\n## Phases\n`);
	for (const [name, t] of Object.entries(phases))
		console.log(`${name.padEnd(50)} ${(t / 1000).toFixed(1)} s`);
	console.log(`${'whole run'.padEnd(50)} ${(totalMs / 1000).toFixed(1)} s`);
	console.log(
		`load average (1/5/15 min) at start ${loadAtStart.join(' ')}, at end ${load().join(' ')} (${cpus().length} cores)`
	);
	console.log(
		`\n## Budgets${kind === 'postgres' && (size.providers < 100_000 || size.ratings < 1_000_000) ? ' (the issue sets them at 100k providers / 1M ratings; this run is smaller)' : ''}\n`
	);
	console.log(checkTable(checks));

	const file = writeResults(kind, sizeLabel, {
		when: new Date().toISOString(),
		database: kind,
		quick,
		size,
		connections: CONNECTIONS,
		durationSeconds: DURATION,
		warmupRequests: WARMUP,
		generated: data,
		recompute,
		endpoints,
		pages,
		nearSql: near,
		map: mapSizes,
		server: {
			coldStartMs: server.coldStartMs,
			peakRssBytes: rss.peak,
			sampledPeakRssBytes: rss.sampled
		},
		web,
		browser,
		verification,
		loadAverage: { start: loadAtStart, end: load() },
		phasesMs: phases,
		totalMs,
		budgets: BUDGET,
		checks,
		pass: failures.length === 0
	});
	console.log(`\nResults: ${file}`);
} catch (err) {
	// First lines only: a failed statement's message carries every parameter.
	const first = (e: unknown) =>
		(e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 300);
	const cause = err instanceof Error && err.cause ? ` (${first(err.cause)})` : '';
	const message = `${first(err)}${cause}`;
	failures.push(`the benchmark did not finish: ${message}`);
	if (err instanceof Error) console.error(err.stack?.split('\n').slice(1, 6).join('\n'));
} finally {
	await scratch?.drop();
}

console.log(failures.length ? `\nOver budget:\n- ${failures.join('\n- ')}` : '\nAll budgets met.');
process.exit(failures.length ? 1 : 0);

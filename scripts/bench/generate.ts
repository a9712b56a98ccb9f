import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Database } from '../../src/lib/server/db/index';
import {
	providerRoutes,
	providers,
	providerTelehealthStates
} from '../../src/lib/server/db/schema';
import { CONDITION_CODES } from '../../src/lib/domain/conditions';
import type { ProviderKind } from '../../src/lib/domain/kinds';
import { mulberry32 as prng } from '../../src/lib/domain/random';
import type { RouteCode } from '../../src/lib/domain/routes';
import { STATE_CODES, type StateCode } from '../../src/lib/domain/states';
import { usZipEntries } from '../../src/lib/server/zipcodes';

/**
 * The benchmark's directory: providers as a national directory would hold them (real ZIP
 * coordinates, kinds, routes, telehealth licences) and patient ratings skewed as real ones are —
 * most providers have a few, a few have thousands, many have none.
 */

export const zips = usZipEntries();

/** The item at `index`; the benchmark's lists are never shorter than its indexes. */
export function nth<T>(items: readonly T[], index: number): T {
	const item = items[index];
	if (item === undefined) throw new Error(`No item ${index} in a list of ${items.length}`);
	return item;
}

/** A random item, `r` in [0, 1). */
export const randomOf = <T>(items: readonly T[], r: number) =>
	nth(items, Math.floor(r * items.length));

/** The provider whose profile carries exactly this many ratings (and takes the one-provider writes). */
export const HEAVY_RATINGS = 5000;
/** Share of providers with no rating at all. */
const UNRATED_SHARE = 0.4;
/** Zipf exponent of ratings per rated provider: top few in the thousands, median around ten. */
const ZIPF = 0.55;

export interface Generated {
	providers: number;
	ratings: number;
	conditions: number;
	/** The slug of the provider with HEAVY_RATINGS ratings. */
	heavySlug: string;
	/** An in-person provider with no rating. */
	unratedSlug: string;
	/** Most ratings any other provider has. */
	maxOtherRatings: number;
	providersWithRatings: number;
	/** ZIP codes that have providers, for near searches. */
	sampleZips: string[];
	providersMs: number;
	ratingsMs: number;
}

interface ProviderPlan {
	slug: string;
	routes: RouteCode[];
	inPerson: boolean;
	quality: number;
}

async function insertProviders(db: Database, n: number, rand: () => number) {
	const pick = <T>(xs: readonly T[]) => randomOf(xs, rand());
	const plans: ProviderPlan[] = [];
	const usedZips = new Set<string>();
	const BATCH = 2000;
	for (let offset = 0; offset < n; offset += BATCH) {
		const rows: (typeof providers.$inferInsert)[] = [];
		const meta: { routes: RouteCode[]; licensed: StateCode[] }[] = [];
		for (let i = offset; i < Math.min(n, offset + BATCH); i++) {
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
			if (!telehealth) usedZips.add(z.zip);
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
				offersPsychotherapy: rand() < 0.3
			});
			meta.push({ routes, licensed: telehealth ? STATE_CODES.filter(() => rand() < 0.4) : [] });
			plans.push({
				slug: `bench-${i}`,
				routes,
				inPerson: !telehealth,
				quality: 2.6 + rand() * 2.2
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
	return { plans, usedZips: [...usedZips] };
}

/**
 * Ratings per provider (index into plans): one in-person provider gets exactly HEAVY_RATINGS,
 * UNRATED_SHARE get none, the rest share the remainder by a Zipf law over a random ranking.
 */
export function ratingCounts(plans: readonly ProviderPlan[], total: number, rand: () => number) {
	const counts = new Array<number>(plans.length).fill(0);
	const heavy = plans.findIndex((p) => p.inPerson && p.routes.includes('iv'));
	const unrated = plans.findIndex((p, i) => p.inPerson && i !== heavy);
	if (heavy < 0 || unrated < 0) throw new Error('Too few providers to benchmark.');
	counts[heavy] = Math.min(HEAVY_RATINGS, total);
	const rated: number[] = [];
	for (let i = 0; i < plans.length; i++) {
		if (i !== heavy && i !== unrated && rand() >= UNRATED_SHARE) rated.push(i);
	}
	// Shuffle: rank order is random, unrelated to id or place.
	for (let i = rated.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[rated[i], rated[j]] = [nth(rated, j), nth(rated, i)];
	}
	const rest = total - nth(counts, heavy);
	const weights = rated.map((_, k) => 1 / (k + 1) ** ZIPF);
	const sum = weights.reduce((a, b) => a + b, 0);
	let given = 0;
	rated.forEach((i, k) => {
		const n = Math.floor((rest * nth(weights, k)) / sum);
		counts[i] = n;
		given += n;
	});
	for (let k = 0; given < rest && rated.length; k = (k + 1) % rated.length, given++) {
		const i = nth(rated, k);
		counts[i] = nth(counts, i) + 1;
	}
	return { counts, heavy, unrated };
}

const COMMENTS = [
	'Calm clinic, careful screening and a clear plan for integration.',
	'Helped my depression more than anything else I have tried.',
	'Staff were kind but the waiting room was noisy.',
	'Expensive, and the follow-up calls were rushed.',
	'Good monitoring during the infusion; I felt safe.',
	'It took four sessions before I noticed a change.'
];
const DAY = 86_400_000;

/** One rating as a line of COPY text (tab-separated, \N for null), in RATING_COLUMNS order. */
export const RATING_COLUMNS = [
	'provider_id',
	'status',
	'overall',
	'effectiveness',
	'support',
	'value',
	'education',
	'setting',
	'recommend',
	'route',
	'months_in_treatment',
	'price_paid',
	'comment',
	'client_hash',
	'created_at',
	'published_at'
] as const;

type RatingRow = (string | number | null)[];

function ratingRow(
	providerId: number,
	plan: ProviderPlan,
	rand: () => number,
	now: number
): RatingRow {
	const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(n)));
	const overall = clamp(plan.quality + (rand() - 0.5) * 3, 1, 5);
	const aspect = (p: number) => (rand() < p ? clamp(overall + (rand() - 0.5) * 2, 1, 5) : null);
	const route = rand() < 0.7 ? randomOf(plan.routes, rand()) : null;
	const roll = rand();
	const status = roll < 0.97 ? 'published' : roll < 0.99 ? 'held' : 'hidden';
	// At least two days old: the app's per-hour and per-day burst checks only look at new ones.
	const created = new Date(now - 2 * DAY - Math.floor(rand() * 1000 * DAY)).toISOString();
	return [
		providerId,
		status,
		overall,
		aspect(0.7),
		aspect(0.6),
		aspect(0.5),
		aspect(0.5),
		aspect(0.4),
		rand() < 0.6 ? clamp(overall * 2 + (rand() - 0.5) * 3, 0, 10) : null,
		route,
		rand() < 0.5 ? 1 + Math.floor(rand() * 24) : null,
		route && rand() < 0.5 ? 300 + Math.floor(rand() * 300) : null,
		rand() < 0.3 ? randomOf(COMMENTS, rand()) : null,
		`bench${Math.floor(rand() * 2 ** 48).toString(36)}`,
		created,
		status === 'published' ? created : null
	];
}

/** Yields every rating, provider by provider. */
function* ratingRows(
	ids: readonly number[],
	plans: readonly ProviderPlan[],
	counts: readonly number[],
	rand: () => number
): Generator<RatingRow> {
	const now = Date.now();
	for (let i = 0; i < plans.length; i++) {
		for (let k = 0; k < nth(counts, i); k++) yield ratingRow(nth(ids, i), nth(plans, i), rand, now);
	}
}

const copyText = (row: RatingRow) =>
	row.map((v) => (v === null ? '\\N' : String(v))).join('\t') + '\n';

/** PostgreSQL: COPY through postgres.js, 1M rows in seconds. */
async function copyRatings(url: string, rows: Iterable<RatingRow>) {
	const client = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const writable: Writable = await client
			.unsafe(`copy ratings (${RATING_COLUMNS.join(', ')}) from stdin`)
			.writable();
		function* lines() {
			let chunk = '';
			for (const row of rows) {
				chunk += copyText(row);
				if (chunk.length > 1 << 20) {
					yield chunk;
					chunk = '';
				}
			}
			if (chunk) yield chunk;
		}
		await pipeline(Readable.from(lines()), writable);
	} finally {
		await client.end({ timeout: 5 });
	}
}

/** PGlite (or any driver): multi-row inserts through unnest, a few thousand rows a statement. */
async function insertRatingsBatched(db: Database, rows: Iterable<RatingRow>) {
	const BATCH = 5000;
	let batch: RatingRow[] = [];
	const flush = async () => {
		if (!batch.length) return;
		// One array literal per column, sent as text: drizzle expands a JS array into a list of
		// parameters, and PGlite does not serialise arrays for an unknown parameter type.
		const column = (k: number) =>
			`{${batch
				.map((r) => {
					const v = r[k];
					return v === null || v === undefined
						? 'NULL'
						: `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
				})
				.join(',')}}`;
		// PGlite and postgres.js both send JS arrays as PostgreSQL arrays; each is cast to its column type.
		await db.execute(sql`
			insert into ratings (${sql.raw(RATING_COLUMNS.join(', '))})
			select * from unnest(
				${column(0)}::int[], ${column(1)}::rating_status[], ${column(2)}::smallint[],
				${column(3)}::smallint[], ${column(4)}::smallint[], ${column(5)}::smallint[],
				${column(6)}::smallint[], ${column(7)}::smallint[], ${column(8)}::smallint[],
				${column(9)}::text[], ${column(10)}::smallint[], ${column(11)}::int[], ${column(12)}::text[],
				${column(13)}::text[], ${column(14)}::timestamptz[], ${column(15)}::timestamptz[])`);
		batch = [];
	};
	for (const row of rows) {
		batch.push(row);
		if (batch.length >= BATCH) await flush();
	}
	await flush();
}

/**
 * Conditions for about a third of the ratings (two for a ninth), derived from the rating's id so
 * the same statement serves both databases.
 */
async function insertConditions(db: Database) {
	const codes = sql.raw(`array[${CONDITION_CODES.map((c) => `'${c}'`).join(', ')}]`);
	const n = CONDITION_CODES.length;
	await db.execute(sql`
		insert into rating_conditions (rating_id, condition)
		select id, (${codes})[1 + (id % ${n})] from ratings where id % 3 = 0
		union all
		select id, (${codes})[1 + ((id / 9 + 1) % ${n})] from ratings
		where id % 9 = 0 and (id / 9 + 1) % ${n} <> id % ${n}`);
}

export async function generate(
	db: Database,
	options: { providers: number; ratings: number; postgresUrl?: string }
): Promise<Generated> {
	const rand = prng(7);
	let t = performance.now();
	const { plans, usedZips } = await insertProviders(db, options.providers, rand);
	const providersMs = performance.now() - t;

	t = performance.now();
	const idRows = await db.select({ id: providers.id, slug: providers.slug }).from(providers);
	const idBySlug = new Map(idRows.map((r) => [r.slug, r.id]));
	const ids = plans.map((p) => {
		const id = idBySlug.get(p.slug);
		if (id === undefined) throw new Error(`${p.slug} was not inserted`);
		return id;
	});
	const { counts, heavy, unrated } = ratingCounts(plans, options.ratings, rand);
	const rows = ratingRows(ids, plans, counts, rand);
	if (options.postgresUrl) await copyRatings(options.postgresUrl, rows);
	else await insertRatingsBatched(db, rows);
	await insertConditions(db);
	const [{ conditions } = { conditions: 0 }] = await db
		.select({ conditions: sql<number>`count(*)`.mapWith(Number) })
		.from(sql`rating_conditions`);
	const ratingsMs = performance.now() - t;
	await db.execute(sql`analyze`);

	const sampleRand = prng(23);
	return {
		providers: plans.length,
		ratings: counts.reduce((a, b) => a + b, 0),
		conditions,
		heavySlug: nth(plans, heavy).slug,
		unratedSlug: nth(plans, unrated).slug,
		maxOtherRatings: counts.reduce((max, c, i) => (i === heavy ? max : Math.max(max, c)), 0),
		providersWithRatings: counts.filter((c) => c > 0).length,
		sampleZips: Array.from({ length: 200 }, () => randomOf(usedZips, sampleRand())),
		providersMs,
		ratingsMs
	};
}

/**
 * Rating writes and the feedback rebuild, timed on a generated PostgreSQL database (issue 12).
 * Not a test: it prints figures, it asserts nothing but exactness.
 *
 *   MEASURE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   server for a scratch database
 *   MEASURE_PROVIDERS=10000   providers generated
 *   MEASURE_RATINGS=100000    ratings generated (5,000 of them on one "hot" provider)
 *   MEASURE_WRITES=200        submissions per write run
 *   MEASURE_RECOMPUTE=false   skip the timed recomputeAll before the writes
 *   MEASURE_RUNS=hot,random   which write runs (one provider with 5,000 ratings; random providers)
 *
 *   npx tsx scripts/feedback-measure.ts
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { CONDITION_CODES } from '../src/lib/domain/conditions';
import { ratingSchema } from '../src/lib/schemas/rating';
import { openDatabase, type Database } from '../src/lib/server/db/index';
import * as feedback from '../src/lib/server/feedback';
import { submitRating, type Limits } from '../src/lib/server/ratings';
import { createScratchDatabase } from '../tests/helpers/databases';

const serverUrl = process.env.MEASURE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PROVIDERS = Number(process.env.MEASURE_PROVIDERS ?? 10_000);
const RATINGS = Number(process.env.MEASURE_RATINGS ?? 100_000);
const WRITES = Number(process.env.MEASURE_WRITES ?? 200);
const HOT_RATINGS = 5_000;
const PARALLEL = 20;

const GENEROUS: Limits = {
	perAddressPerHour: 1_000_000,
	repeatDays: 30,
	burstPerProviderPerHour: 1_000_000,
	burstPerAddressPerDay: 1_000_000
};

async function seed(db: Database) {
	const conditions = sql.raw(`array[${CONDITION_CODES.map((c) => `'${c}'`).join(',')}]`);
	await db.execute(sql`
		insert into providers (slug, name, kinds, city, state, zip, lat, lng, status)
		select 'p-' || g, 'Provider ' || g, array['clinic'], 'Springfield', 'TX', '00000',
			30 + (g % 100) / 100.0, -97 + (g % 77) / 100.0, 'published'
		from generate_series(1, ${PROVIDERS}) g`);
	await db.execute(
		sql`insert into provider_routes (provider_id, route) select id, 'iv' from providers`
	);
	// Provider 1 gets HOT_RATINGS; the rest spread over every provider. All older than an hour.
	await db.execute(sql`
		insert into ratings (provider_id, status, overall, effectiveness, support, value, education,
			setting, recommend, route, price_paid, client_hash, created_at, published_at)
		select case when g <= ${HOT_RATINGS} then 1 else 2 + (g::bigint * 7919) % (${PROVIDERS} - 1) end,
			case when g % 50 = 0 then 'held'::rating_status else 'published'::rating_status end,
			1 + g % 5, nullif(g % 6, 0), nullif((g / 3) % 6, 0), nullif((g / 5) % 6, 0),
			nullif((g / 7) % 6, 0), nullif((g / 11) % 6, 0), nullif(g % 12, 11) ,
			case when g % 3 = 0 then 'iv' end, case when g % 3 = 0 then 300 + (g % 40) * 10 end,
			md5(g::text), now() - interval '2 days' - (g % 1000) * interval '1 minute',
			now() - interval '2 days'
		from generate_series(1, ${RATINGS}) g`);
	await db.execute(sql`
		insert into rating_conditions (rating_id, condition)
		select id, (${conditions})[1 + id % ${CONDITION_CODES.length}] from ratings where id % 2 = 0
		union all
		select id, (${conditions})[1 + (id / 2) % ${CONDITION_CODES.length}] from ratings
		where id % 4 = 0 and (id / 2) % ${CONDITION_CODES.length} <> id % ${CONDITION_CODES.length}`);
	await db.execute(sql`analyze`);
}

let addressCount = 0;
function submission(slug: string, db: Database) {
	addressCount += 1;
	const address = `10.${(addressCount >> 16) & 255}.${(addressCount >> 8) & 255}.${addressCount & 255}`;
	const input = ratingSchema.parse({
		ownExperience: 'on',
		idempotencyKey: randomUUID(),
		overall: String(1 + (addressCount % 5)),
		effectiveness: String(1 + (addressCount % 4)),
		support: String(2 + (addressCount % 4)),
		recommend: String(addressCount % 11),
		route: 'iv',
		pricePaid: String(350 + (addressCount % 9) * 25),
		conditions: [CONDITION_CODES[addressCount % CONDITION_CODES.length]]
	});
	return submitRating(db, slug, input, { address }, { limits: GENEROUS });
}

const quantile = (sorted: number[], q: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function run(db: Database, title: string, slugOf: () => string, parallel: number) {
	const latencies: number[] = [];
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < WRITES) {
				next += 1;
				const t = performance.now();
				const result = await submission(slugOf(), db);
				if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
				latencies.push(performance.now() - t);
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	console.log(
		`${title.padEnd(44)} ${(WRITES / seconds).toFixed(1).padStart(8)} writes/s   p50 ${quantile(latencies, 0.5).toFixed(1)} ms   p99 ${quantile(latencies, 0.99).toFixed(1)} ms`
	);
}

const scratch = await createScratchDatabase(serverUrl, 'feedback_measure');
const handle = await openDatabase({ url: scratch.url });
try {
	const db = handle.db;
	let t = performance.now();
	await seed(db);
	console.log(
		`seeded ${PROVIDERS} providers, ${RATINGS} ratings in ${((performance.now() - t) / 1000).toFixed(1)} s`
	);
	if (process.env.MEASURE_RECOMPUTE !== 'false') {
		t = performance.now();
		const n = await feedback.recomputeAll(db);
		console.log(`recomputeAll: ${n} providers in ${((performance.now() - t) / 1000).toFixed(2)} s`);
	}
	const runs = (process.env.MEASURE_RUNS ?? 'hot,random').split(',');
	const random = () => `p-${2 + Math.floor(Math.random() * (PROVIDERS - 1))}`;
	if (runs.includes('hot')) {
		await run(db, 'one provider (5,000 ratings), sequential', () => 'p-1', 1);
		await run(db, `one provider (5,000 ratings), ${PARALLEL} parallel`, () => 'p-1', PARALLEL);
	}
	if (runs.includes('random')) {
		await run(db, 'random providers, sequential', random, 1);
		await run(db, `random providers, ${PARALLEL} parallel`, random, PARALLEL);
	}
	// Without the recompute, providers never written have no aggregate yet: verify would list them.
	if ('verifyFeedback' in feedback && process.env.MEASURE_RECOMPUTE !== 'false') {
		t = performance.now();
		const wrong = await (
			feedback as { verifyFeedback(db: Database): Promise<unknown[]> }
		).verifyFeedback(db);
		console.log(
			`verifyFeedback: ${wrong.length} providers differ (${((performance.now() - t) / 1000).toFixed(2)} s)`
		);
		if (wrong.length) process.exitCode = 1;
	}
} finally {
	await handle.close();
	await scratch.drop();
}

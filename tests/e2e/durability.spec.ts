import { test, expect } from '@playwright/test';
import { eq, inArray, like, sql } from 'drizzle-orm';
import http from 'node:http';
import { resolve } from 'node:path';
import { summarize, toStored } from '../../src/lib/domain/feedback';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/index';
import { providerFeedback, ratingConditions, ratings } from '../../src/lib/server/db/schema';
import { seedDemoIfEmpty } from '../../src/lib/server/demo';
import { publishedFacts } from '../../src/lib/server/feedback';
import {
	checkout,
	listening,
	portsFrom,
	postgresServer,
	serve,
	withDatabase,
	type Server
} from './server-process';

/**
 * Acknowledged ratings survive kill -9: thousands of rating submissions with idempotency keys from
 * concurrent clients, the server SIGKILLed mid-run and restarted on the same data, every request
 * that got no answer sent again with its key; then every acknowledged rating exists exactly once
 * and each provider's stored feedback equals a recomputation from the rows. On PGlite and on
 * PostgreSQL.
 */

const SUBMISSIONS = 2_000;
const CLIENTS = 16;
/** Killed once this many have been acknowledged. */
const KILL_AT = 800;
const PROVIDERS = 40;
const CONDITIONS = ['mdd', 'trd', 'ptsd', 'anxiety'] as const;

const nextPort = portsFrom(7, 9);

/** Every limit out of the way: each submission comes from an address of its own anyway. */
const SERVER_ENV = {
	HOST: '127.0.0.1',
	ADDRESS_HEADER: 'x-forwarded-for',
	XFF_DEPTH: '1',
	RATING_LIMIT_PER_HOUR: '1000000',
	RATING_BURST_PER_PROVIDER_PER_HOUR: '1000000',
	RATING_BURST_PER_ADDRESS_PER_DAY: '1000000'
};

interface Submission {
	key: string;
	slug: string;
	address: string;
	conditions: string[];
	body: string;
}

type Outcome =
	| { answer: 'acknowledged'; id: number }
	| { answer: 'none'; error: string }
	| { answer: 'refused'; status: number; body: string };

function submissions(slugs: string[]): Submission[] {
	const run = Date.now().toString(36);
	return Array.from({ length: SUBMISSIONS }, (_, i) => {
		const key = `durability-${run}-${i}`;
		const conditions = CONDITIONS.filter((_, c) => (i >> c) & 1);
		return {
			key,
			slug: slugs[i % slugs.length]!,
			address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
			conditions,
			body: JSON.stringify({
				overall: (i % 5) + 1,
				effectiveness: i % 3 === 0 ? null : ((i * 7) % 5) + 1,
				support: ((i * 3) % 5) + 1,
				recommend: i % 11,
				conditions,
				ownExperience: true,
				idempotencyKey: key
			})
		};
	});
}

function post(port: number, agent: http.Agent, s: Submission): Promise<Outcome> {
	return new Promise((done) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				agent,
				method: 'POST',
				path: `/api/providers/${s.slug}/ratings`,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(s.body),
					'x-forwarded-for': s.address
				}
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (body += chunk));
				res.on('error', (err) => done({ answer: 'none', error: err.message }));
				res.on('end', () => {
					if (res.statusCode === 201) {
						done({ answer: 'acknowledged', id: (JSON.parse(body) as { id: number }).id });
					} else done({ answer: 'refused', status: res.statusCode ?? 0, body });
				});
			}
		);
		req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
		req.on('error', (err: NodeJS.ErrnoException) =>
			done({ answer: 'none', error: err.code ?? err.message })
		);
		req.end(s.body);
	});
}

/** Sends `queue` from CLIENTS concurrent clients until it is empty or `stop()` says so. */
async function send(
	port: number,
	queue: Submission[],
	outcomes: Map<string, Outcome>,
	onAnswer: (outcome: Outcome) => void = () => {},
	stop: () => boolean = () => false
) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
	const client = async () => {
		for (let s = queue.shift(); s; s = stop() ? undefined : queue.shift()) {
			const outcome = await post(port, agent, s);
			outcomes.set(s.key, outcome);
			onAnswer(outcome);
		}
	};
	await Promise.all(Array.from({ length: CLIENTS }, client));
	agent.destroy();
}

async function publishedSlugs(port: number): Promise<string[]> {
	const res = await fetch(`http://127.0.0.1:${port}/api/providers?pageSize=${PROVIDERS}`);
	const { results } = (await res.json()) as { results: { slug: string }[] };
	expect(results.length).toBe(PROVIDERS);
	return results.map((r) => r.slug);
}

/** Rounded, so that a mean summed in another order compares equal. */
const rounded = (value: unknown): unknown =>
	JSON.parse(JSON.stringify(value), (_, v: unknown) =>
		typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v
	);

async function survivesKill(
	start: (port: number) => Server,
	open: () => Promise<DatabaseHandle>
): Promise<void> {
	const began = Date.now();
	let server = start(nextPort());
	await listening(server);
	const up = Date.now();
	const all = submissions(await publishedSlugs(server.port));
	const outcomes = new Map<string, Outcome>();

	// Until the kill.
	const queue = all.slice();
	let acknowledged = 0;
	let killedAt = 0;
	const killed = server.exit;
	await send(
		server.port,
		queue,
		outcomes,
		(outcome) => {
			if (outcome.answer === 'acknowledged' && ++acknowledged === KILL_AT) {
				killedAt = Date.now();
				process.kill(server.process.pid!, 'SIGKILL');
			}
		},
		() => killedAt > 0
	);
	expect((await killed).signal).toBe('SIGKILL');
	const sentBeforeKill = outcomes.size;
	const firstAnswers = new Map(outcomes);
	const unanswered = all.filter((s) => outcomes.get(s.key)?.answer === 'none');
	expect(unanswered.length, 'requests in flight when the server was killed').toBeGreaterThan(0);

	// Restarted on the same data: every unanswered request again, with its key, then the rest; and
	// a sample of acknowledged ones, as a client that lost the answer would (same key, same id).
	const unsent = queue.length;
	const resent = all.filter(
		(s, i) => i % 8 === 0 && outcomes.get(s.key)?.answer === 'acknowledged'
	);
	server = start(nextPort());
	await listening(server);
	const upAgain = Date.now();
	await send(server.port, [...unanswered, ...resent, ...queue], outcomes);
	const sentAll = Date.now();
	const refused = [...outcomes].filter(([, o]) => o.answer !== 'acknowledged');
	expect(refused, 'answers other than 201 Created').toEqual([]);
	server.process.kill('SIGTERM');
	expect((await server.exit).code, server.output()).toBe(0);

	const handle = await open();
	try {
		const db = handle.db;
		const prefix = all[0]!.key.replace(/-0$/, '-%');
		const ours = like(ratings.idempotencyKey, prefix);
		const rows = await db
			.select({
				id: ratings.id,
				key: ratings.idempotencyKey,
				providerId: ratings.providerId,
				createdAt: ratings.createdAt
			})
			.from(ratings)
			.where(ours);
		const conditionRows = await db
			.select({ ratingId: ratingConditions.ratingId })
			.from(ratingConditions)
			.innerJoin(ratings, eq(ratings.id, ratingConditions.ratingId))
			.where(ours);
		const conditionCount = new Map<number, number>();
		for (const { ratingId } of conditionRows) {
			conditionCount.set(ratingId, (conditionCount.get(ratingId) ?? 0) + 1);
		}
		const byKey = new Map(rows.map((r) => [r.key!, r]));
		// Exactly once each: as many rows as submissions, one per key, none extra.
		expect(rows.length).toBe(SUBMISSIONS);
		expect(byKey.size).toBe(SUBMISSIONS);
		const wrong: string[] = [];
		for (const s of all) {
			const row = byKey.get(s.key);
			const outcome = outcomes.get(s.key);
			const first = firstAnswers.get(s.key);
			if (!row) wrong.push(`${s.key}: no rating`);
			// Acknowledged before the kill or after it (a retry answers with the first id): that row.
			else if (outcome?.answer !== 'acknowledged' || outcome.id !== row.id)
				wrong.push(`${s.key}: answered ${JSON.stringify(outcome)}, stored as ${row.id}`);
			else if (first?.answer === 'acknowledged' && first.id !== row.id)
				wrong.push(`${s.key}: acknowledged as ${first.id} before the kill, stored as ${row.id}`);
			// The conditions were written in the rating's transaction.
			else if ((conditionCount.get(row.id) ?? 0) !== s.conditions.length)
				wrong.push(`${s.key}: ${conditionCount.get(row.id) ?? 0} conditions stored`);
		}
		expect(wrong).toEqual([]);

		// Stored aggregates equal a recomputation from the rows: the app's formulas over the
		// published rows, and counts and means straight from SQL.
		const providerIds = [...new Set(rows.map((r) => r.providerId))];
		const stored = await db
			.select()
			.from(providerFeedback)
			.where(inArray(providerFeedback.providerId, providerIds));
		expect(stored.length).toBe(providerIds.length);
		const counted = new Map(
			(
				await db
					.select({
						providerId: ratings.providerId,
						published: sql<number>`count(*) filter (where ${ratings.status} = 'published')`.mapWith(
							Number
						),
						held: sql<number>`count(*) filter (where ${ratings.status} = 'held')`.mapWith(Number),
						mean: sql<number>`avg(${ratings.overall}) filter (where ${ratings.status} = 'published')`.mapWith(
							Number
						)
					})
					.from(ratings)
					.where(inArray(ratings.providerId, providerIds))
					.groupBy(ratings.providerId)
			).map((c) => [c.providerId, c])
		);
		for (const feedback of stored) {
			const summary = summarize(await publishedFacts(db, feedback.providerId));
			const direct = counted.get(feedback.providerId)!;
			expect(rounded(feedback.summary)).toEqual(rounded(toStored(summary)));
			expect([feedback.ratingCount, feedback.heldCount]).toEqual([direct.published, direct.held]);
			expect(feedback.overallMean).toBeCloseTo(direct.mean, 9);
		}

		const storedBeforeKill = unanswered.filter(
			(s) => byKey.get(s.key)!.createdAt.getTime() < killedAt
		).length;
		const figures =
			`${handle.kind}: ${SUBMISSIONS} submissions; ${sentBeforeKill} sent before the kill, ` +
			`${[...firstAnswers.values()].filter((o) => o.answer === 'acknowledged').length} acknowledged, ` +
			`${unanswered.length} unanswered and retried after the restart (${storedBeforeKill} of them ` +
			`had been stored), ${resent.length} acknowledged ones sent again, ` +
			`${unsent} sent for the first time after it; ` +
			`${rows.length} ratings found, one per key; ${stored.length} aggregates equal their recomputation`;
		const s = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
		console.log(
			`${figures}\n  (start ${s(began, up)}, until the kill ${s(up, killedAt)}, restart ${s(killedAt, upAgain)}, ` +
				`the rest ${s(upAgain, sentAll)}, checks ${s(sentAll, Date.now())})`
		);
		test.info().annotations.push({ type: 'durability', description: figures });
	} finally {
		await handle.close();
	}
}

test.describe('acknowledged ratings survive kill -9', () => {
	test.describe.configure({ mode: 'serial', timeout: 300_000 });

	test('on PGlite', async () => {
		const dir = checkout('durability');
		await survivesKill(
			(port) => serve('node build', dir, port, SERVER_ENV),
			() =>
				openDatabase({
					dataDir: resolve(dir, 'data'),
					migrationsFolder: resolve(dir, 'drizzle')
				})
		);
	});

	test('on PostgreSQL', async () => {
		const adminUrl = postgresServer();
		await withDatabase(adminUrl!, 'e2e_durability', async (url) => {
			const seeding = await openDatabase({ url, migrationsFolder: resolve('drizzle') });
			try {
				await seedDemoIfEmpty(seeding.db);
			} finally {
				await seeding.close();
			}
			const dir = checkout('durability-postgres');
			await survivesKill(
				(port) => serve('node build', dir, port, { ...SERVER_ENV, DATABASE_URL: url }),
				() => openDatabase({ url, migrationsFolder: resolve('drizzle') })
			);
		});
	});
});

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDBACK_RULES_VERSION, summarize, type FeedbackSummary } from '$lib/domain/feedback';
import { parseConfig } from '$lib/server/config';
import { openDatabase, type Database } from '$lib/server/db';
import { providerFeedback, ratings } from '$lib/server/db/schema';
import {
	feedbackFor,
	publishedFacts,
	recomputeAll,
	recomputeFeedback,
	recomputeStale
} from '$lib/server/feedback';
import * as startup from '$lib/server/startup';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';

type Stars = { overall: number; effectiveness?: number };

/** Published ratings written directly, as an older version of the app would have left them. */
async function rate(db: Database, providerId: number, list: Stars[]) {
	await db.insert(ratings).values(
		list.map((r) => ({
			providerId,
			status: 'published' as const,
			overall: r.overall,
			effectiveness: r.effectiveness ?? null,
			publishedAt: new Date()
		}))
	);
}

/**
 * The summary the first rules stored (no version; the label from the mean overall rating, from
 * one rating on; "rated it effective" from the overall stars).
 */
function firstRulesSummary(list: Stars[]) {
	const {
		rulesVersion: _v,
		effectiveness: _e,
		...rest
	} = summarize(list.map((r) => ({ overall: r.overall })));
	const mean = rest.overallMean;
	const label =
		mean === null
			? 'Not Rated'
			: mean >= 4.5
				? 'Amazing'
				: mean >= 3.75
					? 'Highly Effective'
					: mean >= 3
						? 'Effective'
						: mean >= 2.25
							? 'Partially Effective'
							: 'Ineffective';
	const responders = list.filter((r) => r.overall > 2).length;
	return {
		...rest,
		label,
		effectivePercent: list.length ? Math.round((responders * 100) / list.length) : null
	};
}

async function storeOldSummary(db: Database, providerId: number, list: Stars[]) {
	const summary = firstRulesSummary(list);
	await db.insert(providerFeedback).values({
		providerId,
		ratingCount: summary.count,
		overallMean: summary.overallMean,
		weightedScore: summary.weightedScore,
		summary,
		updatedAt: new Date('2025-01-01T00:00:00.000Z')
	});
}

async function stored(db: Database, providerId: number) {
	const [row] = await db
		.select()
		.from(providerFeedback)
		.where(eq(providerFeedback.providerId, providerId));
	return row as (typeof row & { summary: FeedbackSummary }) | undefined;
}

/** One 5-star rating: the first rules called it "Amazing". */
const ONE_FIVE: Stars[] = [{ overall: 5 }];
/** Liked overall, rated ineffective: the first rules called it "Amazing" too. */
const LIKED: Stars[] = [
	{ overall: 5, effectiveness: 2 },
	{ overall: 5, effectiveness: 1 },
	{ overall: 4, effectiveness: 2 },
	{ overall: 5 }
];
// The first rules: overall 4.75, "Amazing". Now: effectiveness 2, 1, 2 and (no answer) overall
// 5, a mean of 2.5, "Partially Effective".

describeEachDatabase('feedback recompute', (ctx) => {
	const names = ['One Five', 'Liked', 'Current', 'Unrated', 'Orphan Summary'] as const;
	const ids = {} as Record<(typeof names)[number], number>;
	beforeAll(async () => {
		for (const name of names)
			ids[name] = await insertProvider(ctx.db, {
				name: `${name} Clinic`,
				kinds: ['clinic'],
				state: 'TX',
				routes: ['iv']
			});
		await rate(ctx.db, ids['One Five'], ONE_FIVE);
		await storeOldSummary(ctx.db, ids['One Five'], ONE_FIVE);
		await rate(ctx.db, ids.Liked, LIKED);
		await storeOldSummary(ctx.db, ids.Liked, LIKED);
		await rate(ctx.db, ids.Current, [{ overall: 3 }, { overall: 4 }, { overall: 4 }]);
		await ctx.db.transaction((tx) => recomputeFeedback(tx, ids.Current));
	});

	it('reads an outdated summary without the labels the current rules would not give', async () => {
		const view = (await feedbackFor(ctx.db, [ids['One Five'], ids.Liked])).get(ids['One Five']);
		expect((await stored(ctx.db, ids['One Five']))?.summary.label).toBe('Amazing');
		expect(view?.summary).toMatchObject({
			rulesVersion: 1,
			count: 1,
			label: 'Too few ratings yet',
			effectivePercent: null
		});
	});

	it('recomputes only the outdated summaries, in batches, from the rows', async () => {
		const current = await stored(ctx.db, ids.Current);
		expect(await recomputeStale(ctx.db, { batchSize: 1 })).toBe(2);

		for (const name of ['One Five', 'Liked'] as const) {
			const row = await stored(ctx.db, ids[name]);
			const expected = summarize(await publishedFacts(ctx.db, ids[name]));
			expect(row?.summary, name).toEqual(expected);
			expect(row?.summary.rulesVersion).toBe(FEEDBACK_RULES_VERSION);
			expect(row).toMatchObject({
				ratingCount: expected.count,
				overallMean: expected.overallMean,
				weightedScore: expected.weightedScore
			});
		}
		expect((await stored(ctx.db, ids['One Five']))?.summary.label).toBe('Too few ratings yet');
		const liked = (await stored(ctx.db, ids.Liked))?.summary;
		expect(liked?.label).toBe('Partially Effective');
		expect(liked?.effectiveness).toEqual({
			count: 4,
			fromEffectiveness: 3,
			mean: 10 / 4,
			responders: 1
		});

		// Untouched: already current.
		expect(await stored(ctx.db, ids.Current)).toEqual(current);
		// Nothing left to do.
		expect(await recomputeStale(ctx.db)).toBe(0);
	});

	it('recomputes every rated provider on demand, and adds no row for the unrated', async () => {
		await ctx.db
			.update(providerFeedback)
			.set({ summary: { ...firstRulesSummary(ONE_FIVE), label: 'Ineffective' } })
			.where(eq(providerFeedback.providerId, ids['One Five']));
		expect(await recomputeAll(ctx.db, { batchSize: 2 })).toBe(3);
		expect((await stored(ctx.db, ids['One Five']))?.summary.label).toBe('Too few ratings yet');
		expect(await stored(ctx.db, ids.Unrated)).toBeUndefined();
	});
});

/** A PGlite directory holding one provider whose summary the first rules stored. */
async function prepareDataDir(): Promise<{ dir: string; providerId: number }> {
	const dir = mkdtempSync(join(tmpdir(), 'feedback-recompute-'));
	const handle = await openDatabase({ dataDir: dir });
	try {
		const providerId = await insertProvider(handle.db, {
			name: 'Stale Summary Clinic',
			kinds: ['clinic'],
			state: 'TX',
			routes: ['iv']
		});
		await rate(handle.db, providerId, LIKED);
		await storeOldSummary(handle.db, providerId, LIKED);
		return { dir, providerId };
	} finally {
		await handle.close();
	}
}

async function labelIn(dir: string, providerId: number) {
	const handle = await openDatabase({ dataDir: dir });
	try {
		return (await stored(handle.db, providerId))?.summary.label;
	} finally {
		await handle.close();
	}
}

describe('outdated summaries in an existing embedded database', () => {
	const dirs: string[] = [];
	afterAll(() => {
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	});

	it('are recomputed by `npm run feedback:recompute`', async () => {
		const { dir, providerId } = await prepareDataDir();
		dirs.push(dir);
		expect(await labelIn(dir, providerId)).toBe('Amazing');
		const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/feedback-recompute.ts'], {
			env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir }
		});
		expect(stdout).toContain(
			'Recomputed the patient feedback of 1 provider in the pglite database'
		);
		expect(await labelIn(dir, providerId)).toBe('Partially Effective');
	}, 60_000);

	it('are recomputed by the server at start-up, in the background', async () => {
		const { dir, providerId } = await prepareDataDir();
		dirs.push(dir);
		await startup.start(parseConfig({ DATA_DIR: dir }));
		try {
			const { db } = await startup.database();
			await expect
				.poll(async () => (await stored(db, providerId))?.summary.rulesVersion, { timeout: 20_000 })
				.toBe(FEEDBACK_RULES_VERSION);
			expect((await stored(db, providerId))?.summary.label).toBe('Partially Effective');
		} finally {
			await startup.stop();
		}
	}, 60_000);
});

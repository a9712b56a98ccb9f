import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { summarize, toStored } from '../../src/lib/domain/feedback';
import type { Database } from '../../src/lib/server/db/index';
import { providerFeedback, ratings } from '../../src/lib/server/db/schema';
import * as feedback from '../../src/lib/server/feedback';

/**
 * Are the stored aggregates exact after the rating writes? The app's own `verifyFeedback(db)` when
 * src/lib/server/feedback.ts exports one (every provider); otherwise each provider the benchmark
 * wrote to (found by its idempotency-key prefix) is recomputed here from its rows and compared.
 */
export interface Verification {
	method: 'verifyFeedback' | 'recomputed-touched' | 'not verified';
	checked: number;
	wrong: number[];
	ms: number;
}

/** Equal as JSON values; numbers within 1e-9 (relative) as float sums in another order may be. */
function same(a: unknown, b: unknown): boolean {
	if (typeof a === 'number' && typeof b === 'number')
		return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
	if (Array.isArray(a) && Array.isArray(b))
		return a.length === b.length && a.every((v, i) => same(v, b[i]));
	if (a && b && typeof a === 'object' && typeof b === 'object') {
		const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
		const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
		return (
			ka.length === kb.length &&
			ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
		);
	}
	return a === b || (a == null && b == null);
}

async function recomputeTouched(db: Database, keyPrefix: string, extra: number[]) {
	const touched = await db
		.selectDistinct({ id: ratings.providerId })
		.from(ratings)
		.where(like(ratings.idempotencyKey, `${keyPrefix}%`));
	const ids = [...new Set([...touched.map((r) => r.id), ...extra])];
	const wrong: number[] = [];
	for (const id of ids) {
		const summary = summarize(await feedback.publishedFacts(db, id));
		const [{ held } = { held: 0 }] = await db
			.select({ held: sql<number>`count(*)`.mapWith(Number) })
			.from(ratings)
			.where(and(eq(ratings.providerId, id), eq(ratings.status, 'held')));
		const [stored] = await db
			.select()
			.from(providerFeedback)
			.where(inArray(providerFeedback.providerId, [id]));
		const ok =
			stored !== undefined &&
			stored.ratingCount === summary.count &&
			same(stored.overallMean, summary.overallMean) &&
			same(stored.weightedScore, summary.weightedScore) &&
			stored.heldCount === held &&
			same(stored.summary, JSON.parse(JSON.stringify(toStored(summary))));
		if (!ok) wrong.push(id);
	}
	return { checked: ids.length, wrong };
}

export async function verifyAggregates(
	db: Database,
	keyPrefix: string,
	extra: number[]
): Promise<Verification> {
	const started = performance.now();
	const verifyFeedback = (feedback as Record<string, unknown>).verifyFeedback;
	try {
		if (typeof verifyFeedback === 'function') {
			const found: unknown = await (verifyFeedback as (db: Database) => Promise<unknown>)(db);
			const list = Array.isArray(found) ? found : [];
			const wrong = list.map((p: unknown) =>
				typeof p === 'number'
					? p
					: Number(
							(p as { providerId?: number; id?: number }).providerId ?? (p as { id?: number }).id
						)
			);
			const [{ n } = { n: 0 }] = await db
				.select({ n: sql<number>`count(*)`.mapWith(Number) })
				.from(providerFeedback);
			return { method: 'verifyFeedback', checked: n, wrong, ms: performance.now() - started };
		}
		const r = await recomputeTouched(db, keyPrefix, extra);
		return { method: 'recomputed-touched', ...r, ms: performance.now() - started };
	} catch (err) {
		console.error(
			'verifying the aggregates failed:',
			err instanceof Error ? err.message.split('\n')[0] : err
		);
		return { method: 'not verified', checked: 0, wrong: [], ms: performance.now() - started };
	}
}

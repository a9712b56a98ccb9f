import { and, asc, count, eq, exists, gt, inArray, or, sql } from 'drizzle-orm';
import {
	FEEDBACK_RULES_VERSION,
	fromStored,
	summarize,
	toStored,
	type FeedbackSummary,
	type RatingFacts
} from '../domain/feedback';
import { oneRow, type Database } from './db';
import { providerFeedback, providers, ratingConditions, ratings } from './db/schema';
import { describeError, log } from './log';

/**
 * The owner of `provider_feedback`: the aggregate of each provider's published ratings, as
 * src/lib/domain/feedback.ts computes it. Written only here — in the transaction that changed the
 * ratings, or by the recompute below when the rules change.
 */

export interface FeedbackView {
	summary: FeedbackSummary;
	heldCount: number;
}

/** Published ratings of one provider, in the shape the formulas take. */
export async function publishedFacts(db: Database, providerId: number): Promise<RatingFacts[]> {
	const rows = await db
		.select({
			id: ratings.id,
			overall: ratings.overall,
			effectiveness: ratings.effectiveness,
			support: ratings.support,
			value: ratings.value,
			education: ratings.education,
			setting: ratings.setting,
			recommend: ratings.recommend,
			route: ratings.route,
			pricePaid: ratings.pricePaid
		})
		.from(ratings)
		.where(and(eq(ratings.providerId, providerId), eq(ratings.status, 'published')));
	const conditions = rows.length
		? await db
				.select({ ratingId: ratingConditions.ratingId, condition: ratingConditions.condition })
				.from(ratingConditions)
				.where(
					inArray(
						ratingConditions.ratingId,
						rows.map((r) => r.id)
					)
				)
		: [];
	return rows.map(({ id, route, ...r }) => ({
		...r,
		route,
		conditions: conditions.filter((c) => c.ratingId === id).map((c) => c.condition)
	}));
}

/**
 * Rewrites a provider's aggregate from its rows. Call it inside the transaction that changed
 * them, after locking the provider row (`select … for update`), so two writers never interleave.
 */
export async function recomputeFeedback(
	db: Database,
	providerId: number
): Promise<FeedbackSummary> {
	const summary = summarize(await publishedFacts(db, providerId));
	const { held } = oneRow(
		await db
			.select({ held: count() })
			.from(ratings)
			.where(and(eq(ratings.providerId, providerId), eq(ratings.status, 'held')))
	);
	const values = {
		ratingCount: summary.count,
		overallMean: summary.overallMean,
		weightedScore: summary.weightedScore,
		summary: toStored(summary),
		heldCount: held,
		updatedAt: new Date()
	};
	await db
		.insert(providerFeedback)
		.values({ providerId, ...values })
		.onConflictDoUpdate({ target: providerFeedback.providerId, set: values });
	return summary;
}

/** Stored aggregates for many providers at once (cards, lists, the profile, the API). */
export async function feedbackFor(
	db: Database,
	providerIds: number[]
): Promise<Map<number, FeedbackView>> {
	if (providerIds.length === 0) return new Map();
	const rows = await db
		.select({
			providerId: providerFeedback.providerId,
			summary: providerFeedback.summary,
			heldCount: providerFeedback.heldCount
		})
		.from(providerFeedback)
		.where(inArray(providerFeedback.providerId, providerIds));
	return new Map(
		rows.map((r) => [r.providerId, { summary: fromStored(r.summary), heldCount: r.heldCount }])
	);
}

/** The version a stored summary was computed under; summaries from before versions count as 1. */
const storedVersion = sql`coalesce((${providerFeedback.summary} ->> 'rulesVersion')::int, 1)`;

/** Recomputes a batch of providers in one transaction, each row locked in id order first. */
async function recomputeBatch(db: Database, ids: number[]): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.execute(
			sql`select 1 from ${providers} where ${inArray(providers.id, ids)} order by ${providers.id} for update`
		);
		for (const id of ids) await recomputeFeedback(tx, id);
	});
}

export interface RecomputeOptions {
	/** Providers per transaction. */
	batchSize?: number;
}

/**
 * Recomputes, a batch per transaction, the providers `nextIds` names — the first `limit` ids after
 * `after`, in id order — until it names none; returns how many.
 */
async function recomputeInBatches(
	db: Database,
	batchSize: number,
	nextIds: (after: number, limit: number) => Promise<{ id: number }[]>
): Promise<number> {
	let done = 0;
	for (let after = 0; ;) {
		const ids = (await nextIds(after, batchSize)).map((r) => r.id);
		if (ids.length === 0) return done;
		await recomputeBatch(db, ids);
		done += ids.length;
		// ids is not empty here (the loop returned above when it was).
		after = ids[ids.length - 1]!;
	}
}

/**
 * Recomputes every provider whose stored summary was computed under older rules than
 * FEEDBACK_RULES_VERSION, a batch per transaction; returns how many.
 */
export function recomputeStale(db: Database, options: RecomputeOptions = {}) {
	return recomputeInBatches(db, options.batchSize ?? 100, (after, limit) =>
		db
			.select({ id: providerFeedback.providerId })
			.from(providerFeedback)
			.where(
				and(
					sql`${storedVersion} < ${FEEDBACK_RULES_VERSION}`,
					gt(providerFeedback.providerId, after)
				)
			)
			.orderBy(asc(providerFeedback.providerId))
			.limit(limit)
	);
}

/**
 * Recomputes every provider that has ratings or a stored summary, a batch per transaction;
 * returns how many (`npm run feedback:recompute`).
 */
export function recomputeAll(db: Database, options: RecomputeOptions = {}) {
	const has = (table: typeof ratings | typeof providerFeedback) =>
		exists(
			db
				.select({ one: sql`1` })
				.from(table)
				.where(eq(table.providerId, providers.id))
		);
	return recomputeInBatches(db, options.batchSize ?? 100, (after, limit) =>
		db
			.select({ id: providers.id })
			.from(providers)
			.where(and(gt(providers.id, after), or(has(ratings), has(providerFeedback))))
			.orderBy(asc(providers.id))
			.limit(limit)
	);
}

/**
 * At start-up, off the request path: brings summaries computed under older rules up to date.
 * Until it reaches a provider, readers show that provider's older numbers through `fromStored`.
 */
export function recomputeStaleInBackground(db: Database): void {
	recomputeStale(db).then(
		(n) => {
			if (n) {
				const noun = n === 1 ? 'provider' : 'providers';
				log.info(`Recomputed the patient feedback of ${n} ${noun} under the current rules.`);
			}
		},
		(err: unknown) => {
			// Never the raw error: drizzle's carries the query parameters.
			log.error(
				{ err: describeError(err) },
				'recomputing stored feedback failed; it is retried at the next start'
			);
		}
	);
}

import { isDeepStrictEqual } from 'node:util';
import { and, asc, eq, gt, inArray, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import {
	EMPTY_SUMMARY,
	FEEDBACK_RULES_VERSION,
	fromStored,
	toStored,
	type FeedbackSummary,
	type RatingFacts
} from '../domain/feedback';
import {
	TALLY_VERSION,
	emptyTally,
	fromTallies,
	isCurrentTally,
	moveRatings,
	tallyAll,
	type FeedbackTally
} from '../domain/feedback-tally';
import { selectRows, type Database } from './db';
import { providerFeedback, providers, ratingConditions, ratings } from './db/schema';
import { feedbackChanged } from './events';
import { describeError, log } from './log';

/**
 * The owner of `provider_feedback`: the aggregate of each provider's published ratings, as
 * src/lib/domain/feedback.ts computes it. Written only here — in the transaction that changed the
 * ratings, by adding and taking out the tallies of the ratings that changed
 * (`applyFeedbackChange`), or by the set-based rebuild below when the rules or the tallies'
 * shape change (docs/decisions/019-incremental-rating-aggregates.md).
 */

export interface FeedbackView {
	summary: FeedbackSummary;
	heldCount: number;
}

/** Columns of a rating the formulas read, and its conditions, as `RatingFacts`. */
const factColumns = sql`${ratings.overall} as "overall", ${ratings.effectiveness} as "effectiveness",
	${ratings.support} as "support", ${ratings.value} as "value", ${ratings.education} as "education",
	${ratings.setting} as "setting", ${ratings.recommend} as "recommend", ${ratings.route} as "route",
	${ratings.pricePaid} as "pricePaid"`;
const conditionsOf = (ratingId: SQL) =>
	sql`array(select ${ratingConditions.condition} from ${ratingConditions} where ${ratingConditions.ratingId} = ${ratingId})`;

/**
 * `column = any(ids)` with the ids as one parameter (an array literal): any number of ids, where
 * `inArray` binds one parameter each and stops at PostgreSQL's 65,535.
 */
export function anyOf(column: SQL | AnyColumn, ids: readonly number[]): SQL {
	if (!ids.every((id) => Number.isSafeInteger(id))) throw new TypeError('ids must be integers');
	return sql`${column} = any(${`{${ids.join(',')}}`}::int[])`;
}

/** Published ratings of one provider, in the shape the formulas take. */
export async function publishedFacts(db: Database, providerId: number): Promise<RatingFacts[]> {
	return selectRows<RatingFacts>(
		db,
		sql`select ${factColumns}, ${conditionsOf(sql`${ratings.id}`)} as "conditions"
			from ${ratings}
			where ${ratings.providerId} = ${providerId} and ${ratings.status} = 'published'`
	);
}

/** The facts of the given ratings (any status), for moving them in or out of the aggregate. */
export async function factsOf(db: Database, ratingIds: readonly number[]): Promise<RatingFacts[]> {
	if (ratingIds.length === 0) return [];
	return selectRows<RatingFacts>(
		db,
		sql`select ${factColumns}, ${conditionsOf(sql`${ratings.id}`)} as "conditions"
			from ${ratings} where ${anyOf(ratings.id, ratingIds)}`
	);
}

/** What `provider_feedback` holds for one provider (no row reads as the empty aggregate). */
interface FeedbackValues {
	ratingCount: number;
	overallMean: number | null;
	weightedScore: number | null;
	summary: unknown;
	heldCount: number;
	tallies: FeedbackTally | null;
}

function valuesOf(tally: FeedbackTally, heldCount: number) {
	const summary = fromTallies(tally);
	return {
		summary,
		values: {
			ratingCount: summary.count,
			overallMean: summary.overallMean,
			weightedScore: summary.weightedScore,
			summary: toStored(summary),
			heldCount,
			tallies: tally
		} satisfies FeedbackValues
	};
}

const EMPTY_VALUES: FeedbackValues = valuesOf(emptyTally(), 0).values;

/** The fields in which `stored` differs from `expected`, none when it is exact. */
function differences(stored: FeedbackValues | undefined, expected: FeedbackValues): string[] {
	const actual = stored ?? EMPTY_VALUES;
	return (Object.keys(expected) as (keyof FeedbackValues)[]).filter(
		(key) => !isDeepStrictEqual(actual[key], expected[key])
	);
}

/**
 * Each provider's aggregate as its rows give it, in one pass over their ratings (published and
 * held; hidden ones count for nothing), and what is stored; providers with neither are left out.
 */
async function rebuild(db: Database, providerIds: readonly number[]) {
	const rows = await selectRows<RatingFacts & { providerId: number; status: 'published' | 'held' }>(
		db,
		sql`select ${ratings.providerId} as "providerId", ${ratings.status} as "status", ${factColumns},
				case when ${ratings.status} = 'published' then ${conditionsOf(sql`${ratings.id}`)} end as "conditions"
			from ${ratings}
			where ${anyOf(ratings.providerId, providerIds)} and ${ratings.status} <> 'hidden'`
	);
	const stored = await db
		.select({
			providerId: providerFeedback.providerId,
			ratingCount: providerFeedback.ratingCount,
			overallMean: providerFeedback.overallMean,
			weightedScore: providerFeedback.weightedScore,
			summary: providerFeedback.summary,
			heldCount: providerFeedback.heldCount,
			tallies: providerFeedback.tallies
		})
		.from(providerFeedback)
		.where(anyOf(providerFeedback.providerId, providerIds));
	const counted = new Map<number, { tally: FeedbackTally; held: number }>();
	for (const { providerId, status, ...facts } of rows) {
		let entry = counted.get(providerId);
		if (!entry) counted.set(providerId, (entry = { tally: emptyTally(), held: 0 }));
		if (status === 'held') entry.held += 1;
		else moveRatings(entry.tally, [facts], 1);
	}
	const storedById = new Map(stored.map(({ providerId, ...values }) => [providerId, values]));
	return providerIds.flatMap((providerId) => {
		const entry = counted.get(providerId);
		const was = storedById.get(providerId);
		if (!entry && !was) return [];
		const { summary, values } = valuesOf(entry?.tally ?? emptyTally(), entry?.held ?? 0);
		return [{ providerId, summary, values, differs: differences(was, values) }];
	});
}

/** Rebuilds the given providers' aggregates from their rows; returns how many rows it changed. */
async function rebuildAndStore(db: Database, providerIds: readonly number[]) {
	const rebuilt = await rebuild(db, providerIds);
	const changed = rebuilt.filter((r) => r.differs.length > 0);
	if (changed.length) {
		const updatedAt = new Date();
		await db
			.insert(providerFeedback)
			.values(changed.map(({ providerId, values }) => ({ providerId, ...values, updatedAt })))
			.onConflictDoUpdate({
				target: providerFeedback.providerId,
				set: Object.fromEntries(
					(
						[
							'ratingCount',
							'overallMean',
							'weightedScore',
							'summary',
							'heldCount',
							'tallies',
							'updatedAt'
						] as const
					).map((key) => [key, sql.raw(`excluded.${providerFeedback[key].name}`)])
				)
			});
	}
	return { rebuilt, changed: changed.length };
}

/**
 * Rebuilds a provider's aggregate from its rows. Call it inside the transaction that changed
 * them, after locking the provider row (`select … for update`), so two writers never interleave.
 * The write path does not need it (see `applyFeedbackChange`); rebuilds and repairs do.
 */
export async function recomputeFeedback(
	db: Database,
	providerId: number
): Promise<FeedbackSummary> {
	const { rebuilt } = await rebuildAndStore(db, [providerId]);
	return rebuilt[0]?.summary ?? EMPTY_SUMMARY;
}

/**
 * Stores the aggregates of providers that have none yet, from their published ratings (the demo
 * set, written directly with its ratings).
 */
export async function insertFeedback(
	db: Database,
	items: readonly { providerId: number; published: readonly RatingFacts[] }[]
): Promise<void> {
	for (let start = 0; start < items.length; start += 1000) {
		await db.insert(providerFeedback).values(
			items.slice(start, start + 1000).map(({ providerId, published }) => ({
				providerId,
				...valuesOf(tallyAll(published), 0).values
			}))
		);
	}
}

/** What a committed change did to one provider's ratings. */
export interface FeedbackChange {
	/** Ratings that became published (new ones included). */
	published?: readonly RatingFacts[];
	/** Ratings that stopped being published. */
	unpublished?: readonly RatingFacts[];
	/** Change in the number of held ratings. */
	held?: number;
}

/**
 * Folds a change of a provider's ratings into its aggregate: the work of the ratings changed,
 * not of the provider's size. Call it in the transaction that made the change, after the rows
 * were written and under the provider's row lock (every writer of the aggregate takes it). A
 * provider without a current tally (none yet, or from before tallies) is rebuilt from its rows.
 */
export async function applyFeedbackChange(
	db: Database,
	providerId: number,
	change: FeedbackChange
): Promise<void> {
	const [row] = await db
		.select({ tallies: providerFeedback.tallies, heldCount: providerFeedback.heldCount })
		.from(providerFeedback)
		.where(eq(providerFeedback.providerId, providerId));
	if (!row || !isCurrentTally(row.tallies)) {
		await recomputeFeedback(db, providerId);
		return;
	}
	let tally: FeedbackTally;
	try {
		tally = moveRatings(
			moveRatings(row.tallies, change.published ?? [], 1),
			change.unpublished ?? [],
			-1
		);
	} catch (err) {
		// The stored tally lacks what is taken out: it drifted (a write outside this module).
		log.warn(
			{ providerId, err: describeError(err) },
			'stored feedback tally was inconsistent; rebuilt from the ratings'
		);
		await recomputeFeedback(db, providerId);
		return;
	}
	const heldCount = row.heldCount + (change.held ?? 0);
	await db
		.update(providerFeedback)
		.set({ ...valuesOf(tally, heldCount).values, updatedAt: new Date() })
		.where(eq(providerFeedback.providerId, providerId));
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
/** Rows without a tally of the current shape (from before tallies) are rebuilt like old rules. */
const storedTallyVersion = sql`coalesce((${providerFeedback.tallies} ->> 'version')::int, 0)`;

/** Rebuilds a batch of providers in one transaction, each row locked in id order first. */
async function recomputeBatch(db: Database, ids: number[]) {
	return db.transaction(async (tx) => {
		await tx.execute(
			sql`select 1 from ${providers} where ${anyOf(providers.id, ids)} order by ${providers.id} for update`
		);
		return rebuildAndStore(tx, ids);
	});
}

export interface RecomputeOptions {
	/** Providers per transaction. */
	batchSize?: number;
}

const DEFAULT_BATCH = 1000;

/**
 * Calls `each` with the ids `nextIds` names — the first `limit` ids after `after`, in id order —
 * a batch at a time, until it names none; returns the sum of what `each` returned.
 */
async function inBatches(
	batchSize: number,
	nextIds: (after: number, limit: number) => Promise<{ id: number }[]>,
	each: (ids: number[]) => Promise<number>
): Promise<number> {
	let done = 0;
	for (let after = 0; ;) {
		const ids = (await nextIds(after, batchSize)).map((r) => r.id);
		if (ids.length === 0) return done;
		done += await each(ids);
		// ids is not empty here (the loop returned above when it was).
		after = ids[ids.length - 1]!;
	}
}

/**
 * Rebuilds, a batch per transaction, the providers `nextIds` names that have ratings or a stored
 * aggregate; returns how many.
 */
async function recomputeInBatches(
	db: Database,
	batchSize: number,
	nextIds: (after: number, limit: number) => Promise<{ id: number }[]>
): Promise<number> {
	return inBatches(batchSize, nextIds, async (ids) => {
		const { rebuilt, changed } = await recomputeBatch(db, ids);
		if (changed > 0) feedbackChanged();
		return rebuilt.length;
	});
}

/**
 * Recomputes every provider whose stored summary was computed under older rules than
 * FEEDBACK_RULES_VERSION, or that has no tally of the current shape, a batch per transaction;
 * returns how many.
 */
export function recomputeStale(db: Database, options: RecomputeOptions = {}) {
	return recomputeInBatches(db, options.batchSize ?? DEFAULT_BATCH, (after, limit) =>
		db
			.select({ id: providerFeedback.providerId })
			.from(providerFeedback)
			.where(
				and(
					or(
						sql`${storedVersion} < ${FEEDBACK_RULES_VERSION}`,
						sql`${storedTallyVersion} <> ${TALLY_VERSION}`
					),
					gt(providerFeedback.providerId, after)
				)
			)
			.orderBy(asc(providerFeedback.providerId))
			.limit(limit)
	);
}

/** The next `limit` providers after `after`, by id (an index range, whatever the table's size). */
function providerIds(db: Database) {
	return (after: number, limit: number) =>
		db
			.select({ id: providers.id })
			.from(providers)
			.where(gt(providers.id, after))
			.orderBy(asc(providers.id))
			.limit(limit);
}

/**
 * Recomputes every provider that has ratings or a stored summary, a batch per transaction, and
 * writes the rows that differ; returns how many providers it went through
 * (`npm run feedback:recompute`).
 */
export function recomputeAll(db: Database, options: RecomputeOptions = {}) {
	return recomputeInBatches(db, options.batchSize ?? DEFAULT_BATCH, providerIds(db));
}

/** A provider whose stored aggregate is not what its ratings give, and the fields that differ. */
export interface FeedbackMismatch {
	providerId: number;
	differs: string[];
}

/**
 * Recomputes every provider's aggregate from its rows, a batch at a time, each batch from one
 * snapshot (so it holds under concurrent writes too), and returns the providers whose stored
 * aggregate differs: none when every aggregate is exact. Writes nothing.
 */
export async function verifyFeedback(
	db: Database,
	options: RecomputeOptions = {}
): Promise<FeedbackMismatch[]> {
	const mismatches: FeedbackMismatch[] = [];
	await inBatches(options.batchSize ?? DEFAULT_BATCH, providerIds(db), async (ids) => {
		const rebuilt = await db.transaction((tx) => rebuild(tx, ids), {
			isolationLevel: 'repeatable read',
			accessMode: 'read only'
		});
		for (const { providerId, differs } of rebuilt)
			if (differs.length) mismatches.push({ providerId, differs });
		return rebuilt.length;
	});
	return mismatches;
}

import { CONDITION_CODES, type ConditionCode } from './conditions';
import {
	ASPECTS,
	CAUTION_ASPECTS,
	DETRACTOR_MAX,
	FEEDBACK_RULES_VERSION,
	NON_RESPONDER_MAX_STARS,
	PROMOTER_MIN,
	cautionFromCounts,
	effectiveShare,
	effectivenessLabel,
	recommendFromCounts,
	weightedScore,
	type AspectKey,
	type FeedbackSummary,
	type RatingFacts
} from './feedback';
import { ROUTE_CODES, type RouteCode } from './routes';

/**
 * Sufficient statistics of a provider's published ratings: how many gave each answer. Tallies
 * add and subtract, so a rating moving in or out of the published set changes its provider's
 * tally by its own, whatever the provider's size; `fromTallies` then gives exactly what
 * `summarize` gives from the rows (src/lib/domain/feedback-tally.test.ts proves it). They hold
 * answers, not rules: a change of the rules (FEEDBACK_RULES_VERSION) does not change them, a
 * change of this shape raises TALLY_VERSION (docs/decisions/019-incremental-rating-aggregates.md).
 */

/** Raise when the shape below changes: stored tallies of another version are rebuilt from rows. */
export const TALLY_VERSION = 1;

/** Counts per star: [0] is the number of 1-star answers, [4] of 5-star ones. */
export type StarCounts = [number, number, number, number, number];

export interface FeedbackTally {
	version: typeof TALLY_VERSION;
	/** Overall stars of every published rating. */
	overall: StarCounts;
	/** Each rating's effectiveness answer: its effectiveness stars, else its overall stars. */
	answers: StarCounts;
	/** The aspects answered (a rating may skip any of them). */
	aspects: Record<AspectKey, StarCounts>;
	/** "Would you recommend", [0] counting the answers 0 … [10] the answers 10. */
	recommend: number[];
	/** Effectiveness answers of the ratings naming each condition (absent: none). */
	conditions: Partial<Record<ConditionCode, StarCounts>>;
	/** Prices paid per session, per route: how many paid each price (absent: none). */
	prices: Partial<Record<RouteCode, Record<string, number>>>;
}

const stars = (): StarCounts => [0, 0, 0, 0, 0];

export function emptyTally(): FeedbackTally {
	return {
		version: TALLY_VERSION,
		overall: stars(),
		answers: stars(),
		aspects: Object.fromEntries(ASPECTS.map(({ key }) => [key, stars()])) as Record<
			AspectKey,
			StarCounts
		>,
		recommend: Array.from({ length: 11 }, () => 0),
		conditions: {},
		prices: {}
	};
}

function wholeIn(value: number, min: number, max: number, what: string): number {
	if (!Number.isInteger(value) || value < min || value > max)
		throw new RangeError(`${what} must be a whole number from ${min} to ${max}, not ${value}`);
	return value;
}

const conditionCodes = new Set<string>(CONDITION_CODES);
const routeCodes = new Set<string>(ROUTE_CODES);

/** Adds `sign` (1 or −1) times one rating into `tally`, in place. */
function include(tally: FeedbackTally, rating: RatingFacts, sign: 1 | -1): void {
	const overall = wholeIn(rating.overall, 1, 5, 'overall') - 1;
	tally.overall[overall]! += sign;
	const answer = rating.effectiveness ?? rating.overall;
	tally.answers[wholeIn(answer, 1, 5, 'effectiveness') - 1]! += sign;
	for (const { key } of ASPECTS) {
		const value = rating[key];
		if (typeof value === 'number') tally.aspects[key][wholeIn(value, 1, 5, key) - 1]! += sign;
	}
	if (typeof rating.recommend === 'number')
		tally.recommend[wholeIn(rating.recommend, 0, 10, 'recommend')]! += sign;
	for (const condition of new Set(rating.conditions ?? [])) {
		if (!conditionCodes.has(condition)) continue;
		const counts = (tally.conditions[condition] ??= stars());
		counts[answer - 1]! += sign;
	}
	if (rating.route && routeCodes.has(rating.route) && typeof rating.pricePaid === 'number') {
		const prices = (tally.prices[rating.route] ??= {});
		const key = String(rating.pricePaid);
		prices[key] = (prices[key] ?? 0) + sign;
	}
}

/** The tally of one rating. */
export function tallyOf(rating: RatingFacts): FeedbackTally {
	const tally = emptyTally();
	include(tally, rating, 1);
	return tally;
}

/** The tally of many ratings (what `facts.map(tallyOf).reduce(add)` gives, without the copies). */
export function tallyAll(ratings: Iterable<RatingFacts>): FeedbackTally {
	const tally = emptyTally();
	for (const rating of ratings) include(tally, rating, 1);
	return tally;
}

/** `tally` with `ratings` added (sign 1) or taken out (sign −1), in place; returns it. */
export function moveRatings(
	tally: FeedbackTally,
	ratings: Iterable<RatingFacts>,
	sign: 1 | -1
): FeedbackTally {
	for (const rating of ratings) include(tally, rating, sign);
	if (sign === -1) assertNotNegative(tally);
	return tally;
}

function combine(a: FeedbackTally, b: FeedbackTally, sign: 1 | -1): FeedbackTally {
	const sum = (x: readonly number[], y: readonly number[]) => x.map((v, i) => v + sign * y[i]!);
	const merged: FeedbackTally = {
		version: TALLY_VERSION,
		overall: sum(a.overall, b.overall) as StarCounts,
		answers: sum(a.answers, b.answers) as StarCounts,
		aspects: Object.fromEntries(
			ASPECTS.map(({ key }) => [key, sum(a.aspects[key], b.aspects[key])])
		) as Record<AspectKey, StarCounts>,
		recommend: sum(a.recommend, b.recommend),
		conditions: {},
		prices: {}
	};
	for (const code of CONDITION_CODES) {
		const x = a.conditions[code];
		const y = b.conditions[code];
		if (x || y) merged.conditions[code] = sum(x ?? stars(), y ?? stars()) as StarCounts;
	}
	for (const route of ROUTE_CODES) {
		const x = a.prices[route];
		const y = b.prices[route];
		if (!x && !y) continue;
		const prices: Record<string, number> = { ...x };
		for (const [price, n] of Object.entries(y ?? {}))
			prices[price] = (prices[price] ?? 0) + sign * n;
		merged.prices[route] = prices;
	}
	return prune(merged);
}

export function add(a: FeedbackTally, b: FeedbackTally): FeedbackTally {
	return combine(a, b, 1);
}

/** `a` without `b`; throws if `b` holds answers `a` does not (it was never added). */
export function subtract(a: FeedbackTally, b: FeedbackTally): FeedbackTally {
	return assertNotNegative(combine(a, b, -1));
}

const total = (counts: readonly number[]) => counts.reduce((s, n) => s + n, 0);

/** Drops conditions, routes and prices no rating holds any more, so equal tallies look equal. */
function prune(tally: FeedbackTally): FeedbackTally {
	for (const code of CONDITION_CODES) {
		const counts = tally.conditions[code];
		if (counts && counts.every((n) => n === 0)) delete tally.conditions[code];
	}
	for (const route of ROUTE_CODES) {
		const prices = tally.prices[route];
		if (!prices) continue;
		for (const [price, n] of Object.entries(prices)) if (n === 0) delete prices[price];
		if (Object.keys(prices).length === 0) delete tally.prices[route];
	}
	return tally;
}

function assertNotNegative(tally: FeedbackTally): FeedbackTally {
	prune(tally);
	const lists = [
		tally.overall,
		tally.answers,
		tally.recommend,
		...Object.values(tally.aspects),
		...Object.values(tally.conditions),
		...Object.values(tally.prices).map((p) => Object.values(p))
	];
	if (lists.some((counts) => counts.some((n) => n < 0)))
		throw new RangeError('A tally went below zero: a rating was taken out that was never added.');
	return tally;
}

/** Whether `stored` (a jsonb value) is a tally of the current shape. */
export function isCurrentTally(stored: unknown): stored is FeedbackTally {
	return (
		typeof stored === 'object' &&
		stored !== null &&
		(stored as { version?: unknown }).version === TALLY_VERSION
	);
}

/** Sum of stars × count, over counts per star (index 0 is 1 star). */
const starSum = (counts: readonly number[]) => counts.reduce((s, n, i) => s + n * (i + 1), 0);
const meanOf = (counts: readonly number[]) => {
	const n = total(counts);
	return n ? starSum(counts) / n : null;
};
const lowCount = (counts: readonly number[]) => total(counts.slice(0, NON_RESPONDER_MAX_STARS));
const responderCount = (counts: readonly number[]) => total(counts.slice(NON_RESPONDER_MAX_STARS));

/** The median of a {price: how many} histogram holding `count` prices (count > 0). */
function histogramMedian(histogram: Record<string, number>, count: number): number {
	const sorted = Object.entries(histogram)
		.map(([price, n]) => [Number(price), n] as const)
		.sort((a, b) => a[0] - b[0]);
	const nth = (index: number) => {
		let seen = 0;
		for (const [price, n] of sorted) {
			seen += n;
			if (index < seen) return price;
		}
		throw new RangeError(`No price ${index} in a histogram of ${count}`);
	};
	const mid = Math.floor(count / 2);
	return count % 2 ? nth(mid) : (nth(mid - 1) + nth(mid)) / 2;
}

/** The summary `summarize` gives for the ratings `tally` counts. */
export function fromTallies(tally: FeedbackTally): FeedbackSummary {
	const count = total(tally.overall);
	const overallMean = meanOf(tally.overall);
	const aspects = Object.fromEntries(
		ASPECTS.map(({ key }) => {
			const counts = tally.aspects[key];
			return [key, { mean: meanOf(counts), count: total(counts) }];
		})
	) as FeedbackSummary['aspects'];
	const effectiveness = {
		count: total(tally.answers),
		fromEffectiveness: aspects.effectiveness.count,
		mean: meanOf(tally.answers),
		responders: responderCount(tally.answers)
	};
	const byCondition = CONDITION_CODES.flatMap((condition) => {
		const counts = tally.conditions[condition];
		const n = counts ? total(counts) : 0;
		return counts && n
			? [{ condition, count: n, effectivePercent: effectiveShare(responderCount(counts), n) }]
			: [];
	}).sort((a, b) => b.count - a.count);
	const medianPrice: FeedbackSummary['medianPrice'] = {};
	for (const route of ROUTE_CODES) {
		const histogram = tally.prices[route];
		const n = histogram ? total(Object.values(histogram)) : 0;
		if (histogram && n) medianPrice[route] = { median: histogramMedian(histogram, n), count: n };
	}
	const cautions = CAUTION_ASPECTS.flatMap((aspect) => {
		const counts = aspect === 'overall' ? tally.overall : tally.aspects[aspect];
		const found = cautionFromCounts(aspect, lowCount(counts), total(counts));
		return found ? [found] : [];
	});
	const { recommend } = tally;
	return {
		rulesVersion: FEEDBACK_RULES_VERSION,
		count,
		overallMean,
		distribution: [...tally.overall],
		effectivePercent: effectiveShare(effectiveness.responders, effectiveness.count),
		label: effectivenessLabel(effectiveness.mean, effectiveness.count),
		effectiveness,
		aspects,
		recommend: recommendFromCounts(
			total(recommend.slice(PROMOTER_MIN)),
			total(recommend.slice(0, DETRACTOR_MAX + 1)),
			total(recommend)
		),
		weightedScore: weightedScore(count, overallMean),
		byCondition,
		medianPrice,
		cautions
	};
}

import { CONDITION_CODES, type ConditionCode } from './conditions';
import { ROUTE_CODES, type RouteCode } from './routes';

/**
 * How patient ratings become the feedback shown on every listing. Every constant here is
 * published on /methodology; change them there too.
 */

export const ASPECTS = [
	{ key: 'effectiveness', label: 'Effectiveness', phrase: 'effectiveness' },
	{ key: 'support', label: 'Support during treatment', phrase: 'support during treatment' },
	{ key: 'value', label: 'Value for cost', phrase: 'value for cost' },
	{ key: 'education', label: 'Education & screening', phrase: 'education and screening' },
	{ key: 'setting', label: 'Setting & comfort', phrase: 'setting and comfort' }
] as const;

export type AspectKey = (typeof ASPECTS)[number]['key'];

/** One published rating, as the formulas need it. */
export interface RatingFacts {
	overall: number;
	effectiveness?: number | null;
	support?: number | null;
	value?: number | null;
	education?: number | null;
	setting?: number | null;
	/** "Would you recommend to others", 0–10. */
	recommend?: number | null;
	route?: RouteCode | null;
	pricePaid?: number | null;
	conditions?: readonly ConditionCode[];
}

/** The patient survey's rule: a rating of 2 stars or less is a non-responder. */
export const NON_RESPONDER_MAX_STARS = 2;

/** Lower bounds of the effectiveness labels, on the mean overall rating, best first. */
export const LABEL_THRESHOLDS = [
	{ label: 'Amazing', min: 4.5 },
	{ label: 'Highly Effective', min: 3.75 },
	{ label: 'Effective', min: 3 },
	{ label: 'Partially Effective', min: 2.25 },
	{ label: 'Ineffective', min: 1 }
] as const;

export type EffectivenessLabel = (typeof LABEL_THRESHOLDS)[number]['label'] | 'Not Rated';

/**
 * Bayesian weighted score: v/(v+m)·R + m/(v+m)·C. C is the scale's midpoint, a neutral prior that
 * does not move when other providers are rated; m is how many ratings it takes for a provider's
 * own mean to count as much as the prior.
 */
export const BAYES_PRIOR_MEAN = 3;
export const BAYES_PRIOR_WEIGHT = 5;

/** A caution shows when an aspect has at least this many ratings… */
export const CAUTION_MIN_RATINGS = 5;
/** …and at least this share of them are NON_RESPONDER_MAX_STARS or lower. */
export const CAUTION_MIN_SHARE = 0.4;
/** The aspects the caution rules watch ('overall' is the overall rating). */
export const CAUTION_ASPECTS = ['overall', 'support', 'education', 'value'] as const;
export type CautionAspect = (typeof CAUTION_ASPECTS)[number];

export interface AspectSummary {
	mean: number | null;
	count: number;
}

export interface Caution {
	aspect: CautionAspect;
	low: number;
	total: number;
	text: string;
}

export interface ConditionSummary {
	condition: ConditionCode;
	count: number;
	effectivePercent: number;
}

export interface FeedbackSummary {
	count: number;
	overallMean: number | null;
	/** distribution[0] is the number of 1-star ratings, distribution[4] of 5-star ones. */
	distribution: [number, number, number, number, number];
	effectivePercent: number | null;
	label: EffectivenessLabel;
	aspects: Record<AspectKey, AspectSummary>;
	recommend: { score: number; count: number; promoters: number; detractors: number } | null;
	weightedScore: number | null;
	byCondition: ConditionSummary[];
	medianPrice: Partial<Record<RouteCode, { median: number; count: number }>>;
	cautions: Caution[];
}

export function mean(values: readonly number[]): number | null {
	return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Share of ratings above NON_RESPONDER_MAX_STARS, as a whole percentage; null with none. */
export function effectivePercent(stars: readonly number[]): number | null {
	if (stars.length === 0) return null;
	const responders = stars.filter((s) => s > NON_RESPONDER_MAX_STARS).length;
	return Math.round((responders * 100) / stars.length);
}

export function effectivenessLabel(overallMean: number | null, count: number): EffectivenessLabel {
	if (count === 0 || overallMean === null) return 'Not Rated';
	return LABEL_THRESHOLDS.find((t) => overallMean >= t.min)?.label ?? 'Ineffective';
}

/** Share of 9–10 answers minus share of 0–6 answers, in points from −100 to 100. */
export function recommendScore(answers: readonly number[]) {
	if (answers.length === 0) return null;
	const promoters = answers.filter((a) => a >= 9).length;
	const detractors = answers.filter((a) => a <= 6).length;
	return {
		// Halves round away from zero (+13 and −13 for one in eight), and never to −0.
		score:
			Math.sign(promoters - detractors) *
				Math.round((Math.abs(promoters - detractors) * 100) / answers.length) +
			0,
		count: answers.length,
		promoters,
		detractors
	};
}

export function weightedScore(count: number, overallMean: number | null): number | null {
	if (count === 0 || overallMean === null) return null;
	const m = BAYES_PRIOR_WEIGHT;
	return (count / (count + m)) * overallMean + (m / (count + m)) * BAYES_PRIOR_MEAN;
}

const CAUTION_PHRASE: Record<CautionAspect, string> = {
	overall: 'their overall experience',
	support: 'support during treatment',
	education: 'education and screening',
	value: 'value for cost'
};

export function caution(aspect: CautionAspect, stars: readonly number[]): Caution | null {
	const total = stars.length;
	const low = stars.filter((s) => s <= NON_RESPONDER_MAX_STARS).length;
	if (total < CAUTION_MIN_RATINGS || low / total < CAUTION_MIN_SHARE) return null;
	return {
		aspect,
		low,
		total,
		text: `${low} of ${total} patients rated ${CAUTION_PHRASE[aspect]} ${NON_RESPONDER_MAX_STARS} stars or lower`
	};
}

const present = (values: (number | null | undefined)[]) =>
	values.filter((v): v is number => typeof v === 'number');

export function summarize(ratings: readonly RatingFacts[]): FeedbackSummary {
	const overall = ratings.map((r) => r.overall);
	const distribution: FeedbackSummary['distribution'] = [0, 0, 0, 0, 0];
	for (const s of overall) distribution[s - 1] += 1;
	const overallMean = mean(overall);

	const aspects = Object.fromEntries(
		ASPECTS.map(({ key }) => {
			const values = present(ratings.map((r) => r[key]));
			return [key, { mean: mean(values), count: values.length }];
		})
	) as Record<AspectKey, AspectSummary>;

	const byCondition = CONDITION_CODES.flatMap((condition) => {
		const stars = ratings.filter((r) => r.conditions?.includes(condition)).map((r) => r.overall);
		return stars.length
			? [{ condition, count: stars.length, effectivePercent: effectivePercent(stars) as number }]
			: [];
	}).sort((a, b) => b.count - a.count);

	const medianPrice: FeedbackSummary['medianPrice'] = {};
	for (const route of ROUTE_CODES) {
		const prices = present(ratings.filter((r) => r.route === route).map((r) => r.pricePaid));
		if (prices.length)
			medianPrice[route] = { median: median(prices) as number, count: prices.length };
	}

	const cautions = CAUTION_ASPECTS.flatMap((aspect) => {
		const stars = aspect === 'overall' ? overall : present(ratings.map((r) => r[aspect]));
		const found = caution(aspect, stars);
		return found ? [found] : [];
	});

	return {
		count: ratings.length,
		overallMean,
		distribution,
		effectivePercent: effectivePercent(overall),
		label: effectivenessLabel(overallMean, ratings.length),
		aspects,
		recommend: recommendScore(present(ratings.map((r) => r.recommend))),
		weightedScore: weightedScore(ratings.length, overallMean),
		byCondition,
		medianPrice,
		cautions
	};
}

export const EMPTY_SUMMARY: FeedbackSummary = summarize([]);

/** What a card, a map popup and an API list entry show. */
export interface FeedbackBrief {
	count: number;
	overallMean: number | null;
	label: EffectivenessLabel;
	effectivePercent: number | null;
	weightedScore: number | null;
	cautions: Caution[];
	/** Ratings waiting for a moderator (not in any number above). */
	heldCount: number;
}

export function brief(summary: FeedbackSummary, heldCount: number): FeedbackBrief {
	return {
		count: summary.count,
		overallMean: summary.overallMean,
		label: summary.label,
		effectivePercent: summary.effectivePercent,
		weightedScore: summary.weightedScore,
		cautions: summary.cautions,
		heldCount
	};
}

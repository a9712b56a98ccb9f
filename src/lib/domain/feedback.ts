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

/**
 * The version of the rules below. Stored with every summary (`provider_feedback.summary`): a
 * summary of an older version is recomputed at start-up (src/lib/server/feedback.ts). Raise it
 * whenever a change here changes what a summary holds or how it is computed.
 *   1 (implicit: no version stored): labels from the mean overall rating, from one rating on.
 *   2: labels and "rated it effective" from the effectiveness answers, from LABEL_MIN_ANSWERS on.
 */
export const FEEDBACK_RULES_VERSION = 2;

/** The patient survey's rule: a rating of 2 stars or less is a non-responder. */
export const NON_RESPONDER_MAX_STARS = 2;

/**
 * A label, or a "rated it effective" share, needs at least this many answers (of the provider,
 * or of one condition treated); with fewer, the directory says "Too few ratings yet".
 */
export const LABEL_MIN_ANSWERS = 3;

/** Lower bounds of the effectiveness labels, on the mean effectiveness answer, best first. */
export const LABEL_THRESHOLDS = [
	{ label: 'Amazing', min: 4.5 },
	{ label: 'Highly Effective', min: 3.75 },
	{ label: 'Effective', min: 3 },
	{ label: 'Partially Effective', min: 2.25 },
	{ label: 'Ineffective', min: 1 }
] as const;

export const TOO_FEW = 'Too few ratings yet';

export type EffectivenessLabel =
	(typeof LABEL_THRESHOLDS)[number]['label'] | typeof TOO_FEW | 'Not Rated';

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

/**
 * The caution rules, one per aspect watched ('overall' is the overall rating), in the order notes
 * are listed, with the only copy of their wording: `subject` names the aspect on /methodology,
 * `phrase` in the note on a listing. A stored caution needs only its rule and its numbers.
 */
export const CAUTION_RULES = [
	{
		id: 'low-overall',
		aspect: 'overall',
		subject: 'the overall rating',
		phrase: 'their overall experience'
	},
	{
		id: 'low-support',
		aspect: 'support',
		subject: 'support during treatment',
		phrase: 'support during treatment'
	},
	{
		id: 'low-education',
		aspect: 'education',
		subject: 'education and screening',
		phrase: 'education and screening'
	},
	{ id: 'low-value', aspect: 'value', subject: 'value for cost', phrase: 'value for cost' }
] as const;
export type CautionRuleId = (typeof CAUTION_RULES)[number]['id'];
export type CautionAspect = (typeof CAUTION_RULES)[number]['aspect'];
export const CAUTION_ASPECTS: readonly CautionAspect[] = CAUTION_RULES.map((r) => r.aspect);

/** The note a caution shows: its evidence, in numbers. */
export function cautionText(aspect: CautionAspect, low: number, total: number): string {
	const rule = CAUTION_RULES.find((r) => r.aspect === aspect)!;
	return `${low} of ${total} patients rated ${rule.phrase} ${NON_RESPONDER_MAX_STARS} stars or lower`;
}

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
	/** null with fewer than LABEL_MIN_ANSWERS ratings for this condition. */
	effectivePercent: number | null;
}

/**
 * What the label and "rated it effective" rest on: one answer per published rating, its
 * effectiveness stars, or its overall stars when it did not answer that question.
 */
export interface EffectivenessBasis {
	/** Answers counted: one per published rating. */
	count: number;
	/** Of which answered the effectiveness question itself (the rest gave overall stars only). */
	fromEffectiveness: number;
	mean: number | null;
	/** Answers above NON_RESPONDER_MAX_STARS. */
	responders: number;
}

export interface FeedbackSummary {
	/** FEEDBACK_RULES_VERSION when computed. */
	rulesVersion: number;
	count: number;
	overallMean: number | null;
	/** distribution[0] is the number of 1-star ratings, distribution[4] of 5-star ones. */
	distribution: [number, number, number, number, number];
	/** Responders over all answers of `effectiveness`; null with fewer than LABEL_MIN_ANSWERS. */
	effectivePercent: number | null;
	label: EffectivenessLabel;
	effectiveness: EffectivenessBasis;
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
	// The list is not empty, so mid and (for an even length) mid - 1 are in range.
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A rating's answer on effectiveness: its effectiveness stars, else its overall stars. */
export function effectivenessAnswer(rating: RatingFacts): number {
	return rating.effectiveness ?? rating.overall;
}

/**
 * Share of answers above NON_RESPONDER_MAX_STARS, as a whole percentage; null with fewer than
 * LABEL_MIN_ANSWERS answers, where one or two patients would read as "100%" or "0%".
 */
export function effectivePercent(stars: readonly number[]): number | null {
	return effectiveShare(stars.filter((s) => s > NON_RESPONDER_MAX_STARS).length, stars.length);
}

/** effectivePercent from counts: `responders` of `answers`. */
export function effectiveShare(responders: number, answers: number): number | null {
	if (answers < LABEL_MIN_ANSWERS) return null;
	return Math.round((responders * 100) / answers);
}

/** The label for `count` effectiveness answers averaging `mean`. */
export function effectivenessLabel(mean: number | null, count: number): EffectivenessLabel {
	if (count === 0 || mean === null) return 'Not Rated';
	if (count < LABEL_MIN_ANSWERS) return TOO_FEW;
	return LABEL_THRESHOLDS.find((t) => mean >= t.min)?.label ?? 'Ineffective';
}

/** Share of 9–10 answers minus share of 0–6 answers, in points from −100 to 100. */
export function recommendScore(answers: readonly number[]) {
	return recommendFromCounts(
		answers.filter((a) => a >= PROMOTER_MIN).length,
		answers.filter((a) => a <= DETRACTOR_MAX).length,
		answers.length
	);
}

/** "Would you recommend" answers from this value up are promoters… */
export const PROMOTER_MIN = 9;
/** …and up to this one detractors. */
export const DETRACTOR_MAX = 6;

/** recommendScore from counts: `promoters` and `detractors` among `count` answers. */
export function recommendFromCounts(promoters: number, detractors: number, count: number) {
	if (count === 0) return null;
	return {
		// Halves round away from zero (+13 and −13 for one in eight), and never to −0.
		score:
			Math.sign(promoters - detractors) *
				Math.round((Math.abs(promoters - detractors) * 100) / count) +
			0,
		count,
		promoters,
		detractors
	};
}

export function weightedScore(count: number, overallMean: number | null): number | null {
	if (count === 0 || overallMean === null) return null;
	const m = BAYES_PRIOR_WEIGHT;
	return (count / (count + m)) * overallMean + (m / (count + m)) * BAYES_PRIOR_MEAN;
}

export function caution(aspect: CautionAspect, stars: readonly number[]): Caution | null {
	return cautionFromCounts(
		aspect,
		stars.filter((s) => s <= NON_RESPONDER_MAX_STARS).length,
		stars.length
	);
}

/** caution from counts: `low` answers of NON_RESPONDER_MAX_STARS or fewer among `total`. */
export function cautionFromCounts(
	aspect: CautionAspect,
	low: number,
	total: number
): Caution | null {
	if (total < CAUTION_MIN_RATINGS || low / total < CAUTION_MIN_SHARE) return null;
	return { aspect, low, total, text: cautionText(aspect, low, total) };
}

/**
 * A stored caution in the shape readers show, its wording always from CAUTION_RULES: stored by
 * rule id with its numbers, or (older rows) by aspect with a sentence that is not used.
 */
function cautionFromStored(stored: {
	rule?: CautionRuleId;
	aspect?: CautionAspect;
	low: number;
	total: number;
}): Caution[] {
	const aspect = stored.aspect ?? CAUTION_RULES.find((r) => r.id === stored.rule)?.aspect;
	if (!aspect) return [];
	return [
		{
			aspect,
			low: stored.low,
			total: stored.total,
			text: cautionText(aspect, stored.low, stored.total)
		}
	];
}

/** A caution as stored: its rule and its numbers; the wording is the rule's, when it is read. */
export interface StoredCaution {
	rule: CautionRuleId;
	low: number;
	total: number;
}

export type StoredSummary = Omit<FeedbackSummary, 'cautions'> & { cautions: StoredCaution[] };

/** A summary as `provider_feedback.summary` keeps it: numbers and rule ids, no sentences. */
export function toStored(summary: FeedbackSummary): StoredSummary {
	return {
		...summary,
		cautions: summary.cautions.map(({ aspect, low, total }) => ({
			rule: CAUTION_RULES.find((r) => r.aspect === aspect)!.id,
			low,
			total
		}))
	};
}

const present = (values: (number | null | undefined)[]) =>
	values.filter((v): v is number => typeof v === 'number');

export function summarize(ratings: readonly RatingFacts[]): FeedbackSummary {
	const overall = ratings.map((r) => r.overall);
	const distribution: FeedbackSummary['distribution'] = [0, 0, 0, 0, 0];
	// Overall stars are whole numbers from 1 to 5, so s - 1 is always one of the five buckets.
	for (const s of overall) distribution[s - 1]! += 1;
	const overallMean = mean(overall);

	const aspects = Object.fromEntries(
		ASPECTS.map(({ key }) => {
			const values = present(ratings.map((r) => r[key]));
			return [key, { mean: mean(values), count: values.length }];
		})
	) as Record<AspectKey, AspectSummary>;

	const answers = ratings.map(effectivenessAnswer);
	const effectiveness: EffectivenessBasis = {
		count: answers.length,
		fromEffectiveness: present(ratings.map((r) => r.effectiveness)).length,
		mean: mean(answers),
		responders: answers.filter((s) => s > NON_RESPONDER_MAX_STARS).length
	};

	const byCondition = CONDITION_CODES.flatMap((condition) => {
		const stars = ratings.filter((r) => r.conditions?.includes(condition)).map(effectivenessAnswer);
		return stars.length
			? [{ condition, count: stars.length, effectivePercent: effectivePercent(stars) }]
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
		rulesVersion: FEEDBACK_RULES_VERSION,
		count: ratings.length,
		overallMean,
		distribution,
		effectivePercent: effectivePercent(answers),
		label: effectivenessLabel(effectiveness.mean, effectiveness.count),
		effectiveness,
		aspects,
		recommend: recommendScore(present(ratings.map((r) => r.recommend))),
		weightedScore: weightedScore(ratings.length, overallMean),
		byCondition,
		medianPrice,
		cautions
	};
}

export const EMPTY_SUMMARY: FeedbackSummary = summarize([]);

/**
 * A summary read back from storage, in the current shape. One computed under older rules (until
 * the start-up recompute reaches it) keeps its numbers, described as what they were: every rating
 * counted by its overall stars; it shows no label or share from fewer than LABEL_MIN_ANSWERS.
 */
export function fromStored(stored: unknown): FeedbackSummary {
	const s = stored as Partial<FeedbackSummary> & Omit<FeedbackSummary, 'rulesVersion'>;
	// The column's default, `{}`: nothing summarised yet.
	if (!Array.isArray(s?.distribution)) return EMPTY_SUMMARY;
	const cautions = (s.cautions ?? []).flatMap(cautionFromStored);
	if (s.rulesVersion === FEEDBACK_RULES_VERSION) return { ...(s as FeedbackSummary), cautions };
	const guarded = (n: number | null, count: number) => (count < LABEL_MIN_ANSWERS ? null : n);
	return {
		...s,
		rulesVersion: s.rulesVersion ?? 1,
		effectivePercent: guarded(s.effectivePercent, s.count),
		label:
			s.count === 0 ? 'Not Rated' : s.count < LABEL_MIN_ANSWERS ? TOO_FEW : (s.label ?? TOO_FEW),
		effectiveness: s.effectiveness ?? {
			count: s.count,
			fromEffectiveness: 0,
			mean: s.overallMean,
			responders: s.distribution.slice(NON_RESPONDER_MAX_STARS).reduce((a, b) => a + b, 0)
		},
		byCondition: s.byCondition.map((c) => ({
			...c,
			effectivePercent: guarded(c.effectivePercent, c.count)
		})),
		cautions
	};
}

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

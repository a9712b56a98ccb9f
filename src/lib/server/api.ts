import {
	LABEL_MIN_ANSWERS,
	brief,
	type FeedbackBrief,
	type FeedbackSummary
} from '../domain/feedback';
import type { ProviderProfile, ProviderSummary } from '../domain/provider';
import { providerApiJson } from '../domain/provider-shapes';
import { config } from './config';

/** JSON shapes of the public API (docs/api.md). */

const round = (n: number | null, digits: number) =>
	n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * What links in API answers start with: the configured ORIGIN, or nothing (root-relative links).
 * Never the request's own origin, which comes from the client's Host header.
 */
export function linkBase(): string {
	return config().origin ?? '';
}

function feedbackBriefJson(f: FeedbackBrief, origin: string) {
	return {
		count: f.count,
		averageRating: round(f.overallMean, 2),
		label: f.label,
		effectivePercent: f.effectivePercent,
		weightedScore: round(f.weightedScore, 3),
		cautions: f.cautions,
		ratingsUnderReview: f.heldCount,
		methodology: `${origin}/methodology`
	};
}

function feedbackJson(f: FeedbackSummary, heldCount: number, origin: string) {
	return {
		...feedbackBriefJson(brief(f, heldCount), origin),
		effectivenessBasis: {
			count: f.effectiveness.count,
			fromEffectivenessQuestion: f.effectiveness.fromEffectiveness,
			average: round(f.effectiveness.mean, 2),
			responders: f.effectiveness.responders,
			minimumForLabel: LABEL_MIN_ANSWERS
		},
		distribution: {
			1: f.distribution[0],
			2: f.distribution[1],
			3: f.distribution[2],
			4: f.distribution[3],
			5: f.distribution[4]
		},
		aspects: Object.fromEntries(
			Object.entries(f.aspects).map(([key, a]) => [
				key,
				{ average: round(a.mean, 2), count: a.count }
			])
		),
		recommend: f.recommend,
		byCondition: f.byCondition,
		medianPricePaid: f.medianPrice
	};
}

export function listEntryJson(p: ProviderSummary, origin: string) {
	return {
		...providerApiJson(p, origin, 'summary'),
		feedback: feedbackBriefJson(p.feedback, origin)
	};
}

export function profileJson(p: ProviderProfile, origin: string) {
	return {
		...providerApiJson(p, origin, 'profile'),
		feedback: feedbackJson(p.feedback, p.heldCount, origin)
	};
}

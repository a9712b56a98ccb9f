import {
	LABEL_MIN_ANSWERS,
	brief,
	type FeedbackBrief,
	type FeedbackSummary
} from '../domain/feedback';
import type { ProviderProfile, ProviderSummary } from './providers';

/** JSON shapes of the public API (docs/api.md). */

const round = (n: number | null, digits: number) =>
	n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

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

export function summaryJson(
	p: Omit<ProviderSummary, 'feedback'>,
	origin: string,
	feedback?: FeedbackBrief
) {
	return {
		slug: p.slug,
		name: p.name,
		kinds: p.kinds,
		city: p.city,
		state: p.state,
		zip: p.zip,
		lat: p.lat,
		lng: p.lng,
		routes: p.routes,
		telehealthStates: p.telehealthStates,
		offersPsychotherapy: p.offersPsychotherapy,
		acceptsInsurance: p.acceptsInsurance,
		demo: p.isDemo,
		url: `${origin}/providers/${p.slug}`,
		...(feedback ? { feedback: feedbackBriefJson(feedback, origin) } : {})
	};
}

export function listEntryJson(p: ProviderSummary, origin: string) {
	return summaryJson(p, origin, p.feedback);
}

export function profileJson(p: ProviderProfile, origin: string) {
	return {
		...summaryJson({ ...p, routes: [] }, origin),
		routes: p.routes,
		description: p.description,
		website: p.website,
		phone: p.phone,
		email: p.email,
		street: p.street,
		consultFee: p.consultFee,
		insuranceNotes: p.insuranceNotes,
		conditions: p.conditions,
		lastVerifiedAt: p.lastVerifiedAt?.toISOString() ?? null,
		updatedAt: p.updatedAt.toISOString(),
		feedback: feedbackJson(p.feedback, p.heldCount, origin)
	};
}

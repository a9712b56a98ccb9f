import type { ProviderProfile, ProviderSummary } from './providers';

/** JSON shapes of the public API (docs/api.md). */
export function summaryJson(p: ProviderSummary, origin: string) {
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
		url: `${origin}/providers/${p.slug}`
	};
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
		updatedAt: p.updatedAt.toISOString()
	};
}

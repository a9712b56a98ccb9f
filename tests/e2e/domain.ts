/**
 * What the browser suite checks the pages against: the route labels from ../shared/DOMAIN.md
 * (written out here on purpose, so the pages are compared with the product's vocabulary rather
 * than with the app's own source), and the shapes of the JSON API.
 */

export const ROUTE_LABELS = {
	iv: 'IV infusion',
	im: 'IM injection',
	intranasal: 'Intranasal ketamine',
	esketamine: 'Spravato (esketamine) nasal spray',
	troche: 'Troche / lozenge (sublingual)',
	rdt: 'Rapid-dissolve tablet',
	oral: 'Oral (capsule / liquid)',
	rectal: 'Suppository',
	transdermal: 'Transdermal',
	nebulized: 'Nebulized'
} as const;

export type RouteCode = keyof typeof ROUTE_LABELS;

export const ROUTE_CODES = Object.keys(ROUTE_LABELS) as RouteCode[];

export interface ApiRoute {
	code: RouteCode;
	priceMin: number | null;
	priceMax: number | null;
	seriesPrice?: number | null;
	notes?: string | null;
}

export interface ApiProviderSummary {
	slug: string;
	name: string;
	kinds: string[];
	city: string;
	state: string;
	zip: string;
	lat: number;
	lng: number;
	routes: ApiRoute[];
	telehealthStates: string[];
	url: string;
}

export interface ApiProviderList {
	total: number;
	page: number;
	pageSize: number;
	results: ApiProviderSummary[];
}

export interface ApiProviderProfile extends ApiProviderSummary {
	description: string;
	phone: string | null;
	email: string | null;
	website: string | null;
	street: string | null;
	lastVerifiedAt: string | null;
}

export interface ApiStateRow {
	code: string;
	name: string;
	total: number;
	byRoute: Record<RouteCode, number>;
}

export interface ApiStates {
	states: ApiStateRow[];
	nation: { total: number; byRoute: Record<RouteCode, number> };
}

const usd = new Intl.NumberFormat('en-US', {
	style: 'currency',
	currency: 'USD',
	maximumFractionDigits: 0
});

/** How a person expects a price range to read: "$400–$650", "$400", "from $400", "up to $650". */
export function priceText(min: number | null, max: number | null): string | null {
	if (min == null && max == null) return null;
	if (min != null && max != null)
		return min === max ? usd.format(min) : `${usd.format(min)}–${usd.format(max)}`;
	if (min != null) return `from ${usd.format(min)}`;
	return `up to ${usd.format(max as number)}`;
}

/** "December 2, 2025" for a date-only ISO timestamp. */
export function dateText(iso: string): string {
	return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(
		new Date(iso)
	);
}

/** The order the directory promises ("sorted by name"); ties are allowed (names can repeat). */
export function inNameOrder(before: string, after: string): boolean {
	return before <= after;
}

export interface Caution {
	aspect: string;
	low: number;
	total: number;
	text: string;
}

/** A list entry's `feedback` in the JSON API. */
export interface FeedbackBrief {
	count: number;
	averageRating: number | null;
	label: string;
	effectivePercent: number | null;
	weightedScore: number | null;
	cautions: Caution[];
	ratingsUnderReview: number;
	methodology: string;
}

/** A profile's `feedback` in the JSON API. */
export interface Feedback extends FeedbackBrief {
	effectivenessBasis: {
		count: number;
		fromEffectivenessQuestion: number;
		average: number | null;
		responders: number;
		minimumForLabel: number;
	};
	distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
	aspects: Record<string, { average: number | null; count: number }>;
	recommend: { score: number; count: number; promoters: number; detractors: number } | null;
	byCondition: { condition: string; count: number; effectivePercent: number | null }[];
	medianPricePaid: Partial<Record<RouteCode, { median: number; count: number }>>;
}

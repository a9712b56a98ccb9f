import type { ProviderKind } from './kinds';
import { routeLabel, type RouteCode } from './routes';
import { stateName, type StateCode } from './states';

/** The filters a results heading describes. */
export interface SummaryFilters {
	state?: StateCode;
	route?: RouteCode;
	kind?: ProviderKind;
	telehealth?: boolean;
	psychotherapy?: boolean;
	accepting?: true;
}

/**
 * What the results are: the whole directory filtered (`list`), in-person providers within a radius
 * (`near`), or the telehealth services licensed in a state (`telehealth`, a place searched with
 * "Telehealth only": distance does not apply).
 */
export type SummaryScope =
	| { mode: 'list' }
	| { mode: 'near'; radiusMiles: number; placeLabel: string }
	| { mode: 'telehealth'; state?: StateCode };

const NOUNS: Record<ProviderKind | 'any', [string, string]> = {
	any: ['provider', 'providers'],
	clinic: ['clinic', 'clinics'],
	telehealth: ['telehealth service', 'telehealth services'],
	kap: ['KAP practice', 'KAP practices'],
	spravato: ['Spravato center', 'Spravato centers']
};

function nounPhrase(
	kind: ProviderKind | undefined,
	care: 'remote' | 'in-person' | 'any',
	n: 0 | 1
) {
	const noun = NOUNS[kind ?? 'any'][n];
	if (care === 'remote') {
		if (!kind || kind === 'telehealth') return NOUNS.telehealth[n];
		return `${noun} with telehealth`;
	}
	if (care === 'in-person') {
		if (!kind) return `in-person ${noun}`;
		if (kind === 'telehealth') return `${noun} with in-person visits`;
	}
	return noun;
}

function offerPhrase(f: SummaryFilters): string {
	const offered = [
		...(f.route ? [routeLabel(f.route)] : []),
		...(f.psychotherapy === true ? ['psychotherapy / integration'] : [])
	];
	const parts: string[] = [];
	if (f.accepting) parts.push('accepting new patients');
	if (offered.length) parts.push(`offering ${offered.join(' and ')}`);
	if (f.psychotherapy === false) parts.push('without psychotherapy / integration');
	return parts.join(', ');
}

function placePhrase(f: SummaryFilters, scope: SummaryScope): string {
	if (scope.mode === 'near') {
		const within = `within ${scope.radiusMiles} ${scope.radiusMiles === 1 ? 'mile' : 'miles'} of ${scope.placeLabel}`;
		return f.state ? `${within}, located in ${stateName(f.state)}` : within;
	}
	if (scope.mode === 'telehealth')
		return scope.state ? `licensed in ${stateName(scope.state)}` : '';
	if (!f.state) return '';
	if (f.telehealth === true) return `licensed in ${stateName(f.state)}`;
	if (f.telehealth === false) return `in ${stateName(f.state)}`;
	return `serving ${stateName(f.state)}`;
}

/**
 * The results heading as one English phrase: "3 in-person providers within 50 miles of Austin, TX,
 * offering IV infusion", "1 telehealth service licensed in Texas", "12 clinics with telehealth".
 * `capped` says the count stopped at `total` ("More than 200 …").
 */
export function resultsSummary(
	count: { total: number; capped?: boolean },
	filters: SummaryFilters,
	scope: SummaryScope
): string {
	const { total, capped = false } = count;
	const care =
		scope.mode === 'near' || (scope.mode === 'list' && filters.telehealth === false)
			? 'in-person'
			: scope.mode === 'telehealth' || filters.telehealth === true
				? 'remote'
				: 'any';
	const one = total === 1 && !capped;
	const number = capped
		? `More than ${total.toLocaleString('en-US')}`
		: total.toLocaleString('en-US');
	const head = `${number} ${nounPhrase(filters.kind, care, one ? 0 : 1)}`;
	const place = placePhrase(filters, scope);
	const offers = offerPhrase(filters);
	if (!place) return offers ? `${head} ${offers}` : head;
	return offers ? `${head} ${place}, ${offers}` : `${head} ${place}`;
}

import { describe, expect, it } from 'vitest';
import { PROVIDER_KIND_CODES, type ProviderKind } from './kinds';
import { ROUTE_CODES, routeLabel, type RouteCode } from './routes';
import { resultsSummary, type SummaryFilters, type SummaryScope } from './search-summary';
import type { StateCode } from './states';

const kinds: (ProviderKind | undefined)[] = [undefined, ...PROVIDER_KIND_CODES];
const routes: (RouteCode | undefined)[] = [undefined, ...ROUTE_CODES];
const yesNo: (boolean | undefined)[] = [undefined, true, false];
const states: (StateCode | undefined)[] = [undefined, 'TX'];
const scopes: SummaryScope[] = [
	{ mode: 'list' },
	{ mode: 'near', radiusMiles: 50, placeLabel: 'Austin, TX' },
	{ mode: 'near', radiusMiles: 1, placeLabel: '78701 (Austin, TX)' },
	{ mode: 'telehealth', state: 'TX' },
	{ mode: 'telehealth' }
];
const counts = [
	{ total: 0 },
	{ total: 1 },
	{ total: 2 },
	{ total: 1234 },
	{ total: 200, capped: true }
];

function* everyCombination() {
	for (const kind of kinds)
		for (const route of routes)
			for (const telehealth of yesNo)
				for (const psychotherapy of yesNo)
					for (const state of states)
						for (const scope of scopes)
							for (const count of counts) {
								const filters: SummaryFilters = { kind, route, telehealth, psychotherapy, state };
								yield { filters, scope, count, text: resultsSummary(count, filters, scope) };
							}
}

const PLURALS = /\b(providers|clinics|services|practices|centers)\b/;
const SINGULARS = /\b(provider|clinic|service|practice|center)\b/;

describe('resultsSummary', () => {
	it('reads as English for every combination of filters, scopes and counts', () => {
		let checked = 0;
		for (const { filters, scope, count, text } of everyCombination()) {
			const where = `${JSON.stringify({ filters, scope, count })} → “${text}”`;
			checked++;
			// No invented plurals ("telehealths"), no repeated or dangling words and punctuation.
			expect(text, where).not.toMatch(/telehealths|ss\b|\s{2}|\s,|,,|,$|\s$|^\s/);
			expect(text, where).not.toMatch(/\b(\w+) \1\b/i);
			// One noun, agreeing with the count.
			const one = count.total === 1 && !count.capped;
			expect(text, where).toMatch(one ? SINGULARS : PLURALS);
			if (one) expect(text, where).not.toMatch(PLURALS);
			// The count comes first (the page and its tests read it from there).
			expect(text, where).toMatch(
				count.capped ? /^More than \d/ : new RegExp(`^${count.total.toLocaleString('en-US')} `)
			);
			// Every active filter is said, once.
			if (filters.route) {
				expect(text.split(routeLabel(filters.route)).length - 1, where).toBe(1);
				expect(text, where).toContain(`offering ${routeLabel(filters.route)}`);
			}
			if (filters.psychotherapy === true) expect(text, where).toMatch(/offering .*psychotherapy/);
			if (filters.psychotherapy === false)
				expect(text, where).toContain('without psychotherapy / integration');
			if (filters.psychotherapy === undefined) expect(text, where).not.toContain('psychotherapy');
			if (scope.mode === 'near') {
				expect(text, where).toContain(
					`within ${scope.radiusMiles} ${scope.radiusMiles === 1 ? 'mile' : 'miles'} of ${scope.placeLabel}`
				);
				expect(text, where).not.toMatch(/telehealth service(s)?\b(?! with in-person)/);
			}
			if (filters.state && scope.mode !== 'telehealth') expect(text, where).toContain('Texas');
			if (scope.mode === 'telehealth' && scope.state)
				expect(text, where).toContain('licensed in Texas');
			if ((filters.telehealth === true && scope.mode === 'list') || scope.mode === 'telehealth')
				expect(text, where).toMatch(/telehealth/);
			if (filters.kind === 'kap') expect(text, where).toMatch(/KAP practices?/);
			// A comma after a place label that itself has one ("Austin, TX, offering …").
			if (scope.mode === 'near' && (filters.route || filters.psychotherapy !== undefined))
				expect(text, where).toMatch(/TX\)?, (offering|without|located)/);
		}
		expect(checked).toBe(5 * 11 * 3 * 3 * 2 * 5 * 5);
	});

	it('reads as these sentences', () => {
		const list = { mode: 'list' } as const;
		const near = { mode: 'near', radiusMiles: 50, placeLabel: 'Austin, TX' } as const;
		expect(resultsSummary({ total: 60 }, { telehealth: true }, list)).toBe(
			'60 telehealth services'
		);
		expect(resultsSummary({ total: 1 }, { kind: 'telehealth', telehealth: true }, list)).toBe(
			'1 telehealth service'
		);
		expect(resultsSummary({ total: 4 }, { kind: 'clinic', telehealth: true }, list)).toBe(
			'4 clinics with telehealth'
		);
		expect(resultsSummary({ total: 2 }, { kind: 'telehealth', telehealth: false }, list)).toBe(
			'2 telehealth services with in-person visits'
		);
		expect(
			resultsSummary({ total: 12 }, { state: 'TX', route: 'iv', psychotherapy: true }, list)
		).toBe('12 providers serving Texas, offering IV infusion and psychotherapy / integration');
		expect(resultsSummary({ total: 3 }, { telehealth: false, state: 'TX' }, list)).toBe(
			'3 in-person providers in Texas'
		);
		expect(resultsSummary({ total: 3 }, { route: 'iv' }, near)).toBe(
			'3 in-person providers within 50 miles of Austin, TX, offering IV infusion'
		);
		expect(resultsSummary({ total: 200, capped: true }, { kind: 'kap' }, near)).toBe(
			'More than 200 KAP practices within 50 miles of Austin, TX'
		);
		expect(
			resultsSummary({ total: 5 }, { psychotherapy: false }, { mode: 'telehealth', state: 'TX' })
		).toBe('5 telehealth services licensed in Texas, without psychotherapy / integration');
	});
});

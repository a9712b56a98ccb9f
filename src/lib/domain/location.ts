import { STATES, toStateCode, type StateCode } from './states';

export type LocationQuery =
	{ kind: 'zip'; zip: string } | { kind: 'city'; city: string; state: StateCode };

export type ParsedLocation =
	| { ok: true; query: LocationQuery }
	| { ok: false; message: string; cityWithoutState?: string; state?: StateCode };

export const LOCATION_HINT =
	'Type a 5-digit ZIP code (e.g. 78701) or a city and state (e.g. Austin, TX).';

function toState(text: string): StateCode | undefined {
	const lower = text.trim().toLowerCase();
	return toStateCode(lower) ?? STATES.find((s) => s.name.toLowerCase() === lower)?.code;
}

/**
 * Short forms people type for a few large cities. Each names one place, so "LA" (also Louisiana's
 * code) or "DC" never ends up as a guess in the wrong state. Keys are lower case, without dots.
 */
export const PLACE_ALIASES: Readonly<Record<string, { city: string; state: StateCode }>> = {
	nyc: { city: 'New York', state: 'NY' },
	'new york city': { city: 'New York', state: 'NY' },
	'ny city': { city: 'New York', state: 'NY' },
	manhattan: { city: 'New York', state: 'NY' },
	la: { city: 'Los Angeles', state: 'CA' },
	sf: { city: 'San Francisco', state: 'CA' },
	'san fran': { city: 'San Francisco', state: 'CA' },
	dc: { city: 'Washington', state: 'DC' },
	'washington dc': { city: 'Washington', state: 'DC' },
	philly: { city: 'Philadelphia', state: 'PA' },
	nola: { city: 'New Orleans', state: 'LA' },
	vegas: { city: 'Las Vegas', state: 'NV' },
	slc: { city: 'Salt Lake City', state: 'UT' },
	okc: { city: 'Oklahoma City', state: 'OK' },
	atl: { city: 'Atlanta', state: 'GA' },
	chitown: { city: 'Chicago', state: 'IL' },
	'chi-town': { city: 'Chicago', state: 'IL' },
	'the bay': { city: 'San Francisco', state: 'CA' },
	nashvegas: { city: 'Nashville', state: 'TN' },
	indy: { city: 'Indianapolis', state: 'IN' },
	'twin cities': { city: 'Minneapolis', state: 'MN' },
	'st pete': { city: 'Saint Petersburg', state: 'FL' },
	'saint pete': { city: 'Saint Petersburg', state: 'FL' }
};

export function aliasFor(text: string): { city: string; state: StateCode } | undefined {
	const key = text.trim().toLowerCase().replace(/\./g, '').replace(/\s+/g, ' ');
	return Object.hasOwn(PLACE_ALIASES, key) ? PLACE_ALIASES[key] : undefined;
}

/** "78701", "78701-1234", "Austin, TX", "austin tx", "Albany, New York", "Albany New York", "NYC". */
export function parseLocation(input: string): ParsedLocation {
	const text = input.trim().replace(/\s+/g, ' ');
	if (text === '') return { ok: false, message: `Enter a place. ${LOCATION_HINT}` };
	const alias = aliasFor(text);
	if (alias) return { ok: true, query: { kind: 'city', ...alias } };
	const zip = /^(\d{5})(?:-\d{4})?$/.exec(text)?.[1];
	if (zip) return { ok: true, query: { kind: 'zip', zip } };
	if (/^[\d\s-]+$/.test(text)) {
		return { ok: false, message: `“${text}” is not a 5-digit ZIP code. ${LOCATION_HINT}` };
	}

	const comma = text.lastIndexOf(',');
	if (comma >= 0) {
		const city = text.slice(0, comma).trim();
		const state = toState(text.slice(comma + 1));
		if (city && state) return { ok: true, query: { kind: 'city', city, state } };
	} else {
		// No comma: the state is the last one to three words ("Albany New York").
		const words = text.split(' ');
		// Longest first, so "Charleston West Virginia" is not read as Virginia.
		for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
			const state = toState(words.slice(-n).join(' '));
			if (state)
				return { ok: true, query: { kind: 'city', city: words.slice(0, -n).join(' '), state } };
		}
	}
	const city = comma >= 0 ? text.slice(0, comma).trim() : text;
	const wholeState = comma < 0 ? toState(text) : undefined;
	if (wholeState) {
		return {
			ok: false,
			message: `${STATES.find((s) => s.code === wholeState)?.name} is a state: choose it under “State” to see everyone who serves it, or type a ZIP code or a city here (e.g. Austin, TX).`,
			state: wholeState
		};
	}
	// No example state: an example in a made-up state ("NYC, TX") reads as a suggestion.
	return {
		ok: false,
		message: `Add the state after the city. ${LOCATION_HINT}`,
		...(comma >= 0 ? {} : { cityWithoutState: city })
	};
}

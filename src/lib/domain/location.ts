import { STATES, toStateCode, type StateCode } from './states';

export type LocationQuery =
	{ kind: 'zip'; zip: string } | { kind: 'city'; city: string; state: StateCode };

export type ParsedLocation =
	{ ok: true; query: LocationQuery } | { ok: false; message: string; cityWithoutState?: string };

export const LOCATION_HINT =
	'Type a 5-digit ZIP code (e.g. 78701) or a city and state (e.g. Austin, TX).';

function toState(text: string): StateCode | undefined {
	const lower = text.trim().toLowerCase();
	return toStateCode(lower) ?? STATES.find((s) => s.name.toLowerCase() === lower)?.code;
}

/** "78701", "78701-1234", "Austin, TX", "austin tx", "Albany, New York", "Albany New York". */
export function parseLocation(input: string): ParsedLocation {
	const text = input.trim().replace(/\s+/g, ' ');
	if (text === '') return { ok: false, message: `Enter a place. ${LOCATION_HINT}` };
	const zip = /^(\d{5})(?:-\d{4})?$/.exec(text);
	if (zip) return { ok: true, query: { kind: 'zip', zip: zip[1] } };
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
	return {
		ok: false,
		message: `Add the state after the city, e.g. “${city || 'Austin'}, TX”. ${LOCATION_HINT}`,
		cityWithoutState: comma >= 0 ? undefined : city
	};
}

import { LOCATION_HINT, parseLocation } from '../domain/location';
import { stateName, type StateCode } from '../domain/states';
import { usZipEntries } from './zipcodes';

/**
 * Offline geocoding of US ZIP codes and "City, ST" to centroids, from the `zipcodes` package
 * (docs/decisions/005-offline-geocoding.md). Nothing searched is stored or logged.
 */

export interface Place {
	lat: number;
	lng: number;
	/** "Austin, TX" or "78701 (Austin, TX)". */
	label: string;
	state: StateCode;
}

export type GeocodeResult = { ok: true; place: Place } | { ok: false; message: string };

interface Index {
	zips: Map<string, Place>;
	cities: Map<string, Place>;
	/** City names per state, for "did you mean" suggestions. */
	cityNames: Map<StateCode, string[]>;
}

let index: Index | undefined;

const cityKey = (city: string, state: string) => `${normalizeCity(city)}|${state}`;

export function normalizeCity(city: string): string {
	return city
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/\./g, '')
		.replace(/^st\s/, 'saint ')
		.replace(/^ste\s/, 'sainte ')
		.replace(/^ft\s/, 'fort ')
		.replace(/^mt\s/, 'mount ')
		.replace(/\s+/g, ' ')
		.trim();
}

function build(): Index {
	const zips = new Map<string, Place>();
	const sums = new Map<
		string,
		{ lat: number; lng: number; n: number; city: string; state: StateCode }
	>();
	for (const entry of usZipEntries()) {
		const { state } = entry;
		zips.set(entry.zip, {
			lat: entry.latitude,
			lng: entry.longitude,
			label: `${entry.zip} (${entry.city}, ${state})`,
			state
		});
		const key = cityKey(entry.city, state);
		const sum = sums.get(key) ?? { lat: 0, lng: 0, n: 0, city: entry.city, state };
		sum.lat += entry.latitude;
		sum.lng += entry.longitude;
		sum.n += 1;
		sums.set(key, sum);
	}
	const cities = new Map<string, Place>();
	const cityNames = new Map<StateCode, string[]>();
	for (const [key, s] of sums) {
		cities.set(key, {
			lat: s.lat / s.n,
			lng: s.lng / s.n,
			label: `${s.city}, ${s.state}`,
			state: s.state
		});
		const names = cityNames.get(s.state) ?? [];
		names.push(s.city);
		cityNames.set(s.state, names);
	}
	return { zips, cities, cityNames };
}

/** Builds the index ahead of the first search, off the request path (≈0.8 s once per process). */
export function warmGeocoder(): void {
	setImmediate(() => {
		getIndex();
	});
}

function getIndex(): Index {
	index ??= build();
	return index;
}

function suggestions(city: string, state: StateCode): string[] {
	const wanted = normalizeCity(city);
	const names = getIndex().cityNames.get(state) ?? [];
	const prefix = names.filter((n) => normalizeCity(n).startsWith(wanted.slice(0, 3)));
	return prefix
		.map((n) => ({ n, d: editDistance(normalizeCity(n), wanted) }))
		.filter((c) => c.d <= Math.max(2, Math.floor(wanted.length / 3)))
		.sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
		.slice(0, 3)
		.map((c) => `${c.n}, ${state}`);
}

function editDistance(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let prev = row[0];
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const tmp = row[j];
			row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
			prev = tmp;
		}
	}
	return row[b.length];
}

/** States that have a city of this name, for "Springfield" typed without a state. */
function statesWithCity(city: string): string[] {
	const wanted = normalizeCity(city);
	const out: string[] = [];
	for (const [state, names] of getIndex().cityNames) {
		const match = names.find((n) => normalizeCity(n) === wanted);
		if (match) out.push(`${match}, ${state}`);
	}
	return out.sort();
}

export function geocode(input: string): GeocodeResult {
	const parsed = parseLocation(input);
	if (!parsed.ok) {
		const options = parsed.cityWithoutState ? statesWithCity(parsed.cityWithoutState) : [];
		if (options.length === 1) return geocode(options[0]);
		if (options.length > 1) {
			const shown = options.slice(0, 4).join('; ');
			return {
				ok: false,
				message: `There is a ${parsed.cityWithoutState} in ${options.length} states. Add the state, e.g. ${shown}${options.length > 4 ? '; …' : ''}.`
			};
		}
		return { ok: false, message: parsed.message };
	}
	const { query } = parsed;
	if (query.kind === 'zip') {
		const place = getIndex().zips.get(query.zip);
		return place
			? { ok: true, place }
			: {
					ok: false,
					message: `We don't know the ZIP code ${query.zip}. Check it, or try a city and state (e.g. Austin, TX).`
				};
	}
	const place = getIndex().cities.get(cityKey(query.city, query.state));
	if (place) return { ok: true, place };
	const similar = suggestions(query.city, query.state);
	return {
		ok: false,
		message: similar.length
			? `We couldn't find “${query.city}” in ${stateName(query.state)}. Did you mean ${similar.join(' or ')}?`
			: `We couldn't find “${query.city}” in ${stateName(query.state)}. ${LOCATION_HINT}`
	};
}

/** The state of the ZIP centroid nearest to a point: where telehealth licensing applies. */
export function stateAt(lat: number, lng: number): StateCode | undefined {
	let best: Place | undefined;
	let bestD = Infinity;
	const cosLat = Math.cos((lat * Math.PI) / 180);
	for (const place of getIndex().zips.values()) {
		const dLat = place.lat - lat;
		const dLng = (place.lng - lng) * cosLat;
		const d = dLat * dLat + dLng * dLng;
		if (d < bestD) {
			bestD = d;
			best = place;
		}
	}
	// Farther than ~100 miles from any US ZIP centroid: not in the US.
	return best && bestD < 2.25 ? best.state : undefined;
}

export interface Origin {
	lat: number;
	lng: number;
	label: string;
	state?: StateCode;
}

export type OriginResult =
	{ ok: true; origin?: Origin } | { ok: false; field: 'near'; message: string };

/** Where a search is centred: a geocoded `near`, the browser's `lat`/`lng`, or nowhere. */
export function resolveOrigin(f: { near?: string; lat?: number; lng?: number }): OriginResult {
	if (f.near !== undefined) {
		const found = geocode(f.near);
		if (!found.ok) return { ok: false, field: 'near', message: found.message };
		return { ok: true, origin: found.place };
	}
	if (f.lat !== undefined && f.lng !== undefined) {
		return {
			ok: true,
			origin: { lat: f.lat, lng: f.lng, label: 'your location', state: stateAt(f.lat, f.lng) }
		};
	}
	return { ok: true };
}

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

export type GeocodeResult =
	| { ok: true; place: Place }
	| {
			ok: false;
			message: string;
			/** Places to offer as one-click searches ("Austin, TX"), most populous first. */
			suggestions?: string[];
	  };

interface Index {
	zips: Map<string, Place & { city: string }>;
	cities: Map<string, Place & { zipCount: number }>;
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

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	const upper = sorted[mid];
	const lower = sorted[mid - 1];
	if (upper === undefined) return NaN;
	return sorted.length % 2 || lower === undefined ? upper : (lower + upper) / 2;
}

function build(): Index {
	const zips = new Map<string, Place & { city: string }>();
	const groups = new Map<
		string,
		{ lats: number[]; lngs: number[]; city: string; state: StateCode }
	>();
	for (const entry of usZipEntries()) {
		const { state } = entry;
		zips.set(entry.zip, {
			lat: entry.latitude,
			lng: entry.longitude,
			label: `${entry.zip} (${entry.city}, ${state})`,
			state,
			city: entry.city
		});
		const key = cityKey(entry.city, state);
		const group = groups.get(key) ?? { lats: [], lngs: [], city: entry.city, state };
		group.lats.push(entry.latitude);
		group.lngs.push(entry.longitude);
		groups.set(key, group);
	}
	const cities = new Map<string, Place & { zipCount: number }>();
	const cityNames = new Map<StateCode, string[]>();
	for (const [key, s] of groups) {
		// The median, not the mean: one mistyped centroid in the data (a New York ZIP at +73.95°)
		// would otherwise drag the whole city out to sea.
		cities.set(key, {
			lat: median(s.lats),
			lng: median(s.lngs),
			label: `${s.city}, ${s.state}`,
			state: s.state,
			zipCount: s.lats.length
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
	// One row of the usual table; every index below is within 0…b.length.
	const row = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let prev = row[0]!;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const tmp = row[j]!;
			row[j] = Math.min(tmp + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
			prev = tmp;
		}
	}
	return row[b.length]!;
}

/**
 * The places named like this city, one per state, most populous first: the number of ZIP codes a
 * city has stands in for its population (Austin, TX has 80; Austin, MN has 1).
 */
function statesWithCity(city: string): string[] {
	const wanted = normalizeCity(city);
	const { cityNames, cities } = getIndex();
	const out: { label: string; zips: number }[] = [];
	for (const [state, names] of cityNames) {
		const match = names.find((n) => normalizeCity(n) === wanted);
		if (match) {
			out.push({
				label: `${match}, ${state}`,
				zips: cities.get(cityKey(match, state))?.zipCount ?? 0
			});
		}
	}
	return out.sort((a, b) => b.zips - a.zips || a.label.localeCompare(b.label)).map((o) => o.label);
}

const SHOWN_SUGGESTIONS = 4;

const asPlace = ({ lat, lng, label, state }: Place): Place => ({ lat, lng, label, state });

export function geocode(input: string): GeocodeResult {
	const parsed = parseLocation(input);
	if (!parsed.ok) {
		const options = parsed.cityWithoutState ? statesWithCity(parsed.cityWithoutState) : [];
		const [only, ...others] = options;
		if (only !== undefined && others.length === 0) return geocode(only);
		if (options.length > 1) {
			const shown = options.slice(0, SHOWN_SUGGESTIONS);
			const more = options.length - shown.length;
			return {
				ok: false,
				message: `“${parsed.cityWithoutState}” is the name of a place in ${options.length} states. Add the state, e.g. ${shown.join('; ')}${more ? ` (or ${more} more)` : ''}.`,
				suggestions: shown
			};
		}
		return { ok: false, message: parsed.message };
	}
	const { query } = parsed;
	if (query.kind === 'zip') {
		const place = getIndex().zips.get(query.zip);
		return place
			? { ok: true, place: asPlace(place) }
			: {
					ok: false,
					message: `We don't know the ZIP code ${query.zip}. Check it, or try a city and state (e.g. Austin, TX).`
				};
	}
	const place = getIndex().cities.get(cityKey(query.city, query.state));
	if (place) return { ok: true, place: asPlace(place) };
	const similar = suggestions(query.city, query.state);
	return {
		ok: false,
		message: similar.length
			? `We couldn't find “${query.city}” in ${stateName(query.state)}. Did you mean ${similar.join(' or ')}?`
			: `We couldn't find “${query.city}” in ${stateName(query.state)}. ${LOCATION_HINT}`,
		...(similar.length ? { suggestions: similar } : {})
	};
}

/** The ZIP centroid nearest to a point (within ~100 miles), for naming a spot on the map. */
function nearestZip(lat: number, lng: number): (Place & { city: string }) | undefined {
	let best: (Place & { city: string }) | undefined;
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
	return best && bestD < 2.25 ? best : undefined;
}

/** The state of the ZIP centroid nearest to a point: where telehealth licensing applies. */
export function stateAt(lat: number, lng: number): StateCode | undefined {
	return nearestZip(lat, lng)?.state;
}

export interface Origin {
	lat: number;
	lng: number;
	label: string;
	state?: StateCode;
}

export type OriginResult =
	| { ok: true; origin?: Origin }
	| { ok: false; field: 'near'; message: string; suggestions?: string[] };

/**
 * Where a search is centred: a geocoded `near`, the browser's `lat`/`lng`, the centre of the map
 * (`lat`/`lng` with `from=map`, named after the nearest town), or nowhere.
 */
export function resolveOrigin(f: {
	near?: string;
	lat?: number;
	lng?: number;
	from?: 'map';
}): OriginResult {
	if (f.near !== undefined) {
		const found = geocode(f.near);
		if (!found.ok) {
			return {
				ok: false,
				field: 'near',
				message: found.message,
				...(found.suggestions ? { suggestions: found.suggestions } : {})
			};
		}
		const { lat, lng, label, state } = found.place;
		return { ok: true, origin: { lat, lng, label, state } };
	}
	if (f.lat !== undefined && f.lng !== undefined) {
		const near = nearestZip(f.lat, f.lng);
		const label =
			f.from === 'map'
				? near
					? `the map centre near ${near.city}, ${near.state}`
					: 'the map centre'
				: 'your location';
		return { ok: true, origin: { lat: f.lat, lng: f.lng, label, state: near?.state } };
	}
	return { ok: true };
}

import { describe, expect, it } from 'vitest';
import { STATE_CODES } from '../domain/states';
import { geocode, normalizeCity, resolveOrigin, stateAt, type GeocodeResult } from './geocode';
import { usZipEntries } from './zipcodes';

const codes = Object.fromEntries(usZipEntries().map((e) => [e.zip, e]));
const usEntries = Object.values(codes).filter(
	(e) => e.country === 'US' && (STATE_CODES as string[]).includes(e.state)
);

function medianOf(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	const [lower, upper] = [sorted[mid - 1], sorted[mid]];
	if (upper === undefined) throw new Error('the median of no values');
	return sorted.length % 2 || lower === undefined ? upper : (lower + upper) / 2;
}

/** The median of the ZIP centroids the data files under exactly this city name and state. */
function cityMean(city: string, state: string) {
	const entries = usEntries.filter(
		(e) => e.city === city && e.state === state && e.latitude && e.longitude
	);
	expect(entries.length).toBeGreaterThan(1);
	return {
		lat: medianOf(entries.map((e) => e.latitude)),
		lng: medianOf(entries.map((e) => e.longitude))
	};
}

function place(result: GeocodeResult) {
	if (!result.ok) throw new Error(`expected a place, got: ${result.message}`);
	return result.place;
}

function expectPlace(
	text: string,
	expected: { lat: number; lng: number; label: string; state: string }
) {
	const found = place(geocode(text));
	expect(found.label).toBe(expected.label);
	expect(found.state).toBe(expected.state);
	expect(found.lat).toBeCloseTo(expected.lat, 9);
	expect(found.lng).toBeCloseTo(expected.lng, 9);
}

describe('geocode: ZIP codes', () => {
	it('puts a ZIP code at its centroid from the zipcodes data', () => {
		expect(codes['78701']).toMatchObject({ latitude: 30.2713, longitude: -97.7426 });
		expect(geocode('78701')).toEqual({
			ok: true,
			place: { lat: 30.2713, lng: -97.7426, label: '78701 (Austin, TX)', state: 'TX' }
		});
		expect(geocode('10001')).toEqual({
			ok: true,
			place: {
				lat: codes['10001']?.latitude,
				lng: codes['10001']?.longitude,
				label: '10001 (New York, NY)',
				state: 'NY'
			}
		});
	});

	it('reads a ZIP+4 as its ZIP code', () => {
		expect(geocode(' 78701-1234 ')).toEqual(geocode('78701'));
	});

	it('says which ZIP code it does not know', () => {
		expect(codes['00000']).toBeUndefined();
		expect(geocode('00000')).toEqual({
			ok: false,
			message:
				"We don't know the ZIP code 00000. Check it, or try a city and state (e.g. Austin, TX)."
		});
	});

	it('passes on the parser’s message for a number that is not a ZIP code', () => {
		expect(geocode('7870')).toEqual({
			ok: false,
			message:
				'“7870” is not a 5-digit ZIP code. Type a 5-digit ZIP code (e.g. 78701) or a city and state (e.g. Austin, TX).'
		});
	});
});

describe('geocode: cities', () => {
	it('puts "City, ST" at the median of that city’s ZIP centroids', () => {
		expectPlace('Austin, TX', { ...cityMean('Austin', 'TX'), label: 'Austin, TX', state: 'TX' });
		expectPlace('austin tx', { ...cityMean('Austin', 'TX'), label: 'Austin, TX', state: 'TX' });
		expectPlace('Albany New York', {
			...cityMean('Albany', 'NY'),
			label: 'Albany, NY',
			state: 'NY'
		});
	});

	it('keeps a city on land when one of its ZIP centroids is mistyped in the data', () => {
		// One "New York, NY" ZIP in the data sits at +73.95° (east of Greenwich): a mean put the
		// city on Long Island, 50 miles from Manhattan.
		expect(usEntries.some((e) => e.city === 'New York' && e.longitude > 0)).toBe(true);
		const nyc = place(geocode('New York, NY'));
		expect(nyc.lat).toBeGreaterThan(40.7);
		expect(nyc.lat).toBeLessThan(40.8);
		expect(nyc.lng).toBeGreaterThan(-74.02);
		expect(nyc.lng).toBeLessThan(-73.93);
	});

	it('reads St./Saint, Ft./Fort and Mt./Mount as the same city', () => {
		const stLouis = { ...cityMean('Saint Louis', 'MO'), label: 'Saint Louis, MO', state: 'MO' };
		for (const text of ['St. Louis, MO', 'St Louis, MO', 'Saint Louis, MO', 'saint louis mo']) {
			expectPlace(text, stLouis);
		}
		const fortWorth = { ...cityMean('Fort Worth', 'TX'), label: 'Fort Worth, TX', state: 'TX' };
		for (const text of ['Ft. Worth, TX', 'Ft Worth TX', 'Fort Worth, Texas']) {
			expectPlace(text, fortWorth);
		}
		expectPlace('Mt. Vernon, NY', {
			...cityMean('Mount Vernon', 'NY'),
			label: 'Mount Vernon, NY',
			state: 'NY'
		});
	});

	it('matches a city the data itself abbreviates ("Ft Mitchell") when it is typed in full', () => {
		const [entry] = usEntries.filter((e) => e.city === 'Ft Mitchell' && e.state === 'KY');
		expect(geocode('Fort Mitchell, KY')).toEqual({
			ok: true,
			place: { lat: entry?.latitude, lng: entry?.longitude, label: 'Ft Mitchell, KY', state: 'KY' }
		});
	});

	it('reads Ste. as Sainte', () => {
		const [entry] = usEntries.filter((e) => e.city === 'Sainte Genevieve' && e.state === 'MO');
		expect(geocode('Ste. Genevieve, MO')).toEqual({
			ok: true,
			place: {
				lat: entry?.latitude,
				lng: entry?.longitude,
				label: 'Sainte Genevieve, MO',
				state: 'MO'
			}
		});
	});

	it('suggests the city the user probably meant', () => {
		expect(geocode('Austn, TX')).toEqual({
			ok: false,
			message: "We couldn't find “Austn” in Texas. Did you mean Austin, TX?",
			suggestions: ['Austin, TX']
		});
		expect(geocode('Philadelpia, PA')).toEqual({
			ok: false,
			message: "We couldn't find “Philadelpia” in Pennsylvania. Did you mean Philadelphia, PA?",
			suggestions: ['Philadelphia, PA']
		});
	});

	it('explains how to type a place when nothing is close', () => {
		expect(geocode('Xyzzyq, TX')).toEqual({
			ok: false,
			message:
				"We couldn't find “Xyzzyq” in Texas. Type a 5-digit ZIP code (e.g. 78701) or a city and state (e.g. Austin, TX)."
		});
	});

	it('names the largest of the places that share a city name typed without its state', () => {
		const zipCount = new Map<string, number>();
		for (const e of usEntries.filter((e) => e.city === 'Springfield')) {
			zipCount.set(e.state, (zipCount.get(e.state) ?? 0) + 1);
		}
		expect(zipCount.size).toBe(24);
		// ZIP codes per city stand in for population: most first, not A–Z.
		const byZips = [...zipCount].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
		const shown = byZips.slice(0, 4).map(([s]) => `Springfield, ${s}`);
		expect(shown).toEqual([
			'Springfield, IL',
			'Springfield, MA',
			'Springfield, MO',
			'Springfield, VA'
		]);
		expect(geocode('Springfield')).toEqual({
			ok: false,
			message: `“Springfield” is the name of a place in 24 states. Add the state, e.g. ${shown.join('; ')} (or 20 more).`,
			suggestions: shown
		});
		const austin = geocode('Austin');
		expect(austin.ok).toBe(false);
		if (!austin.ok) {
			expect(austin.suggestions?.[0]).toBe('Austin, TX');
			expect(austin.message).toMatch(/^“Austin” is the name of a place in 8 states\. /);
			expect(austin.message).not.toMatch(/\ba [AEIOU]/);
		}
	});

	it('reads the short names of large cities, never as a guess in another state', () => {
		const cases: [string, string][] = [
			['NYC', 'New York, NY'],
			['N.Y.C.', 'New York, NY'],
			['new york city', 'New York, NY'],
			['LA', 'Los Angeles, CA'],
			['L.A.', 'Los Angeles, CA'],
			['SF', 'San Francisco, CA'],
			['DC', 'Washington, DC'],
			['D.C.', 'Washington, DC'],
			['Philly', 'Philadelphia, PA'],
			['NOLA', 'New Orleans, LA'],
			['Vegas', 'Las Vegas, NV'],
			['SLC', 'Salt Lake City, UT'],
			['OKC', 'Oklahoma City, OK'],
			['ATL', 'Atlanta, GA']
		];
		for (const [typed, label] of cases) {
			const found = place(geocode(typed));
			expect([typed, found.label]).toEqual([typed, label]);
			expect(found).toEqual(place(geocode(label)));
		}
		// A state written alone is not read as a city, and no message names a made-up place.
		for (const typed of ['Texas', 'Ohio', 'NYCX', 'Philli']) {
			const result = geocode(typed);
			expect(result.ok, typed).toBe(false);
			if (!result.ok) expect(result.message).not.toMatch(new RegExp(`${typed}, [A-Z]{2}`));
		}
		const texas = geocode('Texas');
		expect(texas.ok === false && texas.message).toMatch(/^Texas is a state/);
	});

	it('finds a city typed without its state when only one state has it', () => {
		expect(new Set(usEntries.filter((e) => e.city === 'Albuquerque').map((e) => e.state))).toEqual(
			new Set(['NM'])
		);
		expect(geocode('Albuquerque')).toEqual(geocode('Albuquerque, NM'));
		expectPlace(' albuquerque ', {
			...cityMean('Albuquerque', 'NM'),
			label: 'Albuquerque, NM',
			state: 'NM'
		});
	});
});

describe('normalizeCity', () => {
	it('folds case, accents, dots and the common abbreviations', () => {
		expect(normalizeCity('St. Louis')).toBe('saint louis');
		expect(normalizeCity('Ft. Worth')).toBe('fort worth');
		expect(normalizeCity('Mt. Vernon')).toBe('mount vernon');
		expect(normalizeCity('Cañon City')).toBe('canon city');
		expect(normalizeCity('  Saint   Paul ')).toBe('saint paul');
		expect(normalizeCity('Stamford')).toBe('stamford');
	});
});

describe('stateAt', () => {
	it('finds the state around a point inside it', () => {
		const cities: [number, number, string][] = [
			[30.2672, -97.7431, 'TX'], // Austin
			[39.7392, -104.9903, 'CO'], // Denver
			[47.6062, -122.3321, 'WA'], // Seattle
			[41.8781, -87.6298, 'IL'], // Chicago
			[25.7617, -80.1918, 'FL'], // Miami
			[37.6872, -97.3301, 'KS'], // Wichita
			[43.615, -116.2023, 'ID'], // Boise
			[38.8977, -77.0365, 'DC'], // the White House
			[61.2181, -149.9003, 'AK'], // Anchorage
			[21.3069, -157.8583, 'HI'] // Honolulu
		];
		for (const [lat, lng, state] of cities)
			expect([lat, lng, stateAt(lat, lng)]).toEqual([lat, lng, state]);
	});

	it('finds no state far at sea or far outside the US', () => {
		expect(stateAt(35, -40)).toBeUndefined(); // mid-Atlantic
		expect(stateAt(0, 0)).toBeUndefined();
		expect(stateAt(33, -70)).toBeUndefined(); // 300 miles off North Carolina
		expect(stateAt(19.4326, -99.1332)).toBeUndefined(); // Mexico City
	});
});

describe('resolveOrigin', () => {
	it('geocodes a typed place', () => {
		expect(resolveOrigin({ near: '78701' })).toEqual({
			ok: true,
			origin: { lat: 30.2713, lng: -97.7426, label: '78701 (Austin, TX)', state: 'TX' }
		});
	});

	it('uses the browser’s coordinates, with the state they fall in', () => {
		expect(resolveOrigin({ lat: 30.27, lng: -97.74 })).toEqual({
			ok: true,
			origin: { lat: 30.27, lng: -97.74, label: 'your location', state: 'TX' }
		});
		expect(resolveOrigin({ lat: 35, lng: -40 })).toEqual({
			ok: true,
			origin: { lat: 35, lng: -40, label: 'your location', state: undefined }
		});
	});

	it('has no origin without a place or coordinates', () => {
		expect(resolveOrigin({})).toEqual({ ok: true });
		expect(resolveOrigin({ lat: 30 })).toEqual({ ok: true });
	});

	it('reports a place it cannot find against the near field', () => {
		expect(resolveOrigin({ near: '00000' })).toEqual({
			ok: false,
			field: 'near',
			message:
				"We don't know the ZIP code 00000. Check it, or try a city and state (e.g. Austin, TX)."
		});
	});
});

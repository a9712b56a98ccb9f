import { describe, expect, it } from 'vitest';
import { directionsUrl, formatMapHash, parseMapHash } from './view';

describe('the map view in the address', () => {
	it('round-trips a view to four decimals', () => {
		const hash = formatMapHash({ lat: 30.267153, lng: -97.743061, zoom: 11 });
		expect(hash).toBe('#map=11/30.2672/-97.7431');
		expect(parseMapHash(hash)).toEqual({ lat: 30.2672, lng: -97.7431, zoom: 11 });
	});

	it('ignores any other fragment and impossible views', () => {
		for (const hash of [
			'',
			'#',
			'#telehealth-heading',
			'#map=',
			'#map=99/1/1',
			'#map=5/91/0',
			'#map=5/0/181',
			'#map=5/a/b'
		]) {
			expect(parseMapHash(hash), hash).toBeUndefined();
		}
	});
});

describe('directionsUrl', () => {
	it('links to directions to the full address, encoded', () => {
		expect(
			directionsUrl({ street: '1042 Maple Dr', city: 'Austin', state: 'TX', zip: '78701' })
		).toBe(
			'https://www.google.com/maps/dir/?api=1&destination=1042%20Maple%20Dr%2C%20Austin%2C%20TX%2078701'
		);
		expect(directionsUrl({ street: null, city: 'St. Paul', state: 'MN', zip: '55101' })).toBe(
			'https://www.google.com/maps/dir/?api=1&destination=St.%20Paul%2C%20MN%2055101'
		);
	});
});

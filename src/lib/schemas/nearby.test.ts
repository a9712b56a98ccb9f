import { describe, expect, it } from 'vitest';
import { DEFAULT_RADIUS, MAX_RADIUS, nearbyFiltersSchema } from './filters';
import { parseQuery } from './query';

function parse(query: string) {
	return parseQuery(nearbyFiltersSchema, new URLSearchParams(query));
}

function problemFields(query: string) {
	const result = parse(query);
	if (result.ok) throw new Error(`expected "${query}" to be rejected`);
	return result.problem.fields;
}

const BOTH = 'Give both lat and lng, or neither.';
const NOT_BOTH = 'Search near a place or near coordinates, not both.';

describe('nearbyFiltersSchema', () => {
	it('reads a place and defaults the radius to 50 miles', () => {
		expect(DEFAULT_RADIUS).toBe(50);
		expect(parse('near=78701')).toEqual({
			ok: true,
			data: { near: '78701', radius: 50, page: 1, pageSize: 20 }
		});
		expect(parse('near=%20%20Austin,%20TX%20')).toEqual({
			ok: true,
			data: { near: 'Austin, TX', radius: 50, page: 1, pageSize: 20 }
		});
	});

	it('reads coordinates and a radius', () => {
		expect(parse('lat=30.27&lng=-97.74&radius=25')).toEqual({
			ok: true,
			data: { lat: 30.27, lng: -97.74, radius: 25, page: 1, pageSize: 20 }
		});
		expect(parse('lat=-90&lng=180')).toEqual({
			ok: true,
			data: { lat: -90, lng: 180, radius: 50, page: 1, pageSize: 20 }
		});
	});

	it('combines a place with the directory filters', () => {
		expect(
			parse(
				'near=78701&radius=100&route=IV&kind=clinic&state=tx&telehealth=no&psychotherapy=yes&page=2'
			)
		).toEqual({
			ok: true,
			data: {
				near: '78701',
				radius: 100,
				route: 'iv',
				kind: 'clinic',
				state: 'TX',
				telehealth: false,
				psychotherapy: true,
				page: 2,
				pageSize: 20
			}
		});
	});

	it('treats a blank place as no place', () => {
		expect(parse('near=%20&radius=')).toEqual({
			ok: true,
			data: { radius: 50, page: 1, pageSize: 20 }
		});
	});

	it('accepts radii from 1 to 500 miles', () => {
		expect(MAX_RADIUS).toBe(500);
		expect(parse('near=78701&radius=1')).toMatchObject({ ok: true, data: { radius: 1 } });
		expect(parse('near=78701&radius=500')).toMatchObject({ ok: true, data: { radius: 500 } });
	});

	it('rejects a radius outside 1–500 or not a whole number', () => {
		expect(problemFields('radius=0')).toEqual({ radius: 'Radius must be at least 1.' });
		expect(problemFields('radius=501')).toEqual({ radius: 'Radius must be at most 500.' });
		for (const radius of ['2.5', 'ten', '-5']) {
			expect(problemFields(`radius=${radius}`)).toEqual({
				radius: 'Radius must be a whole number from 1 to 500.'
			});
		}
	});

	it('rejects coordinates out of range or not in degrees', () => {
		expect(problemFields('lat=91&lng=0')).toEqual({ lat: 'Latitude must be between -90 and 90.' });
		expect(problemFields('lat=-90.0001&lng=0')).toEqual({
			lat: 'Latitude must be between -90 and 90.'
		});
		expect(problemFields('lat=0&lng=-180.5')).toEqual({
			lng: 'Longitude must be between -180 and 180.'
		});
		for (const lat of ['abc', '1e3', '.5', '30,27']) {
			expect(problemFields(`lat=${lat}&lng=1`)).toEqual({
				lat: 'Latitude must be a number of degrees, e.g. 30.27.'
			});
		}
	});

	it('asks for both lat and lng, naming the missing one', () => {
		expect(problemFields('lat=30.27')).toEqual({ lng: BOTH });
		expect(problemFields('lng=-97.74')).toEqual({ lat: BOTH });
	});

	it('rejects a place and coordinates together', () => {
		expect(problemFields('near=78701&lat=30.27&lng=-97.74')).toEqual({ near: NOT_BOTH });
	});

	it('accepts telehealth=yes with a place or coordinates (the place stands for its state)', () => {
		expect(parse('near=78701&telehealth=yes')).toMatchObject({
			ok: true,
			data: { near: '78701', telehealth: true }
		});
		expect(parse('lat=30.27&lng=-97.74&telehealth=1')).toMatchObject({
			ok: true,
			data: { lat: 30.27, lng: -97.74, telehealth: true }
		});
		expect(parse('near=78701&telehealth=no')).toMatchObject({
			ok: true,
			data: { near: '78701', telehealth: false }
		});
		expect(parse('state=TX&telehealth=yes')).toMatchObject({
			ok: true,
			data: { state: 'TX', telehealth: true }
		});
	});

	it('reads the map centre as a place and every sort', () => {
		expect(parse('lat=30.27&lng=-97.74&from=map&radius=37')).toMatchObject({
			ok: true,
			data: { lat: 30.27, lng: -97.74, from: 'map', radius: 37 }
		});
		expect(problemFields('from=elsewhere')).toEqual({ from: 'from must be “map” or left out.' });
		for (const sort of ['name', 'nearest', 'best', 'price', 'PRICE']) {
			expect(parse(`near=78701&sort=${sort}`)).toMatchObject({
				ok: true,
				data: { sort: sort.toLowerCase() }
			});
		}
		expect(problemFields('sort=cheapest')).toEqual({
			sort: 'Sort must be “name”, “nearest”, “best” (best rated) or “price” (lowest price).'
		});
	});

	it('rejects a place longer than 100 characters', () => {
		expect(parse(`near=${'a'.repeat(100)}`)).toMatchObject({ ok: true });
		expect(problemFields(`near=${'a'.repeat(101)}`)).toEqual({
			near: 'That place is too long; type a ZIP code or “City, ST”.'
		});
	});

	it('reports every problem at once', () => {
		const result = parse('near=78701&lat=30.27&radius=0&state=zz');
		expect(result).toEqual({
			ok: false,
			problem: {
				message: expect.any(String) as string,
				fields: {
					state: '“zz” is not a US state code (e.g. TX, ny, DC).',
					radius: 'Radius must be at least 1.'
				}
			}
		});
	});
});

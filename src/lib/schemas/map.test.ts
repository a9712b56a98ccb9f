import { describe, expect, it } from 'vitest';
import { mapQuerySchema } from './map';
import { parseQuery } from './query';

function parse(query: string) {
	return parseQuery(mapQuerySchema, new URLSearchParams(query));
}

function problemFields(query: string) {
	const result = parse(query);
	if (result.ok) throw new Error(`expected "${query}" to be rejected`);
	return result.problem.fields;
}

const FOUR_NUMBERS = 'bbox must be four numbers: west,south,east,north.';
const LATITUDES = 'bbox latitudes must run south ≤ north within -90…90.';
const LONGITUDES = 'bbox longitudes must run west ≤ east within -180…180.';
const ZOOM = 'zoom must be a whole number from 0 to 20.';

describe('mapQuerySchema', () => {
	it('reads a viewport and a zoom level', () => {
		expect(parse('bbox=-125,24,-66,50&zoom=3')).toEqual({
			ok: true,
			data: { bbox: [-125, 24, -66, 50], zoom: 3 }
		});
		expect(parse('bbox=%20-97.8%20,%2030.2,%20-97.6,30.4%20&zoom=12')).toEqual({
			ok: true,
			data: { bbox: [-97.8, 30.2, -97.6, 30.4], zoom: 12 }
		});
	});

	it('accepts the whole world and zooms 0 to 20', () => {
		expect(parse('bbox=-180,-90,180,90&zoom=0')).toEqual({
			ok: true,
			data: { bbox: [-180, -90, 180, 90], zoom: 0 }
		});
		expect(parse('bbox=1,2,3,4&zoom=20')).toMatchObject({ ok: true, data: { zoom: 20 } });
	});

	it('reads the directory filters and ignores paging', () => {
		expect(
			parse(
				'bbox=-125,24,-66,50&zoom=4&state=tx&route=IV&kind=kap&telehealth=no&psychotherapy=yes&page=2&pageSize=5'
			)
		).toEqual({
			ok: true,
			data: {
				bbox: [-125, 24, -66, 50],
				zoom: 4,
				state: 'TX',
				route: 'iv',
				kind: 'kap',
				telehealth: false,
				psychotherapy: true
			}
		});
	});

	it('rejects a bbox that is not four numbers', () => {
		for (const bbox of ['1,2,3', '1,2,3,4,5', 'a,b,c,d', '1,2,3,Infinity', '-125;24;-66;50']) {
			expect(problemFields(`bbox=${bbox}&zoom=3`)).toEqual({ bbox: FOUR_NUMBERS });
		}
	});

	it('rejects a bbox with an empty coordinate instead of reading it as 0', () => {
		expect(problemFields('bbox=-125,,-66,50&zoom=3')).toEqual({ bbox: FOUR_NUMBERS });
		expect(problemFields('bbox=,,,&zoom=3')).toEqual({ bbox: FOUR_NUMBERS });
	});

	it('rejects latitudes out of order or out of range', () => {
		for (const bbox of ['0,10,1,5', '0,-91,1,5', '0,1,1,91']) {
			expect(problemFields(`bbox=${bbox}&zoom=3`)).toEqual({ bbox: LATITUDES });
		}
	});

	it('rejects longitudes out of order or out of range', () => {
		for (const bbox of ['10,1,5,2', '-181,1,5,2', '1,1,181,2']) {
			expect(problemFields(`bbox=${bbox}&zoom=3`)).toEqual({ bbox: LONGITUDES });
		}
	});

	it('rejects a zoom that is not a whole number from 0 to 20', () => {
		for (const zoom of ['21', '99', '-1', '3.5', 'x', '020']) {
			expect(problemFields(`bbox=1,2,3,4&zoom=${zoom}`)).toEqual({ zoom: ZOOM });
		}
	});

	it('requires both a bbox and a zoom', () => {
		expect(Object.keys(problemFields('zoom=3'))).toEqual(['bbox']);
		expect(Object.keys(problemFields('bbox=1,2,3,4'))).toEqual(['zoom']);
		expect(Object.keys(problemFields('bbox=&zoom=')).sort()).toEqual(['bbox', 'zoom']);
	});

	it('reports a bad filter next to a bad viewport', () => {
		expect(problemFields('bbox=1,2,3&zoom=30&route=xyz')).toEqual({
			route:
				'Unknown route of administration “xyz”. Use one of: iv, im, intranasal, esketamine, troche, rdt, oral, rectal, transdermal, nebulized.',
			bbox: FOUR_NUMBERS,
			zoom: ZOOM
		});
	});
});

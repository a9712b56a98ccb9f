import { describe, expect, it } from 'vitest';
import { LOCATION_HINT, parseLocation } from './location';

const zip = (code: string) => ({ ok: true, query: { kind: 'zip', zip: code } });
const city = (name: string, state: string) => ({
	ok: true,
	query: { kind: 'city', city: name, state }
});

describe('parseLocation', () => {
	it('reads a 5-digit ZIP code', () => {
		expect(parseLocation('78701')).toEqual(zip('78701'));
		expect(parseLocation('02134')).toEqual(zip('02134'));
	});

	it('keeps the 5-digit ZIP of a ZIP+4', () => {
		expect(parseLocation('78701-1234')).toEqual(zip('78701'));
	});

	it('ignores surrounding and repeated whitespace', () => {
		expect(parseLocation('  78701 \t')).toEqual(zip('78701'));
		expect(parseLocation('  Austin ,   tx  ')).toEqual(city('Austin', 'TX'));
		expect(parseLocation('San   Antonio\tTX')).toEqual(city('San Antonio', 'TX'));
	});

	it('rejects numbers that are not 5-digit ZIP codes, quoting them', () => {
		for (const text of ['7870', '787011', '78701-12', '78701-12345', '1234 5']) {
			expect(parseLocation(text)).toEqual({
				ok: false,
				message: `“${text}” is not a 5-digit ZIP code. ${LOCATION_HINT}`
			});
		}
	});

	it('asks for a place when given nothing', () => {
		for (const text of ['', '   ', '\n']) {
			expect(parseLocation(text)).toEqual({
				ok: false,
				message:
					'Enter a place. Type a 5-digit ZIP code (e.g. 78701) or a city and state (e.g. Austin, TX).'
			});
		}
	});

	it('reads "City, ST" with the state code in any case', () => {
		expect(parseLocation('Austin, TX')).toEqual(city('Austin', 'TX'));
		expect(parseLocation('Austin, tx')).toEqual(city('Austin', 'TX'));
		expect(parseLocation('St. Louis, Mo')).toEqual(city('St. Louis', 'MO'));
	});

	it('reads "City ST" without a comma', () => {
		expect(parseLocation('austin tx')).toEqual(city('austin', 'TX'));
		expect(parseLocation('Kansas City MO')).toEqual(city('Kansas City', 'MO'));
		expect(parseLocation('Washington DC')).toEqual(city('Washington', 'DC'));
	});

	it('reads a state written out in full, with or without a comma', () => {
		expect(parseLocation('Albany New York')).toEqual(city('Albany', 'NY'));
		expect(parseLocation('Albany, New York')).toEqual(city('Albany', 'NY'));
		expect(parseLocation('Anchorage, alaska')).toEqual(city('Anchorage', 'AK'));
		expect(parseLocation('Kansas City Missouri')).toEqual(city('Kansas City', 'MO'));
		expect(parseLocation('New York New York')).toEqual(city('New York', 'NY'));
		expect(parseLocation('Washington District of Columbia')).toEqual(city('Washington', 'DC'));
		expect(parseLocation('Charleston, West Virginia')).toEqual(city('Charleston', 'WV'));
	});

	it('prefers the longer state name when one ends another ("West Virginia", not "Virginia")', () => {
		expect(parseLocation('Charleston West Virginia')).toEqual(city('Charleston', 'WV'));
	});

	it('asks for the state after a city typed alone, and remembers the city', () => {
		expect(parseLocation('Springfield')).toEqual({
			ok: false,
			message: `Add the state after the city. ${LOCATION_HINT}`,
			cityWithoutState: 'Springfield'
		});
		expect(parseLocation(' Virginia  Beach ')).toEqual({
			ok: false,
			message: `Add the state after the city. ${LOCATION_HINT}`,
			cityWithoutState: 'Virginia Beach'
		});
	});

	it('reads well-known short forms as the city they stand for', () => {
		expect(parseLocation('NYC')).toEqual(city('New York', 'NY'));
		expect(parseLocation(' l.a. ')).toEqual(city('Los Angeles', 'CA'));
		expect(parseLocation('Philly')).toEqual(city('Philadelphia', 'PA'));
		expect(parseLocation('DC')).toEqual(city('Washington', 'DC'));
		// …but only when typed alone: "Baton Rouge, LA" is still Louisiana.
		expect(parseLocation('Baton Rouge, LA')).toEqual(city('Baton Rouge', 'LA'));
	});

	it('says a state typed alone is a state', () => {
		expect(parseLocation('Texas')).toEqual({
			ok: false,
			message:
				'Texas is a state: choose it under “State” to see everyone who serves it, or type a ZIP code or a city here (e.g. Austin, TX).',
			state: 'TX'
		});
	});

	it('rejects an unknown state after a comma without guessing a city', () => {
		const parsed = parseLocation('Austin, Texass');
		expect(parsed).toEqual({
			ok: false,
			message: `Add the state after the city. ${LOCATION_HINT}`
		});
		expect(parsed.ok === false && parsed.cityWithoutState).toBeUndefined();
		expect(parseLocation(', TX')).toEqual({
			ok: false,
			message: `Add the state after the city. ${LOCATION_HINT}`
		});
	});
});

import { describe, expect, it } from 'vitest';
import {
	AT_HOME_ROUTE_CODES,
	givenAtHome,
	officeOnlyNote,
	ROUTE_CODES,
	routeLabel
} from './routes';

describe('routes of administration', () => {
	it('uses the canonical codes, in display order', () => {
		expect(ROUTE_CODES).toEqual([
			'iv',
			'im',
			'intranasal',
			'esketamine',
			'troche',
			'rdt',
			'oral',
			'rectal',
			'transdermal',
			'nebulized'
		]);
	});

	it('labels every route as the domain brief does', () => {
		expect(Object.fromEntries(ROUTE_CODES.map((code) => [code, routeLabel(code)]))).toEqual({
			iv: 'IV infusion',
			im: 'IM injection',
			intranasal: 'Intranasal ketamine',
			esketamine: 'Spravato (esketamine) nasal spray',
			troche: 'Troche / lozenge (sublingual)',
			rdt: 'Rapid-dissolve tablet',
			oral: 'Oral (capsule / liquid)',
			rectal: 'Suppository',
			transdermal: 'Transdermal',
			nebulized: 'Nebulized'
		});
	});

	it('says which routes a telehealth service can prescribe for home: never IV, IM or Spravato', () => {
		expect(ROUTE_CODES.filter((code) => !givenAtHome(code))).toEqual(['iv', 'im', 'esketamine']);
		expect(AT_HOME_ROUTE_CODES).toEqual(ROUTE_CODES.filter(givenAtHome));
	});

	it('explains why no telehealth service offers an office route', () => {
		expect(officeOnlyNote('iv')).toBe(
			'IV infusion is given in an office, so no telehealth service offers it.'
		);
		expect(officeOnlyNote('troche')).toBeNull();
		expect(officeOnlyNote(undefined)).toBeNull();
	});
});

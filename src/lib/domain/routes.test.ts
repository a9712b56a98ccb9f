import { describe, expect, it } from 'vitest';
import {
	AT_HOME_ROUTE_CODES,
	givenAtHome,
	officeOnlyNote,
	isRouteCode,
	ROUTE_CODES,
	routeLabel,
	routeShortLabel
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

	it('has a short label for tight spaces', () => {
		expect(routeShortLabel('iv')).toBe('IV');
		expect(routeShortLabel('esketamine')).toBe('Spravato');
		expect(routeShortLabel('intranasal')).toBe('Nasal');
	});

	it('recognises only exact codes', () => {
		expect(isRouteCode('iv')).toBe(true);
		expect(isRouteCode('nebulized')).toBe(true);
		expect(isRouteCode('xyz')).toBe(false);
		expect(isRouteCode('')).toBe(false);
		expect(isRouteCode('IV infusion')).toBe(false);
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

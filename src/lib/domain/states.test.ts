import { describe, expect, it } from 'vitest';
import { STATE_CODES, STATES, stateName, toStateCode } from './states';

describe('toStateCode', () => {
	it('accepts a USPS code in any case', () => {
		expect(toStateCode('TX')).toBe('TX');
		expect(toStateCode('tx')).toBe('TX');
		expect(toStateCode('Tx')).toBe('TX');
		expect(toStateCode('tX')).toBe('TX');
	});

	it('ignores surrounding whitespace', () => {
		expect(toStateCode(' dc ')).toBe('DC');
	});

	it('rejects anything that is not one of the 50 states or DC', () => {
		expect(toStateCode('')).toBeUndefined();
		expect(toStateCode('XX')).toBeUndefined();
		expect(toStateCode('Texas')).toBeUndefined();
		expect(toStateCode('PR')).toBeUndefined();
		expect(toStateCode('T')).toBeUndefined();
	});
});

describe('STATES', () => {
	it('lists the 50 states and DC once each', () => {
		expect(STATES).toHaveLength(51);
		expect(new Set(STATE_CODES).size).toBe(51);
		expect(STATE_CODES).toContain('DC');
		expect(STATE_CODES.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
	});

	it('names each state', () => {
		expect(stateName('NY')).toBe('New York');
		expect(stateName('DC')).toBe('District of Columbia');
		expect(stateName('WY')).toBe('Wyoming');
	});

	it('keeps codes and names in the same order', () => {
		expect(STATE_CODES).toEqual(STATES.map((s) => s.code));
		expect(STATE_CODES.slice(0, 3)).toEqual(['AL', 'AK', 'AZ']);
	});
});

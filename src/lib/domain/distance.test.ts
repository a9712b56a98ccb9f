import { describe, expect, it } from 'vitest';
import { formatMiles, milesBetween } from './distance';

describe('formatMiles', () => {
	it('never prints 0.0 mi', () => {
		expect(formatMiles(0)).toBe('under 0.1 mi');
		expect(formatMiles(0.04)).toBe('under 0.1 mi');
		expect(formatMiles(0.05)).toBe('0.1 mi');
		expect(formatMiles(0.1)).toBe('0.1 mi');
		expect(formatMiles(12.44)).toBe('12.4 mi');
		expect(formatMiles(250)).toBe('250.0 mi');
	});
});

describe('milesBetween', () => {
	it('measures great-circle distance on earthdistance’s sphere', () => {
		const austin = { lat: 30.2672, lng: -97.7431 };
		const dallas = { lat: 32.7767, lng: -96.797 };
		expect(milesBetween(austin, austin)).toBe(0);
		expect(milesBetween(austin, dallas)).toBeGreaterThan(181);
		expect(milesBetween(austin, dallas)).toBeLessThan(183);
		expect(milesBetween(austin, dallas)).toBeCloseTo(milesBetween(dallas, austin), 9);
	});
});

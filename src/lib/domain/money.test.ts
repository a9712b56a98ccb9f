import { describe, expect, it } from 'vitest';
import { formatPriceRange, formatUsd } from './money';

describe('formatUsd', () => {
	it('formats whole dollars with separators and no cents', () => {
		expect(formatUsd(0)).toBe('$0');
		expect(formatUsd(75)).toBe('$75');
		expect(formatUsd(1250)).toBe('$1,250');
	});

	it('rounds to the dollar', () => {
		expect(formatUsd(75.4)).toBe('$75');
		expect(formatUsd(399.5)).toBe('$400');
	});
});

describe('formatPriceRange', () => {
	it('shows a range with an en dash', () => {
		expect(formatPriceRange(400, 650)).toBe('$400–$650');
		expect(formatPriceRange(75, 1200)).toBe('$75–$1,200');
	});

	it('shows one price when both ends are equal', () => {
		expect(formatPriceRange(400, 400)).toBe('$400');
		expect(formatPriceRange(0, 0)).toBe('$0');
	});

	it('shows "from" when only the minimum is known', () => {
		expect(formatPriceRange(400, null)).toBe('from $400');
		expect(formatPriceRange(0, null)).toBe('from $0');
	});

	it('shows "up to" when only the maximum is known', () => {
		expect(formatPriceRange(null, 650)).toBe('up to $650');
		expect(formatPriceRange(null, 0)).toBe('up to $0');
	});

	it('returns null when no price is known', () => {
		expect(formatPriceRange(null, null)).toBeNull();
	});
});

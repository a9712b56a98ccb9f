import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseQuery } from './query';

const schema = z.object({
	q: z.string().min(2, 'Search for at least 2 characters.').max(5, 'Too long.'),
	n: z.string().regex(/^\d+$/, 'n must be a number.').optional()
});

describe('parseQuery', () => {
	it('returns the parsed data', () => {
		expect(parseQuery(schema, new URLSearchParams('q=abc&n=3'))).toEqual({
			ok: true,
			data: { q: 'abc', n: '3' }
		});
	});

	it('drops blank values before parsing', () => {
		expect(parseQuery(schema, new URLSearchParams('q=abc&n=%20%20'))).toEqual({
			ok: true,
			data: { q: 'abc' }
		});
	});

	it('keeps only the listed parameters when asked', () => {
		expect(parseQuery(schema, new URLSearchParams('q=abc&n=x'), ['q'])).toEqual({
			ok: true,
			data: { q: 'abc' }
		});
	});

	it('keeps the first message per field and joins them into one sentence', () => {
		expect(parseQuery(schema, new URLSearchParams('q=a&n=x'))).toEqual({
			ok: false,
			problem: {
				message: 'Search for at least 2 characters. n must be a number.',
				fields: { q: 'Search for at least 2 characters.', n: 'n must be a number.' }
			}
		});
	});

	it('reports a missing required parameter under its own name', () => {
		const result = parseQuery(schema, new URLSearchParams('q='));
		expect(result.ok).toBe(false);
		expect(result.ok ? [] : Object.keys(result.problem.fields)).toEqual(['q']);
	});
});

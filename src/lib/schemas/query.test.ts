import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseQuery, parseQueryForgiving } from './query';

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

describe('parseQueryForgiving', () => {
	const page = z
		.object({
			page: z
				.string()
				.regex(/^[1-9]\d*$/, 'Page must be a whole number from 1.')
				.default('1'),
			lat: z
				.string()
				.regex(/^-?\d+$/, 'lat must be a number.')
				.optional(),
			lng: z
				.string()
				.regex(/^-?\d+$/, 'lng must be a number.')
				.optional(),
			q: z.string().optional()
		})
		.superRefine((v, ctx) => {
			if ((v.lat === undefined) !== (v.lng === undefined))
				ctx.addIssue({ code: 'custom', path: [v.lat ? 'lng' : 'lat'], message: 'Give both.' });
		});
	const groups = { lat: ['lat', 'lng'], lng: ['lat', 'lng'] };

	it('keeps a valid query as it is', () => {
		expect(parseQueryForgiving(page, new URLSearchParams('page=2&q=x'), groups)).toEqual({
			data: { page: '2', q: 'x' },
			ignored: []
		});
	});

	it('leaves out what it cannot read and keeps the rest', () => {
		expect(parseQueryForgiving(page, new URLSearchParams('page=0&q=x'), groups)).toEqual({
			data: { page: '1', q: 'x' },
			ignored: [{ name: 'page', value: '0', message: 'Page must be a whole number from 1.' }]
		});
	});

	it('leaves out a group together, also when only a check across fields fails', () => {
		expect(parseQueryForgiving(page, new URLSearchParams('lat=abc&lng=3&q=x'), groups)).toEqual({
			data: { page: '1', q: 'x' },
			ignored: [
				{ name: 'lat', value: 'abc', message: 'lat must be a number.' },
				{ name: 'lng', value: '3', message: 'lat must be a number.' }
			]
		});
		expect(parseQueryForgiving(page, new URLSearchParams('lat=30&q=x'), groups)).toEqual({
			data: { page: '1', q: 'x' },
			ignored: [{ name: 'lat', value: '30', message: 'Give both.' }]
		});
	});
});

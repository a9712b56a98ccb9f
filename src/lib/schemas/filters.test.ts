import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, providerFiltersSchema } from './filters';
import { parseQuery } from './query';

function parse(query: string) {
	return parseQuery(providerFiltersSchema, new URLSearchParams(query));
}

function problemFields(query: string) {
	const result = parse(query);
	if (result.ok) throw new Error(`expected "${query}" to be rejected`);
	return result.problem.fields;
}

describe('providerFiltersSchema', () => {
	it('parses every filter', () => {
		expect(
			parse('state=TX&route=iv&kind=clinic&telehealth=yes&psychotherapy=no&page=2&pageSize=50')
		).toEqual({
			ok: true,
			data: {
				state: 'TX',
				route: 'iv',
				kind: 'clinic',
				telehealth: true,
				psychotherapy: false,
				page: 2,
				pageSize: 50
			}
		});
	});

	it('defaults to the first page of 20', () => {
		expect(DEFAULT_PAGE_SIZE).toBe(20);
		expect(parse('')).toEqual({ ok: true, data: { page: 1, pageSize: 20 } });
	});

	it('accepts a state code in any case', () => {
		for (const state of ['ny', 'Ny', 'NY', ' ny ']) {
			expect(parse(`state=${encodeURIComponent(state)}`)).toEqual({
				ok: true,
				data: { state: 'NY', page: 1, pageSize: 20 }
			});
		}
	});

	it('reads yes/no flags the ways a form or a link writes them', () => {
		for (const yes of ['yes', 'YES', 'true', '1']) {
			expect(parse(`telehealth=${yes}`)).toMatchObject({ ok: true, data: { telehealth: true } });
		}
		for (const no of ['no', 'No', 'false', '0']) {
			expect(parse(`psychotherapy=${no}`)).toMatchObject({
				ok: true,
				data: { psychotherapy: false }
			});
		}
	});

	it('treats empty values as absent, so blank selects mean "any"', () => {
		expect(parse('state=&route=&kind=&telehealth=&psychotherapy=%20&page=&pageSize=')).toEqual({
			ok: true,
			data: { page: 1, pageSize: 20 }
		});
	});

	it('ignores parameters it does not know', () => {
		expect(parse('utm_source=news&state=tx')).toEqual({
			ok: true,
			data: { state: 'TX', page: 1, pageSize: 20 }
		});
	});

	it('accepts the largest page size', () => {
		expect(parse(`pageSize=${MAX_PAGE_SIZE}`)).toEqual({
			ok: true,
			data: { page: 1, pageSize: 100 }
		});
	});

	it('rejects an unknown route and lists the valid codes', () => {
		expect(problemFields('route=xyz')).toEqual({
			route:
				'Unknown route of administration “xyz”. Use one of: iv, im, intranasal, esketamine, troche, rdt, oral, rectal, transdermal, nebulized.'
		});
	});

	it('rejects an unknown state or kind', () => {
		expect(problemFields('state=zz')).toEqual({
			state: '“zz” is not a US state code (e.g. TX, ny, DC).'
		});
		expect(problemFields('kind=hospital')).toEqual({
			kind: 'Unknown provider kind “hospital”. Use one of: clinic, telehealth, kap, spravato.'
		});
	});

	it('rejects pages that are not whole numbers of at least 1', () => {
		expect(problemFields('page=-3')).toEqual({
			page: 'Page must be a whole number from 1 to 100000.'
		});
		expect(problemFields('page=1.5')).toEqual({
			page: 'Page must be a whole number from 1 to 100000.'
		});
		expect(problemFields('page=0')).toEqual({ page: 'Page must be at least 1.' });
	});

	it('rejects a page size above the maximum', () => {
		expect(problemFields('pageSize=101')).toEqual({ pageSize: 'Page size must be at most 100.' });
		expect(problemFields('pageSize=0')).toEqual({ pageSize: 'Page size must be at least 1.' });
	});

	it('rejects a yes/no flag that is neither', () => {
		expect(problemFields('telehealth=maybe')).toEqual({
			telehealth: 'Telehealth must be “yes” or “no”.'
		});
		expect(problemFields('psychotherapy=sometimes')).toEqual({
			psychotherapy: 'Psychotherapy / integration must be “yes” or “no”.'
		});
	});

	it('reports every bad field at once, each next to its own name', () => {
		const result = parse('route=xyz&page=0&telehealth=maybe&state=tx');
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(Object.keys(result.problem.fields).sort()).toEqual(['page', 'route', 'telehealth']);
		expect(result.problem.message).toBe(
			'Unknown route of administration “xyz”. Use one of: iv, im, intranasal, esketamine, troche, rdt, oral, rectal, transdermal, nebulized. ' +
				'Telehealth must be “yes” or “no”. Page must be at least 1.'
		);
	});
});

import { describe, expect, it } from 'vitest';
import { COMMENT_MAX, ratingSchema } from './rating';
import { ASPECT_KEYS, errorsFor, KEY, MESSAGES, minimal, parse } from './rating.fixtures';

describe('ratingSchema: valid input', () => {
	it('accepts the minimal form: overall, own experience and the token', () => {
		expect(parse(minimal)).toStrictEqual({
			overall: 4,
			conditions: [],
			ownExperience: true,
			idempotencyKey: KEY
		});
	});

	it('accepts a full JSON rating with numbers and booleans', () => {
		const input = {
			overall: 5,
			effectiveness: 5,
			support: 4,
			value: 3,
			education: 4,
			setting: 2,
			recommend: 9,
			route: 'esketamine',
			conditions: ['trd', 'ptsd'],
			monthsInTreatment: 6,
			pricePaid: 850,
			comment: 'Calm staff; they checked my blood pressure before and after.',
			ownExperience: true,
			idempotencyKey: KEY
		};
		expect(parse(input)).toStrictEqual(input);
	});

	it('accepts a full form with numbers as text', () => {
		expect(
			parse({
				overall: '2',
				effectiveness: '1',
				support: '2',
				value: '3',
				education: '4',
				setting: '5',
				recommend: '0',
				route: 'troche',
				conditions: ['anxiety', 'ocd'],
				monthsInTreatment: '0',
				pricePaid: '$85',
				comment: '  At home, no check-ins.  ',
				ownExperience: 'on',
				idempotencyKey: ` ${KEY} `
			})
		).toStrictEqual({
			overall: 2,
			effectiveness: 1,
			support: 2,
			value: 3,
			education: 4,
			setting: 5,
			recommend: 0,
			route: 'troche',
			conditions: ['anxiety', 'ocd'],
			monthsInTreatment: 0,
			pricePaid: 85,
			comment: 'At home, no check-ins.',
			ownExperience: true,
			idempotencyKey: KEY
		});
	});

	it('accepts the ends of every range', () => {
		for (const overall of ['1', '5', 1, 5])
			expect(parse({ ...minimal, overall }).overall).toBe(Number(overall));
		for (const key of ASPECT_KEYS) {
			expect(parse({ ...minimal, [key]: '1' })[key]).toBe(1);
			expect(parse({ ...minimal, [key]: 5 })[key]).toBe(5);
		}
		expect(parse({ ...minimal, recommend: '0' }).recommend).toBe(0);
		expect(parse({ ...minimal, recommend: 10 }).recommend).toBe(10);
		expect(parse({ ...minimal, monthsInTreatment: '240' }).monthsInTreatment).toBe(240);
		expect(parse({ ...minimal, pricePaid: '0' }).pricePaid).toBe(0);
		expect(parse({ ...minimal, pricePaid: '20000' }).pricePaid).toBe(20_000);
		expect(parse({ ...minimal, comment: 'x'.repeat(COMMENT_MAX) }).comment).toHaveLength(2000);
	});

	it('drops fields it does not know', () => {
		expect(
			parse({ ...minimal, contact_url: 'http://spam.example', status: 'published' })
		).toStrictEqual(parse(minimal));
	});
});

describe('ratingSchema: blank means not answered', () => {
	// toEqual, not toStrictEqual: a blank field may come back as an undefined key.
	it('treats every blank optional field as absent', () => {
		for (const blank of ['', '   ']) {
			expect(
				parse({
					...minimal,
					effectiveness: blank,
					support: blank,
					value: blank,
					education: blank,
					setting: blank,
					recommend: blank,
					route: blank,
					monthsInTreatment: blank,
					pricePaid: blank,
					comment: blank
				})
			).toEqual(parse(minimal));
		}
	});

	it.each([
		...ASPECT_KEYS,
		'recommend',
		'monthsInTreatment',
		'route',
		'pricePaid',
		'comment'
	] as const)('reads a blank %s as not answered', (key) => {
		expect(parse({ ...minimal, [key]: '' })[key]).toBeUndefined();
	});

	it('asks for the overall rating when it is blank', () => {
		expect(errorsFor({ ...minimal, overall: '' })).toEqual({ overall: MESSAGES.overall });
		expect(errorsFor({ ...minimal, overall: ' ' })).toEqual({ overall: MESSAGES.overall });
	});
});

describe('ratingSchema: prices as people type them', () => {
	it.each([
		['450', 450],
		[' 450 ', 450],
		['$450', 450],
		['1,250', 1250],
		['$1,250.50', 1251],
		['450.49', 450],
		['75.5', 76],
		['0.5', 1],
		[1250.5, 1251],
		[450, 450]
	] as const)('reads %j as $%d', (pricePaid, dollars) => {
		expect(parse({ ...minimal, pricePaid }).pricePaid).toBe(dollars);
	});
});

describe('ratingSchema: conditions', () => {
	it('reads one condition as a list of one', () => {
		expect(parse({ ...minimal, conditions: 'ptsd' }).conditions).toEqual(['ptsd']);
	});

	it('collapses duplicates, keeping the first order', () => {
		expect(
			parse({ ...minimal, conditions: ['mdd', 'ptsd', 'mdd', 'ptsd', 'anxiety'] }).conditions
		).toEqual(['mdd', 'ptsd', 'anxiety']);
	});

	it('is an empty list when none are given', () => {
		expect(parse(minimal).conditions).toEqual([]);
		expect(parse({ ...minimal, conditions: [] }).conditions).toEqual([]);
	});
});

describe('comment normalisation', () => {
	const base = { overall: 4, ownExperience: true, idempotencyKey: 'abcdefgh1234' };

	it('counts a CRLF line break as one character, as the textarea does', () => {
		const line = 'x'.repeat(999);
		const parsed = ratingSchema.safeParse({ ...base, comment: `${line}\r\n${line}\r\n` });
		expect(parsed.success).toBe(true);
		expect(parsed.data?.comment).toBe(`${line}\n${line}`);
	});

	it('drops NUL characters, which the database cannot store', () => {
		const parsed = ratingSchema.safeParse({ ...base, comment: 'a\u0000b' });
		expect(parsed.data?.comment).toBe('ab');
	});
});

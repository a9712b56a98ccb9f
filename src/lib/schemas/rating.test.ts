import { describe, expect, it } from 'vitest';
import { COMMENT_MAX, ratingFormValues, ratingSchema } from './rating';

const KEY = 'c3d9a4f2-6b1e-4c0a-9d8e-1f2a3b4c5d6e';
const minimal = { overall: '4', ownExperience: 'on', idempotencyKey: KEY };

const MESSAGES = {
	overall: 'Choose an overall rating from 1 to 5 stars.',
	effectiveness: 'Rate effectiveness from 1 to 5 stars, or leave it blank.',
	support: 'Rate support during treatment from 1 to 5 stars, or leave it blank.',
	value: 'Rate value for cost from 1 to 5 stars, or leave it blank.',
	education: 'Rate education and screening from 1 to 5 stars, or leave it blank.',
	setting: 'Rate setting and comfort from 1 to 5 stars, or leave it blank.',
	recommend: 'Choose a number from 0 to 10, or leave it blank.',
	route: 'Choose one of the treatments this provider offers.',
	conditions: 'Choose conditions from the list.',
	monthsInTreatment: 'Months in treatment must be a whole number from 0 to 240, or blank.',
	price: 'Enter the price per session in US dollars, e.g. 450, or leave it blank.',
	priceNegative: 'The price cannot be negative.',
	priceTooHigh: 'That price looks too high for one session; check it, or leave it blank.',
	comment: 'Keep the comment to 2,000 characters or fewer.',
	ownExperience: 'Please confirm this is your own experience as a patient.',
	keyMissing: 'Missing submission token; reload the page and try again.',
	keyInvalid: 'Invalid submission token; reload the page and try again.'
};

const ASPECT_KEYS = ['effectiveness', 'support', 'value', 'education', 'setting'] as const;

function parse(input: Record<string, unknown>) {
	const result = ratingSchema.safeParse(input);
	if (!result.success) {
		throw new Error(`expected a valid rating, got ${JSON.stringify(result.error.issues)}`);
	}
	return result.data;
}

/** The first message per field, as the form shows them next to each field. */
function errorsFor(input: Record<string, unknown>): Record<string, string> {
	const result = ratingSchema.safeParse(input);
	if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
	const errors: Record<string, string> = {};
	for (const issue of result.error.issues)
		errors[String(issue.path[0] ?? 'form')] ??= issue.message;
	return errors;
}

function form(entries: [string, string | Blob][]): FormData {
	const data = new FormData();
	for (const [key, value] of entries) data.append(key, value);
	return data;
}

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

describe('ratingSchema: each invalid field gets its own message', () => {
	it.each([undefined, '0', '6', 0, 6, '2.5', 2.5, 'abc', '4 stars', null, true])(
		'rejects overall %j',
		(overall) => {
			expect(errorsFor({ ...minimal, overall })).toEqual({ overall: MESSAGES.overall });
		}
	);

	it('rejects an aspect out of 1–5 with that aspect’s message', () => {
		for (const key of ASPECT_KEYS) {
			for (const bad of ['6', 6, '0', '3.5', 'abc']) {
				expect(errorsFor({ ...minimal, [key]: bad })).toEqual({ [key]: MESSAGES[key] });
			}
		}
	});

	it.each(['11', 11, '-1', -1, '7.5', 'yes'])('rejects recommend %j', (recommend) => {
		expect(errorsFor({ ...minimal, recommend })).toEqual({ recommend: MESSAGES.recommend });
	});

	it.each(['ivv', 'IV', 'infusion', 3])('rejects the route %j', (route) => {
		expect(errorsFor({ ...minimal, route })).toEqual({ route: MESSAGES.route });
	});

	it('rejects a condition not on the list', () => {
		expect(errorsFor({ ...minimal, conditions: 'flu' })).toEqual({
			conditions: MESSAGES.conditions
		});
		expect(errorsFor({ ...minimal, conditions: ['mdd', 'flu'] })).toEqual({
			conditions: MESSAGES.conditions
		});
	});

	it.each(['241', 241, '-1', '1.5', 'six'])('rejects months in treatment %j', (months) => {
		expect(errorsFor({ ...minimal, monthsInTreatment: months })).toEqual({
			monthsInTreatment: MESSAGES.monthsInTreatment
		});
	});

	it('rejects a price that is not dollars', () => {
		for (const pricePaid of ['abc', '4.505', '1.2.3', '$', 'free']) {
			expect(errorsFor({ ...minimal, pricePaid })).toEqual({ pricePaid: MESSAGES.price });
		}
	});

	it('rejects a negative price', () => {
		expect(Object.keys(errorsFor({ ...minimal, pricePaid: '-5' }))).toEqual(['pricePaid']);
		expect(errorsFor({ ...minimal, pricePaid: -5 })).toEqual({
			pricePaid: MESSAGES.priceNegative
		});
	});

	it('rejects a price too high for one session', () => {
		expect(errorsFor({ ...minimal, pricePaid: '20001' })).toEqual({
			pricePaid: MESSAGES.priceTooHigh
		});
		expect(errorsFor({ ...minimal, pricePaid: '$25,000' })).toEqual({
			pricePaid: MESSAGES.priceTooHigh
		});
	});

	it('rejects a comment over 2,000 characters, after trimming', () => {
		expect(COMMENT_MAX).toBe(2000);
		expect(errorsFor({ ...minimal, comment: 'x'.repeat(2001) })).toEqual({
			comment: MESSAGES.comment
		});
		expect(parse({ ...minimal, comment: `  ${'x'.repeat(2000)}\n` }).comment).toBe(
			'x'.repeat(2000)
		);
	});

	it('rejects a comment that is not text', () => {
		expect(errorsFor({ ...minimal, comment: 42 })).toEqual({
			comment: 'The comment must be text.'
		});
	});

	it.each([undefined, false, '', 'off', 'false', 'no'])(
		'asks to confirm own experience when it is %j',
		(ownExperience) => {
			expect(errorsFor({ ...minimal, ownExperience })).toEqual({
				ownExperience: MESSAGES.ownExperience
			});
		}
	);

	it.each(['on', 'true', 'yes', true])('accepts own experience as %j', (ownExperience) => {
		expect(parse({ ...minimal, ownExperience }).ownExperience).toBe(true);
	});

	it('rejects a missing or malformed submission token', () => {
		expect(errorsFor({ ...minimal, idempotencyKey: undefined })).toEqual({
			idempotencyKey: MESSAGES.keyMissing
		});
		for (const idempotencyKey of ['', 'short', 'has spaces inside', 'a'.repeat(101), 'key;drop']) {
			expect(errorsFor({ ...minimal, idempotencyKey })).toEqual({
				idempotencyKey: MESSAGES.keyInvalid
			});
		}
		expect(parse({ ...minimal, idempotencyKey: 'a'.repeat(8) }).idempotencyKey).toBe('aaaaaaaa');
		expect(parse({ ...minimal, idempotencyKey: 'A_b-9'.repeat(20) }).idempotencyKey).toHaveLength(
			100
		);
	});

	it('reports every bad field at once, each with its own message', () => {
		expect(
			errorsFor({
				overall: '0',
				support: '6',
				recommend: '11',
				route: 'ivv',
				conditions: ['flu'],
				monthsInTreatment: '241',
				pricePaid: 'abc',
				comment: 'x'.repeat(2001)
			})
		).toEqual({
			overall: MESSAGES.overall,
			support: MESSAGES.support,
			recommend: MESSAGES.recommend,
			route: MESSAGES.route,
			conditions: MESSAGES.conditions,
			monthsInTreatment: MESSAGES.monthsInTreatment,
			pricePaid: MESSAGES.price,
			comment: MESSAGES.comment,
			ownExperience: MESSAGES.ownExperience,
			idempotencyKey: MESSAGES.keyMissing
		});
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

describe('ratingFormValues', () => {
	it('collects a repeated conditions field into a list', () => {
		const values = ratingFormValues(
			form([
				['overall', '5'],
				['conditions', 'trd'],
				['conditions', 'ptsd'],
				['conditions', 'anxiety']
			])
		);
		expect(values).toEqual({ overall: '5', conditions: ['trd', 'ptsd', 'anxiety'] });
	});

	it('makes a single condition a list and leaves conditions out when none is checked', () => {
		expect(ratingFormValues(form([['conditions', 'ocd']]))).toEqual({ conditions: ['ocd'] });
		expect(ratingFormValues(form([['overall', '3']]))).toEqual({ overall: '3' });
	});

	it('keeps text fields as text and skips files', () => {
		expect(
			ratingFormValues(
				form([
					['comment', 'Helped a lot'],
					['photo', new Blob(['not a rating'])],
					['pricePaid', '']
				])
			)
		).toEqual({ comment: 'Helped a lot', pricePaid: '' });
	});

	it('feeds the schema what the rating form posts when only the overall rating is given', () => {
		// The form posts every field: "No answer" selects and empty text inputs arrive as ''.
		const posted = form([
			['idempotencyKey', KEY],
			['overall', '4'],
			...ASPECT_KEYS.map((key): [string, string] => [key, '']),
			['recommend', ''],
			['route', ''],
			['monthsInTreatment', ''],
			['pricePaid', ''],
			['comment', ''],
			['ownExperience', 'on']
		]);
		expect(parse(ratingFormValues(posted))).toEqual({
			overall: 4,
			conditions: [],
			ownExperience: true,
			idempotencyKey: KEY
		});
	});

	it('feeds the schema a full form with repeated conditions', () => {
		const posted = form([
			['idempotencyKey', KEY],
			['overall', '5'],
			['effectiveness', '5'],
			['support', '4'],
			['value', ''],
			['education', '3'],
			['setting', ''],
			['recommend', '10'],
			['route', 'iv'],
			['monthsInTreatment', '3'],
			['pricePaid', '$1,250.50'],
			['conditions', 'trd'],
			['conditions', 'suicidal_ideation'],
			['conditions', 'trd'],
			['comment', 'Six infusions over two weeks.'],
			['ownExperience', 'on']
		]);
		expect(parse(ratingFormValues(posted))).toEqual({
			overall: 5,
			effectiveness: 5,
			support: 4,
			education: 3,
			recommend: 10,
			route: 'iv',
			conditions: ['trd', 'suicidal_ideation'],
			monthsInTreatment: 3,
			pricePaid: 1251,
			comment: 'Six infusions over two weeks.',
			ownExperience: true,
			idempotencyKey: KEY
		});
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

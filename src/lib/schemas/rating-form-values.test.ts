import { describe, expect, it } from 'vitest';
import { ratingFormValues } from './rating';
import { ASPECT_KEYS, KEY, parse } from './rating.fixtures';

function form(entries: [string, string | Blob][]): FormData {
	const data = new FormData();
	for (const [key, value] of entries) data.append(key, value);
	return data;
}

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

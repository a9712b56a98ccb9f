import { describe, expect, it } from 'vitest';
import { COMMENT_MAX } from './rating';
import { ASPECT_KEYS, errorsFor, MESSAGES, minimal, parse } from './rating.fixtures';

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

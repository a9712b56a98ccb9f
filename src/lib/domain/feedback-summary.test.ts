import { describe, expect, it } from 'vitest';
import {
	CAUTION_RULES,
	EMPTY_SUMMARY,
	brief,
	cautionText,
	fromStored,
	summarize,
	toStored
} from './feedback';
import { rating, repeat, withConditions } from './feedback.testing';

describe('summarize', () => {
	it('has nothing to show with no ratings', () => {
		const expected = {
			rulesVersion: 2,
			count: 0,
			overallMean: null,
			distribution: [0, 0, 0, 0, 0],
			effectivePercent: null,
			label: 'Not Rated',
			effectiveness: { count: 0, fromEffectiveness: 0, mean: null, responders: 0 },
			aspects: {
				effectiveness: { mean: null, count: 0 },
				support: { mean: null, count: 0 },
				value: { mean: null, count: 0 },
				education: { mean: null, count: 0 },
				setting: { mean: null, count: 0 }
			},
			recommend: null,
			weightedScore: null,
			byCondition: [],
			medianPrice: {},
			cautions: []
		};
		expect(summarize([])).toStrictEqual(expected);
		expect(EMPTY_SUMMARY).toStrictEqual(expected);
	});

	it('summarizes one rating', () => {
		const summary = summarize([
			rating(2, {
				support: 4,
				recommend: 10,
				route: 'iv',
				pricePaid: 450,
				conditions: ['trd']
			})
		]);
		expect(summary.count).toBe(1);
		expect(summary.overallMean).toBe(2);
		expect(summary.distribution).toEqual([0, 1, 0, 0, 0]);
		// One patient is not enough for a label or a share.
		expect(summary.effectivePercent).toBeNull();
		expect(summary.label).toBe('Too few ratings yet');
		expect(summary.effectiveness).toEqual({
			count: 1,
			fromEffectiveness: 0,
			mean: 2,
			responders: 0
		});
		expect(summary.aspects.support).toEqual({ mean: 4, count: 1 });
		expect(summary.aspects.value).toEqual({ mean: null, count: 0 });
		expect(summary.recommend).toEqual({ score: 100, count: 1, promoters: 1, detractors: 0 });
		expect(summary.weightedScore).toBeCloseTo((2 + 5 * 3) / 6, 12);
		expect(summary.byCondition).toEqual([{ condition: 'trd', count: 1, effectivePercent: null }]);
		expect(summary.medianPrice).toEqual({ iv: { median: 450, count: 1 } });
		expect(summary.cautions).toEqual([]);
	});

	it('counts each star level and agrees with the formulas', () => {
		const stars = [5, 5, 5, 4, 3, 3, 1];
		const summary = summarize(stars.map((s) => rating(s)));
		expect(summary.count).toBe(7);
		expect(summary.distribution).toEqual([1, 0, 2, 1, 3]);
		expect(summary.overallMean).toBeCloseTo(26 / 7, 12);
		expect(summary.effectivePercent).toBe(86); // 6 of 7
		expect(summary.label).toBe('Effective'); // 3.71
		expect(summary.weightedScore).toBeCloseTo((7 / 12) * (26 / 7) + (5 / 12) * 3, 12);
		expect(summary.recommend).toBeNull();
	});

	it('counts each aspect over the ratings that answered it', () => {
		const summary = summarize([
			rating(5, { effectiveness: 5, support: 1, value: 4, education: 2 }),
			rating(4, { effectiveness: 4, support: 2, value: null, education: 3 }),
			rating(4, { effectiveness: 3, support: 4 }),
			rating(3, { support: 5, setting: 5 }),
			rating(1)
		]);
		expect(summary.aspects).toEqual({
			effectiveness: { mean: 4, count: 3 },
			support: { mean: 3, count: 4 },
			value: { mean: 4, count: 1 },
			education: { mean: 2.5, count: 2 },
			setting: { mean: 5, count: 1 }
		});
		expect(summary.count).toBe(5);
		expect(summary.overallMean).toBe(3.4);
	});

	it('scores "would recommend" over the ratings that answered it', () => {
		const summary = summarize([
			rating(5, { recommend: 10 }),
			rating(5, { recommend: 9 }),
			rating(4, { recommend: 8 }),
			rating(2, { recommend: 3 }),
			rating(3, { recommend: null }),
			rating(3)
		]);
		expect(summary.recommend).toEqual({ score: 25, count: 4, promoters: 2, detractors: 1 });
	});

	it('keeps 0 as an answer to "would recommend"', () => {
		expect(summarize([rating(1, { recommend: 0 })]).recommend).toEqual({
			score: -100,
			count: 1,
			promoters: 0,
			detractors: 1
		});
	});

	it('breaks ratings down by condition, most reported first, with % effective from 3 ratings', () => {
		const summary = summarize([
			withConditions(5, ['trd', 'anxiety']),
			withConditions(4, ['trd']),
			withConditions(2, ['trd', 'anxiety']),
			withConditions(1, ['trd']),
			withConditions(3, ['anxiety']),
			withConditions(5, ['ptsd']),
			withConditions(4, []),
			withConditions(3)
		]);
		expect(summary.byCondition).toEqual([
			{ condition: 'trd', count: 4, effectivePercent: 50 },
			{ condition: 'anxiety', count: 3, effectivePercent: 67 },
			{ condition: 'ptsd', count: 1, effectivePercent: null }
		]);
	});

	it('gives each condition’s % effective from the effectiveness answers where given', () => {
		const summary = summarize([
			{ overall: 5, effectiveness: 1, conditions: ['ptsd'] },
			{ overall: 5, effectiveness: 2, conditions: ['ptsd'] },
			{ overall: 2, conditions: ['ptsd'] },
			{ overall: 1, effectiveness: 5, conditions: ['ptsd'] }
		]);
		expect(summary.byCondition).toEqual([{ condition: 'ptsd', count: 4, effectivePercent: 25 }]);
	});

	it('gives the median price paid per route, from ratings that name both', () => {
		const summary = summarize([
			rating(5, { route: 'iv', pricePaid: 400 }),
			rating(4, { route: 'iv', pricePaid: 700 }),
			rating(4, { route: 'iv', pricePaid: 500 }),
			rating(3, { route: 'iv', pricePaid: 600 }),
			rating(3, { route: 'iv' }),
			rating(5, { route: 'troche', pricePaid: 90 }),
			rating(4, { route: 'troche', pricePaid: 75 }),
			rating(2, { route: 'troche', pricePaid: 80 }),
			rating(4, { route: 'esketamine', pricePaid: null }),
			rating(4, { pricePaid: 999 }),
			rating(4, { route: 'im', pricePaid: 0 })
		]);
		expect(summary.medianPrice).toStrictEqual({
			iv: { median: 550, count: 4 },
			im: { median: 0, count: 1 },
			troche: { median: 80, count: 3 }
		});
	});

	it('cautions on support only when enough of the patients who rated it rated it low', () => {
		const summary = summarize([
			rating(1, { support: 1, education: 1, value: 5, effectiveness: 1, setting: 1 }),
			rating(2, { support: 2, education: 1, value: 2, effectiveness: 1, setting: 1 }),
			rating(4, { support: 4, education: 1, value: 4, effectiveness: 1, setting: 1 }),
			rating(5, { support: 5, education: 1, value: 4, effectiveness: 1, setting: 1 }),
			rating(5, { support: 5, value: 3, effectiveness: 1, setting: 1 }),
			rating(4, { support: null, value: 4, effectiveness: 1, setting: 1 })
		]);
		// overall: 2 of 6 low (33%); support: 2 of the 5 who answered (40%); education: only 4
		// answers; value: 1 of 6; effectiveness and setting are not watched.
		expect(summary.cautions).toEqual([
			{
				aspect: 'support',
				low: 2,
				total: 5,
				text: '2 of 5 patients rated support during treatment 2 stars or lower'
			}
		]);
	});

	it('lists cautions in a fixed order: overall, support, education, value', () => {
		const summary = summarize([
			rating(1, { support: 5, education: 3, value: 1 }),
			rating(2, { support: 5, education: 3, value: 1 }),
			rating(2, { support: 5, education: 3, value: 1 }),
			rating(5, { support: 1, education: 2, value: 1 }),
			rating(5, { support: 1, education: 2, value: 1 })
		]);
		expect(summary.cautions.map((c) => c.text)).toEqual([
			'3 of 5 patients rated their overall experience 2 stars or lower',
			'2 of 5 patients rated support during treatment 2 stars or lower',
			'2 of 5 patients rated education and screening 2 stars or lower',
			'5 of 5 patients rated value for cost 2 stars or lower'
		]);
	});
});

describe('brief', () => {
	it('carries what a card shows, plus the ratings held for moderation', () => {
		const summary = summarize([1, 2, 2, 5, 5].map((s) => rating(s)));
		expect(brief(summary, 3)).toStrictEqual({
			count: 5,
			overallMean: 3,
			label: 'Effective',
			effectivePercent: 40,
			weightedScore: 3,
			cautions: [
				{
					aspect: 'overall',
					low: 3,
					total: 5,
					text: '3 of 5 patients rated their overall experience 2 stars or lower'
				}
			],
			heldCount: 3
		});
	});

	it('is Not Rated for a provider with only held ratings', () => {
		expect(brief(EMPTY_SUMMARY, 2)).toStrictEqual({
			count: 0,
			overallMean: null,
			label: 'Not Rated',
			effectivePercent: null,
			weightedScore: null,
			cautions: [],
			heldCount: 2
		});
	});
});

describe('fromStored', () => {
	/** A summary as the first rules stored it: no version, labels from the overall stars. */
	function v1(stars: number[], label: string, percent: number | null) {
		const { rulesVersion: _v, effectiveness: _e, ...rest } = summarize(stars.map((s) => rating(s)));
		return { ...rest, label, effectivePercent: percent };
	}

	it('returns a summary of the current rules as it is', () => {
		const current = summarize([5, 4, 1].map((s) => rating(s, { effectiveness: 2 })));
		expect(fromStored(JSON.parse(JSON.stringify(current)))).toEqual(current);
	});

	it('stores cautions as rule ids and numbers, no sentences, and reads them back worded', () => {
		const summary = summarize(repeat(rating(1, { support: 1 }), 6));
		expect(summary.cautions.length).toBeGreaterThan(0);
		const stored = JSON.parse(JSON.stringify(toStored(summary))) as unknown;
		expect(JSON.stringify(stored)).not.toContain('patients rated');
		expect((stored as { cautions: unknown[] }).cautions).toContainEqual({
			rule: 'low-support',
			low: 6,
			total: 6
		});
		expect(fromStored(stored)).toEqual(summary);
	});

	it('shows no label or share that older rules gave from one or two ratings', () => {
		const one = fromStored(v1([5], 'Amazing', 100));
		expect(one).toMatchObject({
			rulesVersion: 1,
			count: 1,
			overallMean: 5,
			label: 'Too few ratings yet',
			effectivePercent: null
		});
		expect(fromStored(v1([], 'Not Rated', null)).label).toBe('Not Rated');
	});

	it('describes older numbers as what they were: overall stars for every rating', () => {
		const old = fromStored(v1([5, 4, 2, 1], 'Effective', 50));
		expect(old.label).toBe('Effective');
		expect(old.effectivePercent).toBe(50);
		expect(old.effectiveness).toEqual({ count: 4, fromEffectiveness: 0, mean: 3, responders: 2 });
	});

	it('reads the column’s default, an empty object, as nothing summarised yet', () => {
		expect(fromStored({})).toEqual(EMPTY_SUMMARY);
		expect(fromStored(null)).toEqual(EMPTY_SUMMARY);
	});

	it('withholds an older per-condition share from fewer than 3 ratings', () => {
		const stored = {
			...v1([5, 1], 'Effective', 50),
			byCondition: [
				{ condition: 'trd', count: 4, effectivePercent: 75 },
				{ condition: 'ptsd', count: 1, effectivePercent: 100 }
			]
		};
		expect(fromStored(stored).byCondition).toEqual([
			{ condition: 'trd', count: 4, effectivePercent: 75 },
			{ condition: 'ptsd', count: 1, effectivePercent: null }
		]);
	});
});

describe('caution wording', () => {
	const stars = [...repeat(1, 4), ...repeat(2, 3), ...repeat(4, 5)];
	const stored = (cautions: unknown[]) => ({ ...summarize(stars.map((s) => rating(s))), cautions });

	it('renders a caution stored as a rule id and its numbers', () => {
		expect(fromStored(stored([{ rule: 'low-support', low: 7, total: 12 }])).cautions).toEqual([
			{
				aspect: 'support',
				low: 7,
				total: 12,
				text: '7 of 12 patients rated support during treatment 2 stars or lower'
			}
		]);
	});

	it('words a caution stored with a sentence from the rules, not from the sentence', () => {
		const old = { aspect: 'overall', low: 7, total: 12, text: 'an older wording' };
		expect(fromStored(stored([old])).cautions.map((c) => c.text)).toEqual([
			'7 of 12 patients rated their overall experience 2 stars or lower'
		]);
	});

	it('has one rule per watched aspect, each with the words the note and /methodology use', () => {
		expect(CAUTION_RULES.map((r) => r.id)).toEqual([
			'low-overall',
			'low-support',
			'low-education',
			'low-value'
		]);
		expect(CAUTION_RULES.map((r) => r.subject).join(', ')).toBe(
			'the overall rating, support during treatment, education and screening, value for cost'
		);
		expect(cautionText('value', 3, 5)).toBe(
			'3 of 5 patients rated value for cost 2 stars or lower'
		);
	});
});

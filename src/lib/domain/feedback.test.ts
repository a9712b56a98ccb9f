import { describe, expect, it } from 'vitest';
import type { ConditionCode } from './conditions';
import {
	BAYES_PRIOR_MEAN,
	BAYES_PRIOR_WEIGHT,
	CAUTION_ASPECTS,
	CAUTION_MIN_RATINGS,
	CAUTION_MIN_SHARE,
	EMPTY_SUMMARY,
	FEEDBACK_RULES_VERSION,
	LABEL_MIN_ANSWERS,
	LABEL_THRESHOLDS,
	NON_RESPONDER_MAX_STARS,
	brief,
	caution,
	effectivePercent,
	effectivenessAnswer,
	effectivenessLabel,
	fromStored,
	mean,
	median,
	recommendScore,
	summarize,
	weightedScore,
	type RatingFacts
} from './feedback';

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);

function rating(overall: number, extra: Partial<RatingFacts> = {}): RatingFacts {
	return { overall, ...extra };
}

function withConditions(overall: number, conditions?: ConditionCode[]): RatingFacts {
	return { overall, conditions };
}

describe('published constants', () => {
	// /methodology quotes these; a change here must be a deliberate one.
	it('match the patient survey and the methodology page', () => {
		expect(NON_RESPONDER_MAX_STARS).toBe(2);
		expect(LABEL_MIN_ANSWERS).toBe(3);
		expect(FEEDBACK_RULES_VERSION).toBe(2);
		expect(LABEL_THRESHOLDS.map((t) => [t.label, t.min])).toEqual([
			['Amazing', 4.5],
			['Highly Effective', 3.75],
			['Effective', 3],
			['Partially Effective', 2.25],
			['Ineffective', 1]
		]);
		expect(BAYES_PRIOR_WEIGHT).toBe(5);
		expect(BAYES_PRIOR_MEAN).toBe(3);
		expect(CAUTION_MIN_RATINGS).toBe(5);
		expect(CAUTION_MIN_SHARE).toBe(0.4);
		expect(CAUTION_ASPECTS).toEqual(['overall', 'support', 'education', 'value']);
	});
});

describe('mean', () => {
	it('is null with no values', () => {
		expect(mean([])).toBeNull();
	});

	it('is the value itself for one value, and the average for several', () => {
		expect(mean([4])).toBe(4);
		expect(mean([1, 2, 3, 4])).toBe(2.5);
		expect(mean([5, 5, 4])).toBeCloseTo(14 / 3, 12);
	});
});

describe('median', () => {
	it('is null with no values', () => {
		expect(median([])).toBeNull();
	});

	it('is the value itself for one value', () => {
		expect(median([450])).toBe(450);
	});

	it('is the middle value of an odd count, whatever the input order', () => {
		expect(median([600, 75, 400])).toBe(400);
		expect(median([5, 1, 4, 2, 3])).toBe(3);
	});

	it('is the average of the two middle values of an even count', () => {
		expect(median([700, 400, 600, 500])).toBe(550);
		expect(median([75, 90])).toBe(82.5);
	});

	it('sorts numerically, not as text', () => {
		expect(median([1000, 90, 200])).toBe(200);
	});

	it('leaves its input in place', () => {
		const prices = [3, 1, 2];
		median(prices);
		expect(prices).toEqual([3, 1, 2]);
	});
});

describe('effectivePercent', () => {
	it('is null with no answers', () => {
		expect(effectivePercent([])).toBeNull();
	});

	it('is null with fewer than 3 answers, however they read', () => {
		expect(effectivePercent([5])).toBeNull();
		expect(effectivePercent([1])).toBeNull();
		expect(effectivePercent([5, 5])).toBeNull();
		expect(effectivePercent([2, 3])).toBeNull();
	});

	it('counts 2 stars as a non-responder and 3 stars as a responder', () => {
		expect(effectivePercent([2, 2, 2])).toBe(0);
		expect(effectivePercent([3, 3, 3])).toBe(100);
		expect(effectivePercent([1, 2, 3, 4, 5])).toBe(60);
		expect(effectivePercent([2, 3, 2, 3])).toBe(50);
	});

	it('is a whole percentage, halves rounded up', () => {
		expect(effectivePercent([3, 1, 1])).toBe(33);
		expect(effectivePercent([3, 3, 1])).toBe(67);
		expect(effectivePercent([5, ...repeat(1, 7)])).toBe(13); // 12.5
		expect(effectivePercent([...repeat(5, 7), 1])).toBe(88); // 87.5
	});

	it('rounds an exact half up even where floating point lands just below it', () => {
		// 23 of 40 is exactly 57.5%, but 23 / 40 * 100 is 57.49999999999999 in floating point.
		expect(effectivePercent([...repeat(4, 23), ...repeat(1, 17)])).toBe(58);
		// 29 of 200 is exactly 14.5%.
		expect(effectivePercent([...repeat(4, 29), ...repeat(2, 171)])).toBe(15);
	});
});

describe('effectivenessAnswer', () => {
	it('is the effectiveness answer where given, else the overall stars', () => {
		expect(effectivenessAnswer(rating(5, { effectiveness: 2 }))).toBe(2);
		expect(effectivenessAnswer(rating(1, { effectiveness: 4 }))).toBe(4);
		expect(effectivenessAnswer(rating(4))).toBe(4);
		expect(effectivenessAnswer(rating(3, { effectiveness: null }))).toBe(3);
	});
});

describe('effectivenessLabel', () => {
	it('is Not Rated with no ratings', () => {
		expect(effectivenessLabel(null, 0)).toBe('Not Rated');
		expect(effectivenessLabel(4, 0)).toBe('Not Rated');
		expect(effectivenessLabel(null, 3)).toBe('Not Rated');
	});

	it('is “Too few ratings yet” with one or two answers, however high or low', () => {
		for (const stars of [1, 2, 3, 4, 5]) {
			expect(effectivenessLabel(stars, 1)).toBe('Too few ratings yet');
			expect(effectivenessLabel(stars, 2)).toBe('Too few ratings yet');
		}
		expect(effectivenessLabel(5, 3)).toBe('Amazing');
		expect(effectivenessLabel(1, 3)).toBe('Ineffective');
	});

	it.each([
		[5, 'Amazing'],
		[4.5, 'Amazing'],
		[4.49, 'Highly Effective'],
		[3.75, 'Highly Effective'],
		[3.74, 'Effective'],
		[3, 'Effective'],
		[2.99, 'Partially Effective'],
		[2.25, 'Partially Effective'],
		[2.24, 'Ineffective'],
		[1, 'Ineffective']
	] as const)('labels a mean of %s as %s', (overallMean, label) => {
		expect(effectivenessLabel(overallMean, 10)).toBe(label);
	});

	it('reaches each boundary exactly from real star ratings', () => {
		const label = (stars: number[]) => summarize(stars.map((s) => rating(s))).label;
		expect(label([5, 4])).toBe('Too few ratings yet'); // 4.5, but two ratings
		expect(label([5, 4, 5, 4])).toBe('Amazing'); // 4.5
		expect(label([5, 4, 4])).toBe('Highly Effective'); // 4.33
		expect(label([4, 4, 4, 3])).toBe('Highly Effective'); // 3.75
		expect(label([4, 4, 3, 3, 3])).toBe('Effective'); // 3.4
		expect(label([4, 2, 3])).toBe('Effective'); // 3
		expect(label([3, 3, 2])).toBe('Partially Effective'); // 2.67
		expect(label([3, 2, 2, 2])).toBe('Partially Effective'); // 2.25
		expect(label([3, 2, 2, 2, 2])).toBe('Ineffective'); // 2.2
	});

	it('reads effectiveness answers, not the overall stars, where patients gave them', () => {
		// Patients liked the clinic (5 stars overall) but rated its effectiveness low.
		const liked = summarize([
			rating(5, { effectiveness: 2 }),
			rating(5, { effectiveness: 2 }),
			rating(5, { effectiveness: 1 })
		]);
		expect(liked.overallMean).toBe(5);
		expect(liked.label).toBe('Ineffective');
		expect(liked.effectivePercent).toBe(0);
		// The Bayesian score (the "best rated" order) stays on the overall stars.
		expect(liked.weightedScore).toBeCloseTo((3 * 5 + 5 * 3) / 8, 12);
	});

	it('falls back to the overall stars for each rating that skipped the question', () => {
		const mixed = summarize([
			rating(2, { effectiveness: 5 }),
			rating(5), // counts as 5
			rating(1), // counts as 1
			rating(4, { effectiveness: null }) // counts as 4
		]);
		expect(mixed.effectiveness).toEqual({
			count: 4,
			fromEffectiveness: 1,
			mean: 15 / 4,
			responders: 3
		});
		expect(mixed.label).toBe('Highly Effective'); // 3.75
		expect(mixed.effectivePercent).toBe(75);
		expect(mixed.overallMean).toBe(3);
	});
});

describe('recommendScore', () => {
	it('is null with no answers', () => {
		expect(recommendScore([])).toBeNull();
	});

	it('is 100 when everyone answers 9 or 10', () => {
		expect(recommendScore([9, 10, 10])).toEqual({
			score: 100,
			count: 3,
			promoters: 3,
			detractors: 0
		});
	});

	it('is −100 when everyone answers 0 to 6', () => {
		expect(recommendScore([0, 3, 6])).toEqual({
			score: -100,
			count: 3,
			promoters: 0,
			detractors: 3
		});
	});

	it('is 0 when everyone answers 7 or 8', () => {
		expect(recommendScore([7, 8, 7, 8])).toEqual({
			score: 0,
			count: 4,
			promoters: 0,
			detractors: 0
		});
	});

	it('draws the lines between 6 and 7 and between 8 and 9', () => {
		expect(recommendScore([6])?.score).toBe(-100);
		expect(recommendScore([7])?.score).toBe(0);
		expect(recommendScore([8])?.score).toBe(0);
		expect(recommendScore([9])?.score).toBe(100);
		expect(recommendScore([6, 7, 8, 9])).toEqual({
			score: 0,
			count: 4,
			promoters: 1,
			detractors: 1
		});
	});

	it('is in whole points', () => {
		expect(recommendScore([10, 7, 7])?.score).toBe(33);
		expect(recommendScore([10, 10, 7])?.score).toBe(67);
		expect(recommendScore([10, 0, 8])?.score).toBe(0);
		expect(recommendScore([10, 10, 10, 0])?.score).toBe(50);
	});

	it('rounds an exact half up even where floating point lands just below it', () => {
		// 23 net promoters of 40 answers is exactly 57.5 points.
		expect(recommendScore([...repeat(10, 23), ...repeat(8, 17)])?.score).toBe(58);
	});
});

describe('weightedScore', () => {
	it('is null with no ratings', () => {
		expect(weightedScore(0, null)).toBeNull();
		expect(weightedScore(0, 5)).toBeNull();
	});

	it('pulls one rating most of the way to the prior of 3', () => {
		expect(weightedScore(1, 5)).toBeCloseTo((1 / 6) * 5 + (5 / 6) * 3, 12); // 3.333
		expect(weightedScore(1, 1)).toBeCloseTo((1 / 6) * 1 + (5 / 6) * 3, 12); // 2.667
	});

	it('weighs the provider’s mean and the prior equally at 5 ratings', () => {
		expect(weightedScore(5, 4)).toBeCloseTo(3.5, 12);
		expect(weightedScore(5, 2)).toBeCloseTo(2.5, 12);
	});

	it('follows v/(v+m)·R + m/(v+m)·C', () => {
		expect(weightedScore(50, 4.8)).toBeCloseTo((50 / 55) * 4.8 + (5 / 55) * 3, 12); // 4.636
		expect(weightedScore(1000, 4.8)).toBeCloseTo(4.791, 3);
	});

	it('ranks one 5-star rating below fifty 4.8s', () => {
		const oneFive = weightedScore(1, 5) as number;
		const fiftyGood = weightedScore(50, 4.8) as number;
		expect(oneFive).toBeLessThan(fiftyGood);
		expect(oneFive).toBeLessThan(4);
	});

	it('never moves a mean of 3', () => {
		expect(weightedScore(1, 3)).toBeCloseTo(3, 12);
		expect(weightedScore(40, 3)).toBeCloseTo(3, 12);
	});
});

describe('caution', () => {
	it('never shows with 4 ratings, however low', () => {
		expect(caution('support', [1, 1, 1, 1])).toBeNull();
		expect(caution('support', [])).toBeNull();
	});

	it('shows at exactly 5 ratings when 2 of them are low (40%)', () => {
		expect(caution('support', [1, 2, 5, 5, 5])).toEqual({
			aspect: 'support',
			low: 2,
			total: 5,
			text: '2 of 5 patients rated support during treatment 2 stars or lower'
		});
	});

	it('does not show when only 1 of 5 is low (20%)', () => {
		expect(caution('support', [1, 5, 5, 5, 5])).toBeNull();
	});

	it('counts 2 stars as low and 3 stars as not', () => {
		expect(caution('support', [2, 2, 3, 3, 3])?.low).toBe(2);
		expect(caution('support', [3, 3, 3, 3, 3])).toBeNull();
		expect(caution('support', [2, 3, 3, 3, 3])).toBeNull();
	});

	it('shows at exactly 40% of a larger count and not just below it', () => {
		expect(caution('value', [...repeat(1, 4), ...repeat(5, 6)])?.total).toBe(10);
		expect(caution('value', [...repeat(1, 3), ...repeat(5, 7)])).toBeNull();
		expect(caution('value', [...repeat(2, 39), ...repeat(4, 61)])).toBeNull();
		expect(caution('value', [...repeat(2, 40), ...repeat(4, 60)])?.low).toBe(40);
	});

	it('says how many patients rated which aspect low', () => {
		const stars = [...repeat(1, 4), ...repeat(2, 3), ...repeat(4, 5)];
		expect(caution('support', stars)?.text).toBe(
			'7 of 12 patients rated support during treatment 2 stars or lower'
		);
		expect(caution('overall', stars)?.text).toBe(
			'7 of 12 patients rated their overall experience 2 stars or lower'
		);
		expect(caution('education', stars)?.text).toBe(
			'7 of 12 patients rated education and screening 2 stars or lower'
		);
		expect(caution('value', stars)?.text).toBe(
			'7 of 12 patients rated value for cost 2 stars or lower'
		);
	});
});

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

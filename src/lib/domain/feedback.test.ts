import { describe, expect, it } from 'vitest';
import {
	BAYES_PRIOR_MEAN,
	BAYES_PRIOR_WEIGHT,
	CAUTION_ASPECTS,
	CAUTION_MIN_RATINGS,
	CAUTION_MIN_SHARE,
	FEEDBACK_RULES_VERSION,
	LABEL_MIN_ANSWERS,
	LABEL_THRESHOLDS,
	NON_RESPONDER_MAX_STARS,
	caution,
	effectivePercent,
	effectivenessAnswer,
	effectivenessLabel,
	mean,
	median,
	recommendScore,
	summarize,
	weightedScore
} from './feedback';

import { rating, repeat } from './feedback.testing';

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

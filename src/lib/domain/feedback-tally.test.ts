import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITION_CODES } from './conditions';
import { summarize, type RatingFacts } from './feedback';
import {
	add,
	emptyTally,
	fromTallies,
	moveRatings,
	subtract,
	tallyAll,
	tallyOf,
	type FeedbackTally
} from './feedback-tally';
import { ROUTE_CODES } from './routes';

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });
const star = fc.integer({ min: 1, max: 5 });

/** Any rating the survey accepts, with a few prices repeated so medians meet ties. */
const ratingArb: fc.Arbitrary<RatingFacts> = fc.record(
	{
		overall: star,
		effectiveness: optional(orNull(star)),
		support: optional(orNull(star)),
		value: optional(orNull(star)),
		education: optional(orNull(star)),
		setting: optional(orNull(star)),
		recommend: optional(orNull(fc.integer({ min: 0, max: 10 }))),
		route: optional(orNull(fc.constantFrom(...ROUTE_CODES.slice(0, 3)))),
		pricePaid: optional(
			orNull(fc.oneof(fc.constantFrom(100, 250, 400), fc.integer({ min: 0, max: 20_000 })))
		),
		conditions: optional(
			fc.uniqueArray(fc.constantFrom(...CONDITION_CODES.slice(0, 5)), { maxLength: 3 })
		)
	},
	{ requiredKeys: ['overall'] }
);

const ratingsArb = fc.array(ratingArb, { maxLength: 60 });
const RUNS = { numRuns: 400 };

const sumOf = (list: readonly RatingFacts[]): FeedbackTally =>
	list.map(tallyOf).reduce(add, emptyTally());

describe('feedback tallies', () => {
	it('give exactly the summary of the ratings they count', () => {
		fc.assert(
			fc.property(ratingsArb, (list) => {
				expect(fromTallies(sumOf(list))).toStrictEqual(summarize(list));
				expect(fromTallies(tallyAll(list))).toStrictEqual(summarize(list));
			}),
			RUNS
		);
	});

	it('come back to where they were when what was added is taken out', () => {
		fc.assert(
			fc.property(ratingsArb, ratingsArb, (base, more) => {
				const before = tallyAll(base);
				expect(subtract(add(before, tallyAll(more)), tallyAll(more))).toStrictEqual(before);
				const moved = moveRatings(moveRatings(tallyAll(base), more, 1), more, -1);
				expect(moved).toStrictEqual(before);
			}),
			RUNS
		);
	});

	it('summarize what is left after some ratings are taken out, in any order', () => {
		fc.assert(
			fc.property(ratingsArb, fc.array(fc.boolean(), { maxLength: 60 }), (list, drop) => {
				const kept = list.filter((_, i) => !drop[i]);
				const dropped = list.filter((_, i) => drop[i]);
				const left = moveRatings(tallyAll(list), [...dropped].reverse(), -1);
				expect(left).toStrictEqual(tallyAll(kept));
				expect(fromTallies(left)).toStrictEqual(summarize(kept));
			}),
			RUNS
		);
	});

	it('survive a trip through JSON (jsonb keeps no key order)', () => {
		fc.assert(
			fc.property(ratingsArb, (list) => {
				const stored = JSON.parse(JSON.stringify(tallyAll(list))) as FeedbackTally;
				expect(fromTallies(stored)).toStrictEqual(summarize(list));
			}),
			RUNS
		);
	});

	it('refuse to take out a rating that was never counted', () => {
		const one = tallyOf({ overall: 4, route: 'iv', pricePaid: 300, conditions: ['ptsd'] });
		expect(() => subtract(emptyTally(), one)).toThrow(RangeError);
		expect(() => moveRatings(tallyOf({ overall: 4 }), [{ overall: 5 }], -1)).toThrow(RangeError);
	});

	it('refuse answers outside the survey', () => {
		expect(() => tallyOf({ overall: 6 })).toThrow(RangeError);
		expect(() => tallyOf({ overall: 3, recommend: 2.5 })).toThrow(RangeError);
	});

	it('take the median price from the histogram, halfway between the middle two', () => {
		const list: RatingFacts[] = [400, 100, 250, 250, 900, 100].map((pricePaid) => ({
			overall: 3,
			route: 'iv',
			pricePaid
		}));
		expect(fromTallies(tallyAll(list)).medianPrice).toEqual({ iv: { median: 250, count: 6 } });
		expect(fromTallies(tallyAll(list.slice(0, 5))).medianPrice).toEqual({
			iv: { median: 250, count: 5 }
		});
		expect(fromTallies(tallyAll(list.slice(0, 2))).medianPrice).toEqual({
			iv: { median: 250, count: 2 }
		});
	});
});

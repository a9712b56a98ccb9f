import type { ConditionCode } from './conditions';
import type { RatingFacts } from './feedback';

/** Ratings for the feedback tests, as short as the cases need them. */

export const repeat = <T>(value: T, times: number): T[] =>
	Array.from({ length: times }, () => value);

export function rating(overall: number, extra: Partial<RatingFacts> = {}): RatingFacts {
	return { overall, ...extra };
}

export function withConditions(overall: number, conditions?: ConditionCode[]): RatingFacts {
	return { overall, conditions };
}

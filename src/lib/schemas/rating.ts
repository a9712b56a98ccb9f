import { z } from 'zod';
import {
	blankToUndefined,
	cleanText,
	codeList,
	idempotencyKey,
	mustTick,
	optionalDollars,
	optionalWholeNumber,
	wholeNumber
} from './fields';
import { CONDITION_CODES } from '../domain/conditions';
import { ROUTE_CODES } from '../domain/routes';
import { COMMENT_MAX } from './limits';

const stars = (what: string) =>
	optionalWholeNumber(1, 5, `Rate ${what} from 1 to 5 stars, or leave it blank.`);

export { COMMENT_MAX };

export const ratingSchema = z.object({
	overall: wholeNumber(1, 5, 'Choose an overall rating from 1 to 5 stars.'),
	effectiveness: stars('effectiveness'),
	support: stars('support during treatment'),
	value: stars('value for cost'),
	education: stars('education and screening'),
	setting: stars('setting and comfort'),
	recommend: optionalWholeNumber(0, 10, 'Choose a number from 0 to 10, or leave it blank.'),
	route: z.preprocess(
		blankToUndefined,
		z.enum(ROUTE_CODES, { error: 'Choose one of the treatments this provider offers.' }).optional()
	),
	conditions: codeList(CONDITION_CODES, 'Choose conditions from the list.'),
	monthsInTreatment: optionalWholeNumber(
		0,
		240,
		'Months in treatment must be a whole number from 0 to 240, or blank.'
	),
	pricePaid: optionalDollars(20_000, {
		invalid: 'Enter the price per session in US dollars, e.g. 450, or leave it blank.',
		negative: 'The price cannot be negative.',
		tooHigh: 'That price looks too high for one session; check it, or leave it blank.'
	}),
	comment: z.preprocess(
		(value) => cleanText(value) || undefined,
		z
			.string({ error: 'The comment must be text.' })
			.max(
				COMMENT_MAX,
				`Keep the comment to ${COMMENT_MAX.toLocaleString('en-US')} characters or fewer.`
			)
			.optional()
	),
	ownExperience: mustTick('Please confirm this is your own experience as a patient.'),
	idempotencyKey
});

export type RatingInput = z.output<typeof ratingSchema>;

/** A FormData as the plain object ratingSchema reads; `conditions` may repeat. */
export function ratingFormValues(form: FormData): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const [key, value] of form) {
		if (typeof value !== 'string') continue;
		if (key === 'conditions')
			values.conditions = [...((values.conditions as string[]) ?? []), value];
		else values[key] = value;
	}
	return values;
}

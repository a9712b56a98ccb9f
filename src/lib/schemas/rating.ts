import { z } from 'zod';
import { CONDITION_CODES } from '../domain/conditions';
import { ROUTE_CODES } from '../domain/routes';

/** Blank form fields (and JSON nulls) mean "not answered"; numbers may arrive as strings or numbers. */
const blankToUndefined = (value: unknown) =>
	value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

const toWholeNumber = (value: unknown) => {
	const v = blankToUndefined(value);
	return typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
};

const wholeNumberIn = (min: number, max: number, message: string) =>
	z.number({ error: message }).int(message).min(min, message).max(max, message);

function wholeNumber(min: number, max: number, message: string) {
	return z.preprocess(toWholeNumber, wholeNumberIn(min, max, message));
}

/** `.optional()` inside the preprocess: zod only skips a value already undefined. */
function optionalWholeNumber(min: number, max: number, message: string) {
	return z.preprocess(toWholeNumber, wholeNumberIn(min, max, message).optional());
}

const stars = (what: string) =>
	optionalWholeNumber(1, 5, `Rate ${what} from 1 to 5 stars, or leave it blank.`);

export const COMMENT_MAX = 2000;

/** Hidden from people, tempting to bots: a submission that fills it is dropped. */
export const HONEYPOT_FIELD = 'contact_url';

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
	conditions: z
		.preprocess(
			(value) =>
				(value === undefined || value === null
					? []
					: Array.isArray(value)
						? value
						: [value]
				).filter((v) => !(typeof v === 'string' && v.trim() === '')),
			z.array(z.enum(CONDITION_CODES, { error: 'Choose conditions from the list.' }))
		)
		.transform((codes) => [...new Set(codes)]),
	monthsInTreatment: optionalWholeNumber(
		0,
		240,
		'Months in treatment must be a whole number from 0 to 240, or blank.'
	),
	pricePaid: z.preprocess(
		(value) => {
			const v = blankToUndefined(value);
			if (typeof v !== 'string') return v;
			const cleaned = v.replace(/[$,\s]/g, '');
			return /^-?\d+(\.\d{1,2})?$/.test(cleaned) ? Math.round(Number(cleaned)) : v;
		},
		z
			.number({ error: 'Enter the price per session in US dollars, e.g. 450, or leave it blank.' })
			.min(0, 'The price cannot be negative.')
			.max(20_000, 'That price looks too high for one session; check it, or leave it blank.')
			.transform(Math.round)
			.optional()
	),
	comment: z.preprocess(
		// Browsers send line breaks as CRLF (two characters) but count them as one; NUL cannot be
		// stored. Normalise before measuring.
		(value) =>
			typeof value === 'string'
				? value.replace(/\r\n?/g, '\n').replaceAll('\u0000', '').trim() || undefined
				: value,
		z
			.string({ error: 'The comment must be text.' })
			.max(
				COMMENT_MAX,
				`Keep the comment to ${COMMENT_MAX.toLocaleString('en-US')} characters or fewer.`
			)
			.optional()
	),
	ownExperience: z.preprocess(
		(value) => value === true || value === 'on' || value === 'true' || value === 'yes',
		z.literal(true, {
			error: 'Please confirm this is your own experience as a patient.'
		})
	),
	idempotencyKey: z
		.string({ error: 'Missing submission token; reload the page and try again.' })
		.trim()
		.regex(/^[A-Za-z0-9_-]{8,100}$/, 'Invalid submission token; reload the page and try again.')
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

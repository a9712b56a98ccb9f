import { ratingSchema } from './rating';

/** Shared by the rating schema's tests: a valid minimal rating, the messages, and parsers. */

export const KEY = 'c3d9a4f2-6b1e-4c0a-9d8e-1f2a3b4c5d6e';
export const minimal = { overall: '4', ownExperience: 'on', idempotencyKey: KEY };

export const MESSAGES = {
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

export const ASPECT_KEYS = ['effectiveness', 'support', 'value', 'education', 'setting'] as const;

export function parse(input: Record<string, unknown>) {
	const result = ratingSchema.safeParse(input);
	if (!result.success) {
		throw new Error(`expected a valid rating, got ${JSON.stringify(result.error.issues)}`);
	}
	return result.data;
}

/** The first message per field, as the form shows them next to each field. */
export function errorsFor(input: Record<string, unknown>): Record<string, string> {
	const result = ratingSchema.safeParse(input);
	if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
	const errors: Record<string, string> = {};
	for (const issue of result.error.issues)
		errors[String(issue.path[0] ?? 'form')] ??= issue.message;
	return errors;
}

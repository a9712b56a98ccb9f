import { describe, expect, it } from 'vitest';
import { hasContactDetails } from './comment-check';

describe('hasContactDetails', () => {
	it.each([
		'Book at https://cheap-ketamine.example now',
		'see www.example.com for deals',
		'Visit bestclinic.com',
		'email me at pat.doe@gmail.com',
		'Call Dr. Smith at (512) 555-0123',
		'text 512.555.0123',
		'+1 512 555 0123'
	])('holds “%s”', (comment) => {
		expect(hasContactDetails(comment)).toBe(true);
	});

	it.each([
		undefined,
		'',
		'Six infusions, $450 each. Felt better after the 3rd.',
		'I scored 4.5 out of 5 on the PHQ-9 after 10 sessions.',
		'Waited 20 minutes; staff were kind. 2024 was a hard year.',
		'Paid 1,200 for the series of 6'
	])('lets “%s” through', (comment) => {
		expect(hasContactDetails(comment)).toBe(false);
	});
});

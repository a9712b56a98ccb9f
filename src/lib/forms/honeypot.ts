import { fieldText } from './text';

/**
 * Hidden fields people never see or reach and bots fill in: a submission that fills one is
 * thanked and dropped. Each form keeps the name a bot expects among its fields (a rating's or
 * report's "contact URL", a practice's "fax number"); forms already open in a browser and the
 * browser tests post these names.
 */
export const HONEYPOT = { feedback: 'contact_url', listingRequest: 'fax_number' } as const;

export type HoneypotName = (typeof HONEYPOT)[keyof typeof HONEYPOT];

/** Whether the submission filled the honeypot; a record of values loses the field either way. */
export function caughtByHoneypot(
	submitted: FormData | Record<string, unknown>,
	name: HoneypotName
): boolean {
	if (submitted instanceof FormData) return fieldText(submitted.get(name)) !== '';
	const value = submitted[name];
	delete submitted[name];
	return typeof value === 'string' && value !== '';
}

import { fail } from '@sveltejs/kit';

/**
 * A form action's answer when the whole form is refused (rate limit, not found, no client
 * address): the message goes above the submit button, everything typed is kept.
 */
export function formError<T extends Record<string, unknown>>(
	status: number,
	message: string,
	kept: T
) {
	return fail(status, { ...kept, errors: { form: message } });
}

/** A rate-limit refusal from a server module, with its message for the person. */
export function rateLimited<T extends Record<string, unknown>>(
	refusal: { message: string },
	kept: T
) {
	return formError(429, refusal.message, kept);
}

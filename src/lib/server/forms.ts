import {
	fail,
	isHttpError,
	isRedirect,
	type ActionFailure,
	type RequestEvent
} from '@sveltejs/kit';
import { formValues, type FormValues } from '../form-values';
import { describeError, log } from './log';
import { UNAVAILABLE_FORM_MESSAGE, unavailableCode } from './outage';

/** Beside a form kept as typed after a write failed for a reason of ours, not the person's. */
/**
 * For pages that carry a one-time token (a form's idempotency key): never kept or shared, so two
 * visitors never send the same token (decision 021). Pass to the load's `setHeaders`.
 */
export const ONE_VISITOR = { 'cache-control': 'private, no-store' } as const;

export const SAVE_FAILED_MESSAGE =
	'We could not save this because of a problem on our side. What you typed is still here — please try again in a moment.';

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

/**
 * A page's actions, never losing what was typed: a database outage met during any of them is a
 * 503 with UNAVAILABLE_FORM_MESSAGE, any other unexpected failure (a write the database refused)
 * a 500 with SAVE_FAILED_MESSAGE, logged with its request id. `keep` turns the posted fields into
 * what the action returns with its own failures (say `{ values }`), so the page shows them again
 * as usual. Redirects, `error()`s and every answer pass through unchanged.
 */
export function keepTyped<
	A extends Record<string, (event: never) => unknown>,
	K extends Record<string, unknown>
>(
	actions: A,
	keep: (form: FormData, action: string) => K
): {
	[N in keyof A]: (
		...event: Parameters<A[N]>
	) => Promise<Awaited<ReturnType<A[N]>> | ActionFailure<K & { errors: Record<string, string> }>>;
} {
	const wrapped = Object.entries(actions).map(([name, action]) => [
		name,
		async (event: RequestEvent) => {
			// The action reads the body; the copy is read only if it has to be shown again.
			const copy = event.request.clone();
			try {
				return await (action as (event: RequestEvent) => unknown)(event);
			} catch (err) {
				if (isRedirect(err) || isHttpError(err)) throw err;
				const where = { reqId: event.locals.requestId, route: event.route.id, action: name };
				const outage = unavailableCode(err) !== null;
				if (outage) {
					event.locals.databaseUnavailable = true;
					log.warn({ ...where, err: describeError(err) }, 'database unavailable');
				} else {
					log.error({ ...where, err: describeError(err) }, 'form action failed');
				}
				const form = await copy.formData().catch(() => new FormData());
				return outage
					? formError(503, UNAVAILABLE_FORM_MESSAGE, keep(form, name))
					: formError(500, SAVE_FAILED_MESSAGE, keep(form, name));
			}
		}
	]);
	return Object.fromEntries(wrapped) as ReturnType<typeof keepTyped<A, K>>;
}

/** Every text field as typed, passwords left out: what most staff forms show again. */
export function typedFields(form: FormData): FormValues {
	const values = formValues(form);
	for (const key of Object.keys(values)) if (/password/i.test(key)) delete values[key];
	return values;
}

/**
 * A form page's data. When the page answers its own form post (JavaScript off) and the database
 * is unreachable, `fallback` — what can be shown without it — lets the form, what was typed and
 * the action's message render instead of an error page that would lose them.
 */
export async function formPageData<T, F>(
	request: Request,
	load: () => Promise<T>,
	fallback: () => F
): Promise<T | F> {
	try {
		return await load();
	} catch (err) {
		if (request.method !== 'POST' || unavailableCode(err) === null) throw err;
		return fallback();
	}
}

import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { caughtByHoneypot, HONEYPOT } from '../forms/honeypot';
import { listingFieldErrors, listingFormValues, listingRequestSchema } from '../schemas/listing';
import { formError, rateLimited } from './forms';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from './http';
import * as requests from './requests';

type Flat = Record<string, string | string[]>;
export type RequestFormFailure = ActionFailure<{ values: Flat; errors: Record<string, string> }>;

/** What the listing request form shows again after a failure: every field as typed. */
export const keepListingForm = (form: FormData) => ({ values: listingFormValues(form).flat });

/**
 * The action behind /list-your-practice and /providers/<slug>/update: validate with the shared
 * schema, keep everything typed on failure, answer a replay with the first request, and send
 * the provider to the page that says what happens next.
 */
export async function requestAction(
	event: RequestEvent,
	providerSlug?: string
): Promise<RequestFormFailure> {
	const { flat, nested } = listingFormValues(await event.request.formData());
	const kind = providerSlug === undefined ? 'new' : 'update';
	const bot = caughtByHoneypot(nested, HONEYPOT.listingRequest);
	if (caughtByHoneypot(flat, HONEYPOT.listingRequest) || bot) {
		redirect(303, `/list-your-practice/received?kind=${kind}`);
	}
	const parsed = listingRequestSchema.safeParse(nested);
	if (!parsed.success) {
		return fail(400, { values: flat, errors: listingFieldErrors(parsed.error) });
	}
	const address = clientAddressOf(event.getClientAddress);
	if (!address) return formError(503, ADDRESS_UNAVAILABLE, { values: flat });
	const result = await requests.submitRequest(event.locals.db, parsed.data, {
		address,
		providerSlug
	});
	if (!result.ok) {
		if (result.code === 'invalid') return fail(400, { values: flat, errors: result.fields });
		if (result.code === 'not_found') return formError(404, result.message, { values: flat });
		return rateLimited(result, { values: flat });
	}
	redirect(303, `/list-your-practice/received?kind=${kind}&ref=${result.id}`);
}

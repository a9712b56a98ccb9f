import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import {
	LISTING_HONEYPOT,
	listingFieldErrors,
	listingFormValues,
	listingRequestSchema
} from '../schemas/listing';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from './http';
import * as requests from './requests';

type Flat = Record<string, string | string[]>;
export type RequestFormFailure = ActionFailure<{ values: Flat; errors: Record<string, string> }>;

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
	if (typeof flat[LISTING_HONEYPOT] === 'string' && flat[LISTING_HONEYPOT] !== '') {
		redirect(303, `/list-your-practice/received?kind=${kind}`);
	}
	delete flat[LISTING_HONEYPOT];
	delete nested[LISTING_HONEYPOT];
	const parsed = listingRequestSchema.safeParse(nested);
	if (!parsed.success) {
		return fail(400, { values: flat, errors: listingFieldErrors(parsed.error) });
	}
	const address = clientAddressOf(event.getClientAddress);
	if (!address) return fail(503, { values: flat, errors: { form: ADDRESS_UNAVAILABLE } });
	const result = await requests.submitRequest(event.locals.db, parsed.data, {
		address,
		providerSlug
	});
	if (!result.ok) {
		if (result.code === 'invalid') return fail(400, { values: flat, errors: result.fields });
		if (result.code === 'not_found')
			return fail(404, { values: flat, errors: { form: result.message } });
		return fail(429, { values: flat, errors: { form: result.message } });
	}
	redirect(303, `/list-your-practice/received?kind=${kind}&ref=${result.id}`);
}

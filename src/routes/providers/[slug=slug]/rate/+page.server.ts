import { randomUUID } from 'node:crypto';
import { error, fail, redirect } from '@sveltejs/kit';
import { caughtByHoneypot, HONEYPOT } from '$lib/forms/honeypot';
import * as providers from '$lib/server/providers';
import * as ratings from '$lib/server/ratings';
import { deviceForRatePage, deviceToken } from '$lib/server/device';
import { redirectToCurrentSlug } from '$lib/server/slug-redirect';
import { formError, formPageData, keepTyped, ONE_VISITOR, rateLimited } from '$lib/server/forms';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from '$lib/server/http';
import { ROUTE_CODES } from '$lib/domain/routes';
import { fieldErrors } from '$lib/schemas/errors';
import { ratingFormValues, ratingSchema } from '$lib/schemas/rating';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	event.setHeaders(ONE_VISITOR);
	return formPageData(
		event.request,
		() => rateData(event),
		// The form as sent, without the database: the provider's own treatments are unknown.
		() => ({
			provider: { slug: event.params.slug, name: 'this provider', routes: [...ROUTE_CODES] },
			token: randomUUID(),
			alreadyRated: null,
			repeatDays: ratings.defaultLimits().repeatDays
		})
	);
};

async function rateData({
	params,
	locals,
	cookies,
	url,
	request,
	isDataRequest,
	getClientAddress
}: Parameters<PageServerLoad>[0]) {
	const provider = await providers.getBySlug(locals.db, params.slug);
	if (!provider) {
		await redirectToCurrentSlug(locals.db, url, params.slug);
		error(404, { message: 'We could not find that provider.', code: 'not_found' });
	}
	// Before anything is filled in: has this device (or, without cookies, this address) rated it?
	const device = deviceForRatePage(cookies, url, request.method, isDataRequest);
	const wait = await ratings.rateAgainFrom(locals.db, provider.id, {
		address: device ? null : clientAddressOf(getClientAddress),
		device
	});
	return {
		provider: {
			slug: provider.slug,
			name: provider.name,
			routes: provider.routes.map((r) => r.code)
		},
		token: randomUUID(),
		alreadyRated: wait && { again: wait.again, by: wait.by },
		repeatDays: ratings.defaultLimits().repeatDays
	};
}

const rate = {
	default: async ({ request, params, locals, cookies, getClientAddress }) => {
		const form = await request.formData();
		const values = ratingFormValues(form);
		// A filled honeypot is a bot: answer as if accepted and keep nothing.
		if (caughtByHoneypot(values, HONEYPOT.feedback)) {
			redirect(303, `/providers/${params.slug}?rated=received#feedback`);
		}
		const parsed = ratingSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });

		const address = clientAddressOf(getClientAddress);
		if (!address) return formError(503, ADDRESS_UNAVAILABLE, { values });
		const result = await ratings.submitRating(locals.db, params.slug, parsed.data, {
			address,
			device: deviceToken(cookies)
		});
		if (!result.ok) {
			if (result.code === 'not_found') error(404, { message: result.message, code: 'not_found' });
			if (result.code === 'invalid') return fail(400, { values, errors: result.fields });
			return rateLimited(result, { values });
		}
		redirect(303, `/providers/${params.slug}?rated=${result.status}#feedback`);
	}
} satisfies Actions;

export const actions = keepTyped(rate, (form) => ({ values: ratingFormValues(form) }));

import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { listingToFlat } from '$lib/schemas/listing';
import { formPageData, keepTyped, ONE_VISITOR } from '$lib/server/forms';
import { keepListingForm, requestAction } from '$lib/server/listing-form';
import * as providers from '$lib/server/providers';
import { redirectToCurrentSlug } from '$lib/server/slug-redirect';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url, request, setHeaders }) => {
	setHeaders(ONE_VISITOR);
	return formPageData(
		request,
		async () => {
			const id = await providers.publishedId(locals.db, params.slug);
			const record = id === null ? null : await providers.loadRecord(locals.db, { id: id });
			if (!record) {
				await redirectToCurrentSlug(locals.db, url, params.slug);
				error(404, { message: 'We could not find that provider.', code: 'not_found' });
			}
			const current = listingToFlat(record.listing);
			return {
				provider: { slug: record.slug, name: record.listing.name },
				// What the provider starts from travels with the form, so their changes can be told
				// from changes made to the listing while they type or before the request is decided.
				current: {
					...current,
					baseVersion: String(record.version),
					base: JSON.stringify(current)
				},
				token: randomUUID()
			};
		},
		// The form comes back as sent (with the listing it started from), so nothing else is needed.
		() => ({
			provider: { slug: params.slug, name: 'this provider' },
			current: {},
			token: randomUUID()
		})
	);
};

export const actions = keepTyped(
	{ default: (event) => requestAction(event, event.params.slug) } satisfies Actions,
	keepListingForm
);

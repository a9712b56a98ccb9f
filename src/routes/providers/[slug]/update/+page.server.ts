import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { listingToFlat } from '$lib/schemas/listing';
import * as listings from '$lib/server/listings';
import { requestAction } from '$lib/server/listing-form';
import * as providers from '$lib/server/providers';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const id = await providers.publishedId(locals.db, params.slug);
	const record = id === null ? null : await listings.loadListing(locals.db, id);
	if (!record) error(404, { message: 'We could not find that provider.', code: 'not_found' });
	return {
		provider: { slug: record.slug, name: record.listing.name },
		current: listingToFlat(record.listing),
		token: randomUUID()
	};
};

export const actions: Actions = {
	default: (event) => requestAction(event, event.params.slug)
};

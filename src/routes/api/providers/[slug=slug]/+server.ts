import { json } from '@sveltejs/kit';
import { linkBase, profileJson } from '$lib/server/api';
import { apiError } from '$lib/server/http';
import * as providers from '$lib/server/providers';
import { apiMoved } from '$lib/server/slug-redirect';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const profile = await providers.getBySlug(locals.db, params.slug);
	if (!profile) {
		return (
			(await apiMoved(locals.db, url, params.slug)) ??
			apiError(404, 'not_found', `No published provider has the slug “${params.slug}”.`)
		);
	}
	return json(profileJson(profile, linkBase()));
};

import { error } from '@sveltejs/kit';
import * as providers from '$lib/server/providers';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const provider = await providers.getBySlug(locals.db, params.slug);
	if (!provider)
		error(404, {
			message: 'We could not find that provider. It may have been removed or renamed.',
			code: 'not_found'
		});
	return { provider };
};

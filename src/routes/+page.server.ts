import { error } from '@sveltejs/kit';
import * as providers from '$lib/server/providers';
import { providerFiltersSchema } from '$lib/schemas/filters';
import { parseQuery } from '$lib/schemas/query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const query = parseQuery(providerFiltersSchema, url.searchParams);
	if (!query.ok) error(400, { message: query.problem.message, code: 'invalid_query' });
	const { total, results } = await providers.search(locals.db, query.data);
	return { filters: query.data, total, results };
};

import { json } from '@sveltejs/kit';
import { summaryJson } from '$lib/server/api';
import { invalidQuery } from '$lib/server/http';
import * as providers from '$lib/server/providers';
import { providerFiltersSchema } from '$lib/schemas/filters';
import { parseQuery } from '$lib/schemas/query';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const query = parseQuery(providerFiltersSchema, url.searchParams);
	if (!query.ok) return invalidQuery(query.problem);
	const { total, results } = await providers.search(locals.db, query.data);
	return json({
		total,
		page: query.data.page,
		pageSize: query.data.pageSize,
		results: results.map((p) => summaryJson(p, url.origin))
	});
};

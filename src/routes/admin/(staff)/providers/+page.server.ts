import { requireRole } from '$lib/server/auth';
import * as providerAdmin from '$lib/server/provider-admin';
import { PROVIDER_SEARCH_FIELDS, providerSearchSchema } from '$lib/schemas/provider-admin';
import { parseQuery } from '$lib/schemas/query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	// What was asked for, as typed, to fill the form again (valid or not).
	const values = Object.fromEntries(
		PROVIDER_SEARCH_FIELDS.map((f) => [f, event.url.searchParams.get(f)?.trim() ?? ''])
	) as Record<(typeof PROVIDER_SEARCH_FIELDS)[number], string>;
	const query = parseQuery(providerSearchSchema, event.url.searchParams, PROVIDER_SEARCH_FIELDS);
	if (!query.ok) return { values, problem: query.problem, found: null };
	return {
		values,
		problem: null,
		found: await providerAdmin.findProviders(event.locals.db, query.data)
	};
};

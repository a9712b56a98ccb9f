import { error, redirect } from '@sveltejs/kit';
import { toStateCode } from '$lib/domain/states';
import * as providers from '$lib/server/providers';
import { DEFAULT_PAGE_SIZE, statePageSchema } from '$lib/schemas/filters';
import { parseQuery } from '$lib/schemas/query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const state = toStateCode(params.code);
	if (!state)
		error(404, {
			message: `There is no US state with the code “${params.code}”.`,
			code: 'not_found'
		});
	if (params.code !== state.toLowerCase())
		redirect(308, `/states/${state.toLowerCase()}${url.search}`);

	const query = parseQuery(statePageSchema, url.searchParams);
	if (!query.ok) error(400, { message: query.problem.message, code: 'invalid_query' });
	const { tpage, page, ...filters } = query.data;
	const pageSize = DEFAULT_PAGE_SIZE;

	const [counts, inPerson, telehealth] = await Promise.all([
		providers.stateCounts(locals.db, state, filters),
		providers.search(locals.db, { ...filters, state, telehealth: false, page, pageSize }),
		providers.search(locals.db, { ...filters, state, telehealth: true, page: tpage, pageSize })
	]);
	return { state, filters: query.data, pageSize, counts, inPerson, telehealth };
};

import { loadSearchPage } from '$lib/server/search-page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) =>
	loadSearchPage(locals.db, url.searchParams);

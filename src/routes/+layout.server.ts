import { hasDemoData } from '$lib/server/demo';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => ({
	demo: await hasDemoData(locals.db)
});

import * as providers from '$lib/server/providers';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => providers.coverage(locals.db);

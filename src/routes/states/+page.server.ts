import * as providers from '$lib/server/providers';
import { stateShapes, US_VIEWBOX } from '$lib/server/us-shapes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	...(await providers.coverage(locals.db)),
	shapes: stateShapes(),
	viewBox: US_VIEWBOX
});

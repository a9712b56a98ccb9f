import { hasDemoData } from '$lib/server/demo';
import { isDatabaseUnavailable } from '$lib/server/outage';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => ({
	// Without the database the frame still renders, so an outage shows the site's calm error page
	// and a form posted without JavaScript comes back as typed.
	demo: await hasDemoData(locals.db).catch((err: unknown) => {
		if (isDatabaseUnavailable(err)) return false;
		throw err;
	})
});

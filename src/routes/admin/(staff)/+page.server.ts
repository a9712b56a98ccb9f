import { requireRole } from '$lib/server/auth';
import { queueCounts } from '$lib/server/moderation';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	return { queues: await queueCounts(event.locals.db) };
};

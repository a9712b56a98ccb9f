import { requireRole } from '$lib/server/auth';
import * as requests from '$lib/server/requests';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	const db = event.locals.db;
	const [pending, recent] = await Promise.all([
		requests.pendingRequests(db),
		requests.recentDecisions(db)
	]);
	return {
		pending,
		recent: recent.map((r) => ({
			id: r.id,
			status: r.status,
			name: (r.payload as { name: string }).name,
			decidedAt: r.decidedAt,
			decisionReason: r.decisionReason,
			providerSlug: r.providerSlug
		})),
		decided: event.url.searchParams.get('decided')
	};
};

import { requireRole } from '$lib/server/auth';
import * as listings from '$lib/server/listings';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	const db = event.locals.db;
	await listings.eraseOldContacts(db);
	const [pending, recent] = await Promise.all([
		listings.pendingRequests(db),
		listings.recentDecisions(db)
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

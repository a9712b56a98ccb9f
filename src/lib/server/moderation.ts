import { and, count, countDistinct, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Database } from './db';
import { listingRequests, problemReports, ratings } from './db/schema';

/** What waits for a moderator, for the dashboard. */
export async function queueCounts(db: Database) {
	const open = eq(problemReports.status, 'open');
	const [[requests], [held], [reports], [reported]] = await Promise.all([
		db.select({ n: count() }).from(listingRequests).where(eq(listingRequests.status, 'pending')),
		db.select({ n: count() }).from(ratings).where(eq(ratings.status, 'held')),
		db
			.select({ n: count() })
			.from(problemReports)
			.where(and(open, isNull(problemReports.ratingId))),
		db
			.select({ n: countDistinct(problemReports.ratingId) })
			.from(problemReports)
			.where(and(open, isNotNull(problemReports.ratingId)))
	]);
	return {
		listingRequests: requests.n,
		heldRatings: held.n,
		reportedRatings: reported.n,
		problemReports: reports.n
	};
}

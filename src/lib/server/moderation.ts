import { count, eq } from 'drizzle-orm';
import type { Database } from './db';
import { listingRequests, problemReports, ratings } from './db/schema';

/** What waits for a moderator, for the dashboard. */
export async function queueCounts(db: Database) {
	const [[requests], [held], [reports]] = await Promise.all([
		db.select({ n: count() }).from(listingRequests).where(eq(listingRequests.status, 'pending')),
		db.select({ n: count() }).from(ratings).where(eq(ratings.status, 'held')),
		db.select({ n: count() }).from(problemReports).where(eq(problemReports.status, 'open'))
	]);
	return { listingRequests: requests.n, heldRatings: held.n, problemReports: reports.n };
}

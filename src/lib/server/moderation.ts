import { and, count, countDistinct, eq, isNotNull, isNull } from 'drizzle-orm';
import { oneRow, type Database } from './db';
import { listingRequests, problemReports, providers, ratings } from './db/schema';

/** What waits for a moderator, for the dashboard. */
export async function queueCounts(db: Database) {
	const open = eq(problemReports.status, 'open');
	const [requests, held, reports, reported] = await Promise.all([
		db
			.select({ n: count() })
			.from(listingRequests)
			.where(eq(listingRequests.status, 'pending'))
			.then(oneRow),
		db.select({ n: count() }).from(ratings).where(eq(ratings.status, 'held')).then(oneRow),
		db
			.select({ n: count() })
			.from(problemReports)
			.where(and(open, isNull(problemReports.ratingId)))
			.then(oneRow),
		db
			.select({ n: countDistinct(problemReports.ratingId) })
			.from(problemReports)
			.where(and(open, isNotNull(problemReports.ratingId)))
			.then(oneRow)
	]);
	return {
		listingRequests: requests.n,
		heldRatings: held.n,
		reportedRatings: reported.n,
		problemReports: reports.n
	};
}

/** A rating as a moderator's message names it: its stars, its listing and when it was written. */
export async function ratingInWords(db: Database, ratingId: number): Promise<string | null> {
	const [row] = await db
		.select({ overall: ratings.overall, createdAt: ratings.createdAt, name: providers.name })
		.from(ratings)
		.innerJoin(providers, eq(providers.id, ratings.providerId))
		.where(eq(ratings.id, ratingId));
	if (!row) return null;
	const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
	return `the ${row.overall}-star rating of ${row.name} from ${day.format(row.createdAt)}`;
}

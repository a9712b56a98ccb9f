import { and, count, desc, eq, isNotNull } from 'drizzle-orm';
import type { PublishedComment } from '../domain/ratings';
import { oneRow, type Database } from './db';
import { ratings } from './db/schema';

/** The published comments on a provider's profile, a page at a time. */

export type { PublishedComment };

export const COMMENTS_PER_PAGE = 10;

/** The latest published comments, newest first. */
export async function comments(
	db: Database,
	providerId: number,
	page: number
): Promise<{ total: number; items: PublishedComment[] }> {
	const where = and(
		eq(ratings.providerId, providerId),
		eq(ratings.status, 'published'),
		isNotNull(ratings.comment)
	);
	const [totals, rows] = await Promise.all([
		db.select({ total: count() }).from(ratings).where(where),
		db
			.select({
				id: ratings.id,
				overall: ratings.overall,
				comment: ratings.comment,
				route: ratings.route,
				monthsInTreatment: ratings.monthsInTreatment,
				publishedAt: ratings.publishedAt,
				createdAt: ratings.createdAt
			})
			.from(ratings)
			.where(where)
			.orderBy(desc(ratings.publishedAt), desc(ratings.id))
			.limit(COMMENTS_PER_PAGE)
			.offset((page - 1) * COMMENTS_PER_PAGE)
	]);
	const { total } = oneRow(totals);
	return {
		total,
		items: rows.map((r) => ({
			id: r.id,
			overall: r.overall,
			comment: r.comment ?? '',
			route: r.route,
			monthsInTreatment: r.monthsInTreatment,
			publishedAt: r.publishedAt ?? r.createdAt
		}))
	};
}

import { and, count, eq } from 'drizzle-orm';
import * as audit from './audit';
import { oneRow, type Database } from './db';
import { feedbackChanged } from './events';
import { applyFeedbackChange, factsOf } from './feedback';
import { lockProvider } from './providers';
import { problemReports, providers, ratings } from './db/schema';
import type { RatingStatus } from './ratings';

/**
 * Moderators and ratings: the queues of held and reported ratings, and the decision on one
 * rating, which answers the reports about it and moves the provider's feedback.
 */

/**
 * Moderation: publish, hold or hide one rating, move it in or out of the provider's feedback,
 * and (with an actor) record it in the audit log, all in one transaction.
 */
export async function setRatingStatus(
	db: Database,
	ratingId: number,
	status: RatingStatus,
	reason: string | null,
	actor?: { id: number }
): Promise<boolean> {
	const done = await db.transaction(async (tx) => {
		const [owner] = await tx
			.select({ providerId: ratings.providerId })
			.from(ratings)
			.where(eq(ratings.id, ratingId));
		if (!owner) return false;
		await lockProvider(tx, owner.providerId);
		// Read again under the lock: the status it moves from is what the aggregate counted.
		const rating = oneRow(
			await tx
				.select({
					providerId: ratings.providerId,
					status: ratings.status,
					publishedAt: ratings.publishedAt
				})
				.from(ratings)
				.where(eq(ratings.id, ratingId))
		);
		await tx
			.update(ratings)
			.set({
				status,
				moderationReason: reason,
				...(actor ? { moderatedBy: actor.id, moderatedAt: new Date() } : {}),
				// The date it first appeared: keeping a reported rating, or publishing one again after
				// a hold, never makes it look new or moves it to the top.
				...(status === 'published' ? { publishedAt: rating.publishedAt ?? new Date() } : {})
			})
			.where(eq(ratings.id, ratingId));
		if (rating.status !== status) {
			const moved =
				rating.status === 'published' || status === 'published'
					? await factsOf(tx, [ratingId])
					: [];
			await applyFeedbackChange(tx, rating.providerId, {
				published: status === 'published' ? moved : [],
				unpublished: rating.status === 'published' ? moved : [],
				held: (status === 'held' ? 1 : 0) - (rating.status === 'held' ? 1 : 0)
			});
		}
		if (actor) {
			// Deciding a rating answers every open report about it.
			const closed = await tx
				.update(problemReports)
				.set({
					status: status === 'hidden' ? 'resolved' : 'dismissed',
					resolution: reason ?? (status === 'published' ? 'Kept published.' : `Rating ${status}.`),
					resolvedBy: actor.id,
					resolvedAt: new Date()
				})
				.where(and(eq(problemReports.ratingId, ratingId), eq(problemReports.status, 'open')))
				.returning({ id: problemReports.id });
			await audit.record(tx, {
				actorId: actor.id,
				action: `rating.${status === 'published' ? 'publish' : status === 'hidden' ? 'hide' : 'hold'}`,
				entityType: 'rating',
				entityId: ratingId,
				before: { status: rating.status },
				after: closed.length ? { status, reportsClosed: closed.map((r) => r.id) } : { status },
				reason
			});
		}
		return true;
	});
	if (done) feedbackChanged();
	return done;
}

export interface HeldRating {
	id: number;
	providerSlug: string;
	providerName: string;
	overall: number;
	support: number | null;
	comment: string | null;
	reason: string | null;
	createdAt: Date;
}

/** What both queues show of a rating. */
const queueColumns = {
	id: ratings.id,
	providerSlug: providers.slug,
	providerName: providers.name,
	overall: ratings.overall,
	support: ratings.support,
	comment: ratings.comment,
	reason: ratings.moderationReason,
	createdAt: ratings.createdAt
};

/** The moderation queue: held ratings, oldest first. */
export async function held(
	db: Database,
	limit = 50
): Promise<{ total: number; items: HeldRating[] }> {
	const where = eq(ratings.status, 'held');
	const [totals, rows] = await Promise.all([
		db.select({ total: count() }).from(ratings).where(where),
		db
			.select(queueColumns)
			.from(ratings)
			.innerJoin(providers, eq(providers.id, ratings.providerId))
			.where(where)
			.orderBy(ratings.createdAt, ratings.id)
			.limit(limit)
	]);
	const { total } = oneRow(totals);
	return { total, items: rows };
}

export interface ReportedRating extends HeldRating {
	reports: { reason: string; note: string | null; createdAt: Date }[];
}

/** The other queue: published ratings someone reported, oldest report first. */
export async function reported(db: Database, limit = 50): Promise<ReportedRating[]> {
	const rows = await db
		.select({
			...queueColumns,
			reportReason: problemReports.reason,
			reportNote: problemReports.note,
			reportedAt: problemReports.createdAt
		})
		.from(problemReports)
		.innerJoin(ratings, eq(ratings.id, problemReports.ratingId))
		.innerJoin(providers, eq(providers.id, ratings.providerId))
		.where(eq(problemReports.status, 'open'))
		.orderBy(problemReports.createdAt, problemReports.id);
	const byRating = new Map<number, ReportedRating>();
	for (const { reportReason, reportNote, reportedAt, ...rating } of rows) {
		let entry = byRating.get(rating.id);
		if (!entry) byRating.set(rating.id, (entry = { ...rating, reports: [] }));
		entry.reports.push({ reason: reportReason, note: reportNote, createdAt: reportedAt });
	}
	return [...byRating.values()].slice(0, limit);
}

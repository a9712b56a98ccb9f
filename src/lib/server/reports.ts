import { and, eq, isNull } from 'drizzle-orm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RatingReportInput, ReportInput } from '../schemas/report';
import * as audit from './audit';
import { clientHashes } from './client-hash';
import { invalidateMapCache } from './map';
import type { Database } from './db';
import { notPublished, publishedId } from './providers';
import { problemReports, providers, ratings } from './db/schema';

const limiter = new RateLimiterMemory({ points: 10, duration: 3600 });

export type ReportResult =
	{ ok: true; id: number } | { ok: false; code: 'not_found' | 'rate_limited'; message: string };

/** A visitor's report that a listing is out of date. The address is kept only as a keyed hash. */
export async function submitReport(
	db: Database,
	slug: string,
	input: ReportInput,
	client: { address: string }
): Promise<ReportResult> {
	const providerId = await publishedId(db, slug);
	if (providerId === null) return { ok: false, code: 'not_found', message: notPublished(slug) };
	const provider = { id: providerId };
	const { current } = await clientHashes(db, client.address);
	try {
		await limiter.consume(current);
	} catch {
		return {
			ok: false,
			code: 'rate_limited',
			message: 'You have sent many reports in the last hour. Please try again later.'
		};
	}
	const [row] = await db
		.insert(problemReports)
		.values({
			providerId: provider.id,
			reason: input.reason,
			note: input.note,
			clientHash: current
		})
		.returning({ id: problemReports.id });
	return { ok: true, id: row.id };
}

export interface PublishedRating {
	providerId: number;
	providerName: string;
	overall: number;
	comment: string | null;
}

/** A published rating of a published provider, by the provider's slug and the rating's id. */
export async function publishedRating(
	db: Database,
	slug: string,
	ratingId: number
): Promise<PublishedRating | null> {
	const [row] = await db
		.select({
			providerId: providers.id,
			providerName: providers.name,
			overall: ratings.overall,
			comment: ratings.comment
		})
		.from(ratings)
		.innerJoin(providers, eq(providers.id, ratings.providerId))
		.where(
			and(
				eq(ratings.id, ratingId),
				eq(ratings.status, 'published'),
				eq(providers.slug, slug),
				eq(providers.status, 'published')
			)
		);
	return row ?? null;
}

/**
 * Anyone's report that one published rating breaks the rules. It goes to the ratings queue; the
 * rating stays as it is until a moderator decides.
 */
export async function submitRatingReport(
	db: Database,
	slug: string,
	ratingId: number,
	input: RatingReportInput,
	client: { address: string }
): Promise<ReportResult> {
	const rating = await publishedRating(db, slug, ratingId);
	if (!rating)
		return { ok: false, code: 'not_found', message: 'That rating is not published here.' };
	const { providerId } = rating;
	const { current } = await clientHashes(db, client.address);
	try {
		await limiter.consume(current);
	} catch {
		return {
			ok: false,
			code: 'rate_limited',
			message: 'You have sent many reports in the last hour. Please try again later.'
		};
	}
	const [row] = await db
		.insert(problemReports)
		.values({ providerId, ratingId, reason: input.reason, note: input.note, clientHash: current })
		.returning({ id: problemReports.id });
	return { ok: true, id: row.id };
}

export interface OpenReport {
	id: number;
	reason: string;
	note: string | null;
	createdAt: Date;
	providerId: number;
	providerSlug: string;
	providerName: string;
	lastVerifiedAt: Date | null;
}

export async function openReports(db: Database): Promise<OpenReport[]> {
	return db
		.select({
			id: problemReports.id,
			reason: problemReports.reason,
			note: problemReports.note,
			createdAt: problemReports.createdAt,
			providerId: providers.id,
			providerSlug: providers.slug,
			providerName: providers.name,
			lastVerifiedAt: providers.lastVerifiedAt
		})
		.from(problemReports)
		.innerJoin(providers, eq(providers.id, problemReports.providerId))
		.where(and(eq(problemReports.status, 'open'), isNull(problemReports.ratingId)))
		.orderBy(problemReports.createdAt, problemReports.id);
}

/**
 * Closes a report as resolved or dismissed, optionally marking the listing verified now, with
 * both changes in the audit log, in one transaction. False when the report is not open.
 */
export async function closeReport(
	db: Database,
	reportId: number,
	decision: {
		status: 'resolved' | 'dismissed';
		resolution: string;
		markVerified: boolean;
		/** Suspend the listing too (a resolved report about a closed practice, say). */
		suspend?: boolean;
	},
	actor: { id: number }
): Promise<boolean> {
	const closed = await db.transaction(async (tx) => {
		const [report] = await tx
			.select()
			.from(problemReports)
			.where(
				and(
					eq(problemReports.id, reportId),
					eq(problemReports.status, 'open'),
					// Reports about one rating are closed by deciding the rating (ratings queue).
					isNull(problemReports.ratingId)
				)
			)
			.for('update');
		if (!report) return false;
		const now = new Date();
		await tx
			.update(problemReports)
			.set({
				status: decision.status,
				resolution: decision.resolution,
				resolvedBy: actor.id,
				resolvedAt: now
			})
			.where(eq(problemReports.id, reportId));
		await audit.record(tx, {
			actorId: actor.id,
			action: `report.${decision.status === 'resolved' ? 'resolve' : 'dismiss'}`,
			entityType: 'problem_report',
			entityId: reportId,
			before: { status: 'open' },
			after: { status: decision.status },
			reason: decision.resolution
		});
		if (decision.markVerified) {
			const [before] = await tx
				.select({ lastVerifiedAt: providers.lastVerifiedAt })
				.from(providers)
				.where(eq(providers.id, report.providerId));
			await tx
				.update(providers)
				.set({ lastVerifiedAt: now, updatedAt: now })
				.where(eq(providers.id, report.providerId));
			await audit.record(tx, {
				actorId: actor.id,
				action: 'provider.verify',
				entityType: 'provider',
				entityId: report.providerId,
				before: { lastVerifiedAt: before?.lastVerifiedAt ?? null },
				after: { lastVerifiedAt: now },
				reason: `While closing problem report ${reportId}`
			});
		}
		if (decision.suspend) {
			const [before] = await tx
				.select({ status: providers.status })
				.from(providers)
				.where(eq(providers.id, report.providerId))
				.for('update');
			if (before && before.status !== 'suspended') {
				await tx
					.update(providers)
					.set({ status: 'suspended', updatedAt: now })
					.where(eq(providers.id, report.providerId));
				await audit.record(tx, {
					actorId: actor.id,
					action: 'provider.suspend',
					entityType: 'provider',
					entityId: report.providerId,
					before: { status: before.status },
					after: { status: 'suspended' },
					reason: decision.resolution
				});
			}
		}
		return true;
	});
	if (closed && decision.suspend) invalidateMapCache();
	return closed;
}

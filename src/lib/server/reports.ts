import { and, eq, isNull } from 'drizzle-orm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RatingReportInput, ReportDecision, ReportInput } from '../schemas/report';
import * as audit from './audit';
import { clientHashes } from './client-hash';
import { changeProviderIn, currentSlugFor, type ProviderChange } from './providers';
import { providersChanged } from './events';
import type { Database } from './db';
import { notPublished, publishedId } from './providers';
import { problemReports, providers, ratings } from './db/schema';

const limiter = new RateLimiterMemory({ points: 10, duration: 3600 });

/**
 * A form sent from a page opened before the listing's slug changed (or typed in capitals) still
 * reaches the listing: its current slug, or null when `slug` is already current or unknown.
 */
const movedFrom = (db: Database, slug: string) => currentSlugFor(db, slug);

export type ReportResult =
	{ ok: true; id: number } | { ok: false; code: 'not_found' | 'rate_limited'; message: string };

/** A visitor's report that a listing is out of date. The address is kept only as a keyed hash. */
export async function submitReport(
	db: Database,
	slug: string,
	input: ReportInput,
	client: { address: string }
): Promise<ReportResult> {
	const providerId = await publishedId(db, (await movedFrom(db, slug)) ?? slug);
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
	const rating =
		(await publishedRating(db, slug, ratingId)) ??
		(await publishedRating(db, (await movedFrom(db, slug)) ?? slug, ratingId));
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
 * Closes a report as resolved or dismissed, optionally marking the listing verified now or (when
 * resolving) suspending it, with every change in the audit log, in one transaction. Returns the
 * listing's name, or null when the report is not open.
 */
export async function closeReport(
	db: Database,
	reportId: number,
	decision: ReportDecision,
	actor: { id: number }
): Promise<{ providerName: string } | null> {
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
		if (!report) return null;
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
		const change: ProviderChange | null =
			decision.listing === 'suspend'
				? { status: 'suspended' }
				: decision.listing === 'verify'
					? { verified: true }
					: null;
		if (change) {
			await changeProviderIn(tx, report.providerId, change, decision.resolution, actor);
		}
		const [provider] = await tx
			.select({ name: providers.name })
			.from(providers)
			.where(eq(providers.id, report.providerId));
		return { providerName: provider.name };
	});
	if (closed && decision.listing === 'suspend') providersChanged();
	return closed;
}

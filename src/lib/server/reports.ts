import { and, eq, isNull } from 'drizzle-orm';
import type { RatingReportInput, ReportDecision, ReportInput } from '../schemas/report';
import { take } from './address-limits';
import * as audit from './audit';
import { clientHashes } from './client-hash';
import { oneRow, type Database } from './db';
import {
	currentSlugFor,
	notPublished,
	providerTransaction,
	publishedId,
	setStatus,
	verify
} from './providers';
import { problemReports, providers, ratings } from './db/schema';

export const REPORT_LIMIT = { name: 'reports', points: 10, duration: 3600 };

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
	return fileReport(db, { providerId, reason: input.reason, note: input.note }, client);
}

/** Stores a report unless this address has sent too many this hour. */
async function fileReport(
	db: Database,
	report: { providerId: number; ratingId?: number; reason: string; note?: string | null },
	client: { address: string }
): Promise<ReportResult> {
	const { current } = await clientHashes(db, client.address);
	if (!(await take(db, REPORT_LIMIT, current)).ok) {
		return {
			ok: false,
			code: 'rate_limited',
			message: 'You have sent many reports in the last hour. Please try again later.'
		};
	}
	const row = oneRow(
		await db
			.insert(problemReports)
			.values({ ...report, clientHash: current })
			.returning({ id: problemReports.id })
	);
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
	const report = {
		providerId: rating.providerId,
		ratingId,
		reason: input.reason,
		note: input.note
	};
	return fileReport(db, report, client);
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

type OpenReportRow = typeof problemReports.$inferSelect;

/** The report, locked for this transaction, while it is open and about a listing. */
async function lockOpenReport(tx: Database, reportId: number): Promise<OpenReportRow | null> {
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
	return report ?? null;
}

/** Records the decision on the report itself, with its audit entry. */
async function decideReport(
	tx: Database,
	reportId: number,
	decision: ReportDecision,
	actor: { id: number }
) {
	await tx
		.update(problemReports)
		.set({
			status: decision.status,
			resolution: decision.resolution,
			resolvedBy: actor.id,
			resolvedAt: new Date()
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
}

/** What the decision does to the listing: suspend it, mark it verified now, or nothing. */
async function actOnListing(
	tx: Database,
	providerId: number,
	decision: ReportDecision,
	actor: { id: number }
) {
	const audited = { reason: decision.resolution, actor };
	if (decision.listing === 'suspend') await setStatus(tx, providerId, 'suspended', audited);
	else if (decision.listing === 'verify') await verify(tx, providerId, audited);
}

async function providerName(tx: Database, providerId: number): Promise<string> {
	const provider = oneRow(
		await tx.select({ name: providers.name }).from(providers).where(eq(providers.id, providerId))
	);
	return provider.name;
}

/**
 * Closes a report as resolved or dismissed, optionally marking the listing verified now or (when
 * resolving) suspending it, with every change in the audit log, in one transaction. Returns the
 * listing's name, or null when the report is not open.
 */
export function closeReport(
	db: Database,
	reportId: number,
	decision: ReportDecision,
	actor: { id: number }
): Promise<{ providerName: string } | null> {
	return providerTransaction(db, async (tx) => {
		const report = await lockOpenReport(tx, reportId);
		if (!report) return null;
		await decideReport(tx, reportId, decision, actor);
		await actOnListing(tx, report.providerId, decision, actor);
		return { providerName: await providerName(tx, report.providerId) };
	});
}

import { and, count, desc, eq, gt, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { CONTACT_HOLD_REASON, hasContactDetails } from '../domain/comment-check';
import type { RouteCode } from '../domain/routes';
import type { RatingInput } from '../schemas/rating';
import * as audit from './audit';
import { clientHashes, deviceHashes } from './client-hash';
import { config } from './config';
import type { Database } from './db';
import { recomputeFeedback } from './feedback';
import { notPublished, publishedId } from './providers';
import { problemReports, providerRoutes, providers, ratingConditions, ratings } from './db/schema';

// The aggregate lives in ./feedback; these names stay importable from here.
export { feedbackFor, publishedFacts, recomputeFeedback, type FeedbackView } from './feedback';

export type RatingStatus = 'published' | 'held' | 'hidden';

export interface Limits {
	/** Ratings one address may submit per hour, across providers. */
	perAddressPerHour: number;
	/** One rating per provider per address within this many days. */
	repeatDays: number;
	/** More ratings than this for one provider within an hour is a burst: they are all held. */
	burstPerProviderPerHour: number;
	/** More ratings than this from one address within a day: the rest are held. */
	burstPerAddressPerDay: number;
}

/** Published on /methodology. Deployments (and the browser tests) may raise the burst limits. */
export function defaultLimits(): Limits {
	return { ...config().ratingLimits, repeatDays: 30 };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const limiters = new Map<number, RateLimiterMemory>();
function hourlyLimiter(points: number) {
	let limiter = limiters.get(points);
	if (!limiter) limiters.set(points, (limiter = new RateLimiterMemory({ points, duration: 3600 })));
	return limiter;
}

export type SubmitResult =
	| { ok: true; id: number; status: RatingStatus; replay: boolean }
	| { ok: false; code: 'not_found'; message: string }
	| { ok: false; code: 'invalid'; message: string; fields: Record<string, string> }
	| { ok: false; code: 'rate_limited'; message: string; retryAfterSeconds: number };

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** Who is rating, as far as the directory can tell without knowing who they are. */
export interface RatingClient {
	address: string;
	/**
	 * The rating page's per-device token (./device.ts). Absent for the JSON API and for browsers
	 * that keep no cookies: those are judged by their address alone.
	 */
	device?: string | null;
}

export const SHARED_ADDRESS_REASON =
	'Held automatically: another rating for this provider came from the same address within 30 days.';

/** The keyed hashes of a client, and conditions matching its earlier ratings (either key period). */
async function identify(db: Database, client: RatingClient, now: Date) {
	const address = await clientHashes(db, client.address, now);
	const device = client.device ? await deviceHashes(db, client.device, now) : null;
	return {
		address,
		device,
		sameAddress: inArray(ratings.clientHash, [address.current, address.previous]),
		sameDevice: device ? inArray(ratings.deviceHash, [device.current, device.previous]) : null
	};
}

/** When `who` last rated the provider within the repeat window, or null. */
async function latestRating(
	db: Database,
	providerId: number,
	who: SQL,
	now: Date,
	limits: Limits
): Promise<Date | null> {
	const [row] = await db
		.select({ createdAt: ratings.createdAt })
		.from(ratings)
		.where(
			and(
				eq(ratings.providerId, providerId),
				who,
				gt(ratings.createdAt, new Date(now.getTime() - limits.repeatDays * DAY))
			)
		)
		.orderBy(desc(ratings.createdAt))
		.limit(1);
	return row?.createdAt ?? null;
}

/**
 * For the rating page, before anything is filled in: the day this device (or, without a device
 * token, this address) may rate the provider again, or null when it may now. The same rule
 * `submitRating` applies.
 */
export async function rateAgainFrom(
	db: Database,
	providerId: number,
	client: { address: string | null; device?: string | null },
	options: { limits?: Limits; now?: Date } = {}
): Promise<{ again: Date; by: 'device' | 'address' } | null> {
	const limits = options.limits ?? defaultLimits();
	const now = options.now ?? new Date();
	let who: SQL;
	if (client.device) {
		const device = await deviceHashes(db, client.device, now);
		who = inArray(ratings.deviceHash, [device.current, device.previous]);
	} else if (client.address) {
		const address = await clientHashes(db, client.address, now);
		who = inArray(ratings.clientHash, [address.current, address.previous]);
	} else {
		return null;
	}
	const last = await latestRating(db, providerId, who, now, limits);
	if (!last) return null;
	return {
		again: new Date(last.getTime() + limits.repeatDays * DAY),
		by: client.device ? 'device' : 'address'
	};
}

/**
 * Records a patient's rating: idempotent by `input.idempotencyKey`; once per provider per 30 days
 * per device (per address without a device token); rate-limited per address; held for moderation
 * in a burst, or when another device at the same address rated the provider within 30 days; and
 * folded into the provider's feedback in the same transaction.
 */
export async function submitRating(
	db: Database,
	slug: string,
	input: RatingInput,
	client: RatingClient,
	options: { limits?: Limits; now?: Date } = {}
): Promise<SubmitResult> {
	const limits = options.limits ?? defaultLimits();
	const now = options.now ?? new Date();
	const providerId = await publishedId(db, slug);
	if (providerId === null) return { ok: false, code: 'not_found', message: notPublished(slug) };
	const provider = { id: providerId };

	const replay = await byIdempotencyKey(db, input.idempotencyKey);
	if (replay) return replayResult(replay, provider.id);

	if (input.route) {
		const offered = await db
			.select({ route: providerRoutes.route })
			.from(providerRoutes)
			.where(eq(providerRoutes.providerId, provider.id));
		if (!offered.some((r) => r.route === input.route)) {
			const message = 'Choose one of the treatments this provider offers.';
			return { ok: false, code: 'invalid', message, fields: { route: message } };
		}
	}

	const ids = await identify(db, client, now);
	const hashes = ids.address;
	const sameClient = ids.sameAddress;

	return db.transaction(async (tx): Promise<SubmitResult> => {
		// One writer per address, then per provider (always in that order): the checks and the
		// aggregate below see every committed rating, so simultaneous submissions cannot slip past
		// them together (the per-device rule is per provider: the provider lock covers it).
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${hashes.current}))`);
		await tx.execute(
			sql`select 1 from ${providers} where ${providers.id} = ${provider.id} for update`
		);

		const replayed = await byIdempotencyKey(tx, input.idempotencyKey);
		if (replayed) return replayResult(replayed, provider.id);

		const earlier = await latestRating(tx, provider.id, ids.sameDevice ?? sameClient, now, limits);
		if (earlier) {
			const again = new Date(earlier.getTime() + limits.repeatDays * DAY);
			return {
				ok: false,
				code: 'rate_limited',
				message: `You have already rated this provider in the last ${limits.repeatDays} days. You can rate it again from ${dateFormat.format(again)}.`,
				retryAfterSeconds: Math.ceil((again.getTime() - now.getTime()) / 1000)
			};
		}

		try {
			await hourlyLimiter(limits.perAddressPerHour).consume(hashes.current);
		} catch (rejection) {
			const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? HOUR;
			const minutes = Math.max(1, Math.ceil(ms / 60_000));
			return {
				ok: false,
				code: 'rate_limited',
				message: `You have sent several ratings in the last hour. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
				retryAfterSeconds: Math.ceil(ms / 1000)
			};
		}

		const [{ n: providerRecent }] = await tx
			.select({ n: count() })
			.from(ratings)
			.where(
				and(
					eq(ratings.providerId, provider.id),
					gt(ratings.createdAt, new Date(now.getTime() - HOUR))
				)
			);
		const [{ n: addressRecent }] = await tx
			.select({ n: count() })
			.from(ratings)
			.where(and(sameClient, gt(ratings.createdAt, new Date(now.getTime() - DAY))));
		const providerBurst = providerRecent + 1 > limits.burstPerProviderPerHour;
		const addressBurst = addressRecent + 1 > limits.burstPerAddressPerDay;
		// Another device at this address rated the provider recently: a household or shared Wi-Fi,
		// or one person clearing cookies. Received either way, but a moderator decides.
		const sharedAddress =
			ids.sameDevice !== null &&
			(await latestRating(tx, provider.id, sameClient, now, limits)) !== null;
		const contact = hasContactDetails(input.comment);
		const status: RatingStatus =
			providerBurst || addressBurst || sharedAddress || contact ? 'held' : 'published';

		const [row] = await tx
			.insert(ratings)
			.values({
				providerId: provider.id,
				status,
				overall: input.overall,
				effectiveness: input.effectiveness,
				support: input.support,
				value: input.value,
				education: input.education,
				setting: input.setting,
				recommend: input.recommend,
				route: input.route,
				monthsInTreatment: input.monthsInTreatment,
				pricePaid: input.pricePaid,
				comment: input.comment,
				clientHash: hashes.current,
				deviceHash: ids.device?.current ?? null,
				idempotencyKey: input.idempotencyKey,
				moderationReason: providerBurst
					? 'Held automatically: many ratings for this provider within an hour.'
					: addressBurst
						? 'Held automatically: many ratings from one address within a day.'
						: sharedAddress
							? SHARED_ADDRESS_REASON
							: contact
								? CONTACT_HOLD_REASON
								: null,
				createdAt: now,
				publishedAt: status === 'published' ? now : null
			})
			.onConflictDoNothing({ target: ratings.idempotencyKey })
			.returning({ id: ratings.id });
		if (!row) {
			// The same token committed in a concurrent request: answer with that one.
			const first = await byIdempotencyKey(tx, input.idempotencyKey);
			return replayResult(first!, provider.id);
		}
		if (input.conditions.length) {
			await tx
				.insert(ratingConditions)
				.values(input.conditions.map((condition) => ({ ratingId: row.id, condition })));
		}
		if (providerBurst) {
			// A flood must not move the published score: hold the burst's earlier ratings too.
			await tx
				.update(ratings)
				.set({
					status: 'held',
					moderationReason: 'Held automatically: many ratings for this provider within an hour.'
				})
				.where(
					and(
						eq(ratings.providerId, provider.id),
						eq(ratings.status, 'published'),
						gt(ratings.createdAt, new Date(now.getTime() - HOUR)),
						// A moderator's decision stands; only automatic publications are re-held.
						isNull(ratings.moderatedAt)
					)
				);
		}
		await recomputeFeedback(tx, provider.id);
		return { ok: true, id: row.id, status, replay: false };
	});
}

async function byIdempotencyKey(db: Database, key: string) {
	const [row] = await db
		.select({ id: ratings.id, status: ratings.status, providerId: ratings.providerId })
		.from(ratings)
		.where(eq(ratings.idempotencyKey, key));
	return row;
}

function replayResult(
	row: { id: number; status: RatingStatus; providerId: number },
	providerId: number
): SubmitResult {
	if (row.providerId !== providerId) {
		const message = 'This submission token was already used for another provider; reload the page.';
		return { ok: false, code: 'invalid', message, fields: { idempotencyKey: message } };
	}
	return { ok: true, id: row.id, status: row.status, replay: true };
}

/**
 * Moderation: publish, hold or hide one rating, recompute, and (with an actor) record it in the
 * audit log, all in one transaction.
 */
export async function setRatingStatus(
	db: Database,
	ratingId: number,
	status: RatingStatus,
	reason: string | null,
	actor?: { id: number }
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [rating] = await tx
			.select({
				providerId: ratings.providerId,
				status: ratings.status,
				publishedAt: ratings.publishedAt
			})
			.from(ratings)
			.where(eq(ratings.id, ratingId));
		if (!rating) return false;
		await tx.execute(
			sql`select 1 from ${providers} where ${providers.id} = ${rating.providerId} for update`
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
		await recomputeFeedback(tx, rating.providerId);
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

/** The moderation queue: held ratings, oldest first. */
export async function held(
	db: Database,
	limit = 50
): Promise<{ total: number; items: HeldRating[] }> {
	const where = eq(ratings.status, 'held');
	const [[{ total }], rows] = await Promise.all([
		db.select({ total: count() }).from(ratings).where(where),
		db
			.select({
				id: ratings.id,
				providerSlug: providers.slug,
				providerName: providers.name,
				overall: ratings.overall,
				support: ratings.support,
				comment: ratings.comment,
				reason: ratings.moderationReason,
				createdAt: ratings.createdAt
			})
			.from(ratings)
			.innerJoin(providers, eq(providers.id, ratings.providerId))
			.where(where)
			.orderBy(ratings.createdAt, ratings.id)
			.limit(limit)
	]);
	return { total, items: rows };
}

export interface ReportedRating extends HeldRating {
	reports: { reason: string; note: string | null; createdAt: Date }[];
}

/** The other queue: published ratings someone reported, oldest report first. */
export async function reported(db: Database, limit = 50): Promise<ReportedRating[]> {
	const rows = await db
		.select({
			id: ratings.id,
			providerSlug: providers.slug,
			providerName: providers.name,
			overall: ratings.overall,
			support: ratings.support,
			comment: ratings.comment,
			reason: ratings.moderationReason,
			createdAt: ratings.createdAt,
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

export interface PublishedComment {
	id: number;
	overall: number;
	comment: string;
	route: RouteCode | null;
	monthsInTreatment: number | null;
	publishedAt: Date;
}

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
	const [[{ total }], rows] = await Promise.all([
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
	return {
		total,
		items: rows.map((r) => ({
			id: r.id,
			overall: r.overall,
			comment: r.comment ?? '',
			route: r.route as RouteCode | null,
			monthsInTreatment: r.monthsInTreatment,
			publishedAt: r.publishedAt ?? r.createdAt
		}))
	};
}

import { and, count, desc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { CONTACT_HOLD_REASON, hasContactDetails } from '../domain/comment-check';
import type { RatingFacts } from '../domain/feedback';
import type { RouteCode } from '../domain/routes';
import type { RatingInput } from '../schemas/rating';
import { addressLimiter } from './address-limits';
import { clientHashes, deviceHashes } from './client-hash';
import { config } from './config';
import { oneRow, type Database } from './db';
import { feedbackChanged } from './events';
import { applyFeedbackChange, factsOf } from './feedback';
import { lockProvider, notPublished, publishedId } from './providers';
import { providerRoutes, ratingConditions, ratings } from './db/schema';

// The aggregate lives in ./feedback, moderation in ./rating-moderation; these names stay importable from here.
export { feedbackFor, publishedFacts, recomputeFeedback, type FeedbackView } from './feedback';
export {
	held,
	reported,
	setRatingStatus,
	type HeldRating,
	type ReportedRating
} from './rating-moderation';
export { comments, COMMENTS_PER_PAGE, type PublishedComment } from './rating-comments';

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

/** Counted through the rating's transaction: a point is given back if it rolls back. */
function hourlyLimiter(tx: Database, points: number) {
	return addressLimiter(tx, { name: 'ratings', points, duration: 3600 });
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

type Identity = Awaited<ReturnType<typeof identify>>;

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

/** The route must be one the provider offers; a message for the form when it is not. */
async function checkRoute(
	db: Database,
	providerId: number,
	route: RouteCode | null | undefined
): Promise<SubmitResult | null> {
	if (!route) return null;
	const offered = await db
		.select({ route: providerRoutes.route })
		.from(providerRoutes)
		.where(eq(providerRoutes.providerId, providerId));
	if (offered.some((r) => r.route === route)) return null;
	const message = 'Choose one of the treatments this provider offers.';
	return { ok: false, code: 'invalid', message, fields: { route: message } };
}

/**
 * One writer per address, then per provider (always in that order): the checks and the aggregate
 * after it see every committed rating, so simultaneous submissions cannot slip past them together
 * (the per-device rule is per provider: the provider lock covers it).
 */
async function lockWriters(tx: Database, addressHash: string, providerId: number) {
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${addressHash}))`);
	await lockProvider(tx, providerId);
}

/** Refused: this device (or address) rated the provider within the repeat window. */
async function repeatRefusal(
	tx: Database,
	providerId: number,
	who: Identity,
	now: Date,
	limits: Limits
): Promise<SubmitResult | null> {
	const earlier = await latestRating(
		tx,
		providerId,
		who.sameDevice ?? who.sameAddress,
		now,
		limits
	);
	if (!earlier) return null;
	const again = new Date(earlier.getTime() + limits.repeatDays * DAY);
	return {
		ok: false,
		code: 'rate_limited',
		message: `You have already rated this provider in the last ${limits.repeatDays} days. You can rate it again from ${dateFormat.format(again)}.`,
		retryAfterSeconds: Math.ceil((again.getTime() - now.getTime()) / 1000)
	};
}

/** Refused: this address has sent its ratings for the hour. */
async function hourlyRefusal(
	tx: Database,
	addressHash: string,
	limits: Limits
): Promise<SubmitResult | null> {
	try {
		await hourlyLimiter(tx, limits.perAddressPerHour).consume(addressHash);
		return null;
	} catch (rejection) {
		// A failed write of the count (the database away) is that failure, not a refusal.
		if (!(rejection instanceof RateLimiterRes)) throw rejection;
		const ms = rejection.msBeforeNext;
		const minutes = Math.max(1, Math.ceil(ms / 60_000));
		return {
			ok: false,
			code: 'rate_limited',
			message: `You have sent several ratings in the last hour. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
			retryAfterSeconds: Math.ceil(ms / 1000)
		};
	}
}

const PROVIDER_BURST_REASON = 'Held automatically: many ratings for this provider within an hour.';
const ADDRESS_BURST_REASON = 'Held automatically: many ratings from one address within a day.';

/** Why a new rating waits for a moderator, or null when it is published at once. */
async function holdReason(
	tx: Database,
	providerId: number,
	who: Identity,
	comment: string | null | undefined,
	now: Date,
	limits: Limits
): Promise<string | null> {
	const since = (ms: number) => gt(ratings.createdAt, new Date(now.getTime() - ms));
	if (
		(await countUpTo(
			tx,
			and(eq(ratings.providerId, providerId), since(HOUR))!,
			limits.burstPerProviderPerHour
		)) >= limits.burstPerProviderPerHour
	)
		return PROVIDER_BURST_REASON;
	if (
		(await countUpTo(tx, and(who.sameAddress, since(DAY))!, limits.burstPerAddressPerDay)) >=
		limits.burstPerAddressPerDay
	)
		return ADDRESS_BURST_REASON;
	// Another device at this address rated the provider recently: a household or shared Wi-Fi,
	// or one person clearing cookies. Received either way, but a moderator decides.
	if (
		who.sameDevice !== null &&
		(await latestRating(tx, providerId, who.sameAddress, now, limits)) !== null
	) {
		return SHARED_ADDRESS_REASON;
	}
	return hasContactDetails(comment) ? CONTACT_HOLD_REASON : null;
}

/** The rating and its conditions; undefined when the same token was committed alongside. */
async function insertRating(
	tx: Database,
	providerId: number,
	input: RatingInput,
	who: Identity,
	hold: string | null,
	now: Date
): Promise<number | undefined> {
	const [row] = await tx
		.insert(ratings)
		.values({
			providerId,
			status: hold ? 'held' : 'published',
			...answersOf(input),
			monthsInTreatment: input.monthsInTreatment,
			comment: input.comment,
			clientHash: who.address.current,
			deviceHash: who.device?.current ?? null,
			idempotencyKey: input.idempotencyKey,
			moderationReason: hold,
			createdAt: now,
			publishedAt: hold ? null : now
		})
		.onConflictDoNothing({ target: ratings.idempotencyKey })
		.returning({ id: ratings.id });
	if (row && input.conditions.length) {
		await tx
			.insert(ratingConditions)
			.values(input.conditions.map((condition) => ({ ratingId: row.id, condition })));
	}
	return row?.id;
}

/**
 * How many ratings match `where`, counting no further than `limit`: a limit check costs what the
 * limit is, not what a provider with many ratings has.
 */
async function countUpTo(tx: Database, where: SQL, limit: number): Promise<number> {
	const matching = tx
		.select({ one: sql`1` })
		.from(ratings)
		.where(where)
		.limit(limit)
		.as('matching');
	return oneRow(await tx.select({ n: count() }).from(matching)).n;
}

/**
 * A flood must not move the published score: hold the burst's earlier ratings too. Returns the
 * ratings it held, for the aggregate to take out.
 */
async function holdBurst(tx: Database, providerId: number, now: Date): Promise<RatingFacts[]> {
	const moved = await tx
		.update(ratings)
		.set({ status: 'held', moderationReason: PROVIDER_BURST_REASON })
		.where(
			and(
				eq(ratings.providerId, providerId),
				eq(ratings.status, 'published'),
				gt(ratings.createdAt, new Date(now.getTime() - HOUR)),
				// A moderator's decision stands; only automatic publications are re-held.
				isNull(ratings.moderatedAt)
			)
		)
		.returning({ id: ratings.id });
	return factsOf(
		tx,
		moved.map((r) => r.id)
	);
}

/** The answers the aggregate counts, as the rating's columns hold them. */
function answersOf(input: RatingInput) {
	return {
		overall: input.overall,
		effectiveness: input.effectiveness,
		support: input.support,
		value: input.value,
		education: input.education,
		setting: input.setting,
		recommend: input.recommend,
		route: input.route,
		pricePaid: input.pricePaid
	};
}

/** The new rating as the aggregate counts it. */
function factsOfInput(input: RatingInput): RatingFacts {
	return { ...answersOf(input), conditions: input.conditions };
}

/**
 * Records a patient's rating: idempotent by `input.idempotencyKey`; once per provider per 30 days
 * per device (per address without a device token); rate-limited per address; held for moderation
 * in a burst, or when another device at the same address rated the provider within 30 days; and
 * folded into the provider's feedback in the same transaction — by its own tally, whatever the
 * provider's number of ratings (./feedback.ts `applyFeedbackChange`).
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
	const replay = await byIdempotencyKey(db, input.idempotencyKey);
	if (replay) return replayResult(replay, providerId);
	const wrongRoute = await checkRoute(db, providerId, input.route);
	if (wrongRoute) return wrongRoute;
	const who = await identify(db, client, now);

	const result = await db.transaction(async (tx): Promise<SubmitResult> => {
		await lockWriters(tx, who.address.current, providerId);
		const replayed = await byIdempotencyKey(tx, input.idempotencyKey);
		if (replayed) return replayResult(replayed, providerId);
		const refused =
			(await repeatRefusal(tx, providerId, who, now, limits)) ??
			(await hourlyRefusal(tx, who.address.current, limits));
		if (refused) return refused;

		const hold = await holdReason(tx, providerId, who, input.comment, now, limits);
		const id = await insertRating(tx, providerId, input, who, hold, now);
		if (id === undefined) {
			// The same token committed in a concurrent request: answer with that one.
			return replayResult((await byIdempotencyKey(tx, input.idempotencyKey))!, providerId);
		}
		const reheld = hold === PROVIDER_BURST_REASON ? await holdBurst(tx, providerId, now) : [];
		await applyFeedbackChange(tx, providerId, {
			published: hold ? [] : [factsOfInput(input)],
			unpublished: reheld,
			held: (hold ? 1 : 0) + reheld.length
		});
		return { ok: true, id, status: hold ? 'held' : 'published', replay: false };
	});
	if (result.ok && !result.replay) feedbackChanged();
	return result;
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

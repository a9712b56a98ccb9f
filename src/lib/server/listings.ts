import { and, asc, desc, eq, lt, ne, sql } from 'drizzle-orm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { CONDITION_CODES, type ConditionCode } from '../domain/conditions';
import type { ProviderKind, ProviderStatus } from '../domain/kinds';
import { ROUTE_CODES, type RouteCode } from '../domain/routes';
import { slugify } from '../domain/slug';
import { stateName, type StateCode } from '../domain/states';
import type { Listing, ListingRequestInput } from '../schemas/listing';
import * as audit from './audit';
import { clientHashes } from './client-hash';
import { isUniqueViolation, type Database } from './db';
import {
	listingRequests,
	providerConditions,
	providerRoutes,
	providers,
	providerTelehealthStates,
	users
} from './db/schema';
import { geocode } from './geocode';
import { invalidateMapCache } from './map';

/**
 * Listings as providers ask for them and as moderators keep them: requests, their approval,
 * admin edits, suspension and verification. Every moderator change is audited in the same
 * transaction, and the map's cluster cache is dropped after each commit.
 */

/** A provider's listing as stored, with what only moderators set. */
export interface ListingRecord {
	id: number;
	slug: string;
	status: ProviderStatus;
	lat: number;
	lng: number;
	isDemo: boolean;
	lastVerifiedAt: Date | null;
	updatedAt: Date;
	listing: Listing;
}

const orNull = <T>(value: T | undefined) => (value === undefined ? null : value);
const orUndefined = <T>(value: T | null) => (value === null ? undefined : value);

export async function loadListing(db: Database, id: number): Promise<ListingRecord | null> {
	const [row] = await db.select().from(providers).where(eq(providers.id, id));
	if (!row) return null;
	const [routeRows, stateRows, conditionRows] = await Promise.all([
		db.select().from(providerRoutes).where(eq(providerRoutes.providerId, id)),
		db
			.select({ state: providerTelehealthStates.state })
			.from(providerTelehealthStates)
			.where(eq(providerTelehealthStates.providerId, id)),
		db
			.select({ condition: providerConditions.condition })
			.from(providerConditions)
			.where(eq(providerConditions.providerId, id))
	]);
	return recordFrom(
		row,
		routeRows,
		stateRows.map((s) => s.state),
		conditionRows.map((c) => c.condition)
	);
}

/** A provider row and its child rows as the listing they store (routes, states, conditions in order). */
export function recordFrom(
	row: typeof providers.$inferSelect,
	routeRows: (typeof providerRoutes.$inferSelect)[],
	states: string[],
	conditions: string[]
): ListingRecord {
	return {
		id: row.id,
		slug: row.slug,
		status: row.status,
		lat: row.lat,
		lng: row.lng,
		isDemo: row.isDemo,
		lastVerifiedAt: row.lastVerifiedAt,
		updatedAt: row.updatedAt,
		listing: {
			name: row.name,
			kinds: row.kinds as ProviderKind[],
			description: row.description,
			street: orUndefined(row.street),
			city: row.city,
			state: row.state as StateCode,
			zip: row.zip,
			phone: orUndefined(row.phone),
			website: orUndefined(row.website),
			email: orUndefined(row.email),
			routes: routeRows
				.map((r) => ({
					code: r.route as RouteCode,
					priceMin: orUndefined(r.priceMin),
					priceMax: orUndefined(r.priceMax),
					seriesPrice: orUndefined(r.seriesPrice),
					notes: orUndefined(r.notes)
				}))
				.sort((a, b) => ROUTE_CODES.indexOf(a.code) - ROUTE_CODES.indexOf(b.code)),
			consultFee: orUndefined(row.consultFee),
			acceptsInsurance: row.acceptsInsurance,
			insuranceNotes: orUndefined(row.insuranceNotes),
			offersPsychotherapy: row.offersPsychotherapy,
			telehealthStates: (states as StateCode[]).slice().sort(),
			conditions: (conditions as ConditionCode[])
				.slice()
				.sort((a, b) => CONDITION_CODES.indexOf(a) - CONDITION_CODES.indexOf(b))
		}
	};
}

export type Located = { ok: true; lat: number; lng: number } | { ok: false; message: string };

/** The map point for a listing: its ZIP's centroid, which must lie in the listing's state. */
export function locate(listing: Pick<Listing, 'zip' | 'state'>): Located {
	const found = geocode(listing.zip);
	if (!found.ok)
		return { ok: false, message: `We don't know the ZIP code ${listing.zip}; check it.` };
	if (found.place.state !== listing.state) {
		return {
			ok: false,
			message: `ZIP ${listing.zip} is in ${stateName(found.place.state)}, not ${stateName(listing.state)}; check the ZIP or the state.`
		};
	}
	return { ok: true, lat: found.place.lat, lng: found.place.lng };
}

/** A slug not used by any other provider: `base`, else `base-2`, `base-3`, … */
export async function uniqueSlug(db: Database, base: string, exceptId?: number): Promise<string> {
	const stem = slugify(base) || 'provider';
	const taken = new Set(
		(
			await db
				.select({ slug: providers.slug })
				.from(providers)
				.where(
					and(
						sql`${providers.slug} like ${stem + '%'}`,
						exceptId === undefined ? undefined : ne(providers.id, exceptId)
					)
				)
		).map((r) => r.slug)
	);
	let slug = stem;
	for (let n = 2; taken.has(slug); n++) slug = `${stem}-${n}`;
	return slug;
}

export async function slugTaken(db: Database, slug: string, exceptId?: number): Promise<boolean> {
	const [row] = await db
		.select({ id: providers.id })
		.from(providers)
		.where(
			and(eq(providers.slug, slug), exceptId === undefined ? undefined : ne(providers.id, exceptId))
		);
	return row !== undefined;
}

export interface Placement {
	slug: string;
	lat: number;
	lng: number;
	status: ProviderStatus;
	lastVerifiedAt: Date | null;
	isDemo?: boolean;
}

/**
 * Inserts (no `id`) or rewrites a provider and replaces its routes, telehealth states and
 * conditions. Call inside a transaction. Returns the provider's id.
 */
export async function writeListing(
	tx: Database,
	listing: Listing,
	placement: Placement,
	id?: number
): Promise<number> {
	const now = new Date();
	const values = {
		slug: placement.slug,
		name: listing.name,
		kinds: listing.kinds,
		description: listing.description,
		street: orNull(listing.street),
		city: listing.city,
		state: listing.state,
		zip: listing.zip,
		lat: placement.lat,
		lng: placement.lng,
		phone: orNull(listing.phone),
		website: orNull(listing.website),
		email: orNull(listing.email),
		consultFee: orNull(listing.consultFee),
		acceptsInsurance: listing.acceptsInsurance,
		insuranceNotes: orNull(listing.insuranceNotes),
		offersPsychotherapy: listing.offersPsychotherapy,
		status: placement.status,
		lastVerifiedAt: placement.lastVerifiedAt,
		updatedAt: now
	};
	let providerId: number;
	if (id === undefined) {
		const [row] = await tx
			.insert(providers)
			.values({ ...values, isDemo: placement.isDemo ?? false })
			.returning({ id: providers.id });
		providerId = row.id;
	} else {
		await tx.update(providers).set(values).where(eq(providers.id, id));
		providerId = id;
		await Promise.all([
			tx.delete(providerRoutes).where(eq(providerRoutes.providerId, id)),
			tx.delete(providerTelehealthStates).where(eq(providerTelehealthStates.providerId, id)),
			tx.delete(providerConditions).where(eq(providerConditions.providerId, id))
		]);
	}
	await tx.insert(providerRoutes).values(
		listing.routes.map((r) => ({
			providerId,
			route: r.code,
			priceMin: orNull(r.priceMin),
			priceMax: orNull(r.priceMax),
			seriesPrice: orNull(r.seriesPrice),
			notes: orNull(r.notes)
		}))
	);
	if (listing.telehealthStates.length) {
		await tx
			.insert(providerTelehealthStates)
			.values(listing.telehealthStates.map((state) => ({ providerId, state })));
	}
	if (listing.conditions.length) {
		await tx
			.insert(providerConditions)
			.values(listing.conditions.map((condition) => ({ providerId, condition })));
	}
	return providerId;
}

/** What the audit log keeps of a listing: everything a moderator could change. */
export function auditView(record: Omit<ListingRecord, 'id' | 'updatedAt' | 'isDemo'>) {
	return {
		slug: record.slug,
		status: record.status,
		lat: record.lat,
		lng: record.lng,
		lastVerifiedAt: record.lastVerifiedAt,
		...record.listing
	};
}

// Requests from providers ------------------------------------------------------------------

/** Five requests an hour per address is plenty for a practice and little for a script. */
const requestLimiter = new RateLimiterMemory({ points: 5, duration: 3600 });

export type SubmitRequestResult =
	| { ok: true; id: number; replay: boolean }
	| { ok: false; code: 'not_found'; message: string }
	| { ok: false; code: 'invalid'; fields: Record<string, string> }
	| { ok: false; code: 'rate_limited'; message: string; retryAfterSeconds: number };

/**
 * A provider's request for a new listing, or (with `providerSlug`) for changes to a published
 * one. The same idempotency key always answers with the first request; the address is kept
 * only as the keyed hash used for rate limiting.
 */
export async function submitRequest(
	db: Database,
	input: ListingRequestInput,
	client: { address: string; providerSlug?: string }
): Promise<SubmitRequestResult> {
	const first = await requestByKey(db, input.idempotencyKey);
	if (first) return { ok: true, id: first.id, replay: true };

	let providerId: number | null = null;
	if (client.providerSlug !== undefined) {
		const [row] = await db
			.select({ id: providers.id })
			.from(providers)
			.where(and(eq(providers.slug, client.providerSlug), eq(providers.status, 'published')));
		if (!row) {
			return {
				ok: false,
				code: 'not_found',
				message: `No published provider has the slug “${client.providerSlug}”.`
			};
		}
		providerId = row.id;
	}
	const located = locate(input.listing);
	if (!located.ok) return { ok: false, code: 'invalid', fields: { zip: located.message } };

	const { current } = await clientHashes(db, client.address);
	try {
		await requestLimiter.consume(current);
	} catch (rejection) {
		const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 3_600_000;
		const minutes = Math.max(1, Math.ceil(ms / 60_000));
		return {
			ok: false,
			code: 'rate_limited',
			message: `You have sent several listing requests in the last hour. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
			retryAfterSeconds: Math.ceil(ms / 1000)
		};
	}
	const [row] = await db
		.insert(listingRequests)
		.values({
			providerId,
			payload: input.listing,
			contactName: input.contactName,
			contactEmail: input.contactEmail,
			idempotencyKey: input.idempotencyKey,
			clientHash: current
		})
		.onConflictDoNothing({ target: listingRequests.idempotencyKey })
		.returning({ id: listingRequests.id });
	if (!row) {
		const raced = await requestByKey(db, input.idempotencyKey);
		return { ok: true, id: raced!.id, replay: true };
	}
	return { ok: true, id: row.id, replay: false };
}

async function requestByKey(db: Database, key: string) {
	const [row] = await db
		.select({ id: listingRequests.id })
		.from(listingRequests)
		.where(eq(listingRequests.idempotencyKey, key));
	return row;
}

export interface PendingRequest {
	id: number;
	kind: 'new' | 'update';
	name: string;
	city: string;
	state: StateCode;
	contactName: string;
	createdAt: Date;
	providerId: number | null;
	providerSlug: string | null;
}

/** The queue: pending requests, oldest first. */
export async function pendingRequests(db: Database): Promise<PendingRequest[]> {
	const rows = await db
		.select({
			id: listingRequests.id,
			payload: listingRequests.payload,
			contactName: listingRequests.contactName,
			createdAt: listingRequests.createdAt,
			providerId: listingRequests.providerId,
			providerSlug: providers.slug
		})
		.from(listingRequests)
		.leftJoin(providers, eq(providers.id, listingRequests.providerId))
		.where(eq(listingRequests.status, 'pending'))
		.orderBy(asc(listingRequests.createdAt), asc(listingRequests.id));
	return rows.map((r) => {
		const listing = r.payload as Listing;
		return {
			id: r.id,
			kind: r.providerId === null ? 'new' : 'update',
			name: listing.name,
			city: listing.city,
			state: listing.state,
			contactName: r.contactName,
			createdAt: r.createdAt,
			providerId: r.providerId,
			providerSlug: r.providerSlug
		};
	});
}

export interface RequestDetail {
	id: number;
	kind: 'new' | 'update';
	status: 'pending' | 'approved' | 'rejected';
	listing: Listing;
	contactName: string;
	contactEmail: string;
	createdAt: Date;
	decisionReason: string | null;
	decidedAt: Date | null;
	decidedBy: string | null;
	/** The listing as it stands, for updates. */
	current: ListingRecord | null;
	/** Where the ZIP puts it, or why it cannot. */
	located: Located;
	suggestedSlug: string;
}

export async function requestDetail(db: Database, id: number): Promise<RequestDetail | null> {
	const [row] = await db
		.select({
			request: listingRequests,
			decidedBy: users.email
		})
		.from(listingRequests)
		.leftJoin(users, eq(users.id, listingRequests.decidedBy))
		.where(eq(listingRequests.id, id));
	if (!row) return null;
	const listing = row.request.payload as Listing;
	const current =
		row.request.providerId === null ? null : await loadListing(db, row.request.providerId);
	return {
		id: row.request.id,
		kind: row.request.providerId === null ? 'new' : 'update',
		status: row.request.status,
		listing,
		contactName: row.request.contactName,
		contactEmail: row.request.contactEmail,
		createdAt: row.request.createdAt,
		decisionReason: row.request.decisionReason,
		decidedAt: row.request.decidedAt,
		decidedBy: row.decidedBy,
		current,
		located: locate(listing),
		suggestedSlug: current?.slug ?? (await uniqueSlug(db, `${listing.name}-${listing.city}`))
	};
}

type Undecidable = { ok: false; code: 'not_found' | 'not_pending'; message: string };

/** The request, locked for this transaction, while it is still pending. */
async function lockPending(
	tx: Database,
	requestId: number
): Promise<{ ok: true; request: typeof listingRequests.$inferSelect } | Undecidable> {
	const [request] = await tx
		.select()
		.from(listingRequests)
		.where(eq(listingRequests.id, requestId))
		.for('update');
	if (!request) return { ok: false, code: 'not_found', message: 'That request does not exist.' };
	if (request.status !== 'pending') {
		return {
			ok: false,
			code: 'not_pending',
			message: `That request was already ${request.status}.`
		};
	}
	return { ok: true, request };
}

/**
 * Runs a write that sets a provider's slug. The check before it cannot see a transaction still
 * running alongside; if that one took the slug first, the unique index refuses this one, and the
 * moderator gets the same field message instead of an error page.
 */
async function claimingSlug<T>(
	slug: () => string | undefined,
	write: () => Promise<T>
): Promise<T | { ok: false; code: 'invalid'; fields: Record<string, string> }> {
	try {
		return await write();
	} catch (err) {
		if (!isUniqueViolation(err)) throw err;
		return { ok: false, code: 'invalid', fields: { slug: slugInUse(slug() ?? '') } };
	}
}

const slugInUse = (slug: string) => `Another provider already uses the slug “${slug}”.`;

export type DecisionResult =
	| { ok: true; providerId: number; slug: string }
	| Undecidable
	| { ok: false; code: 'invalid'; fields: Record<string, string> };

/**
 * Approves a pending request: creates the provider (new) or rewrites it (update), published and
 * verified now, at the admin's point or the ZIP's centroid. One transaction with its audit entries.
 */
export async function approveRequest(
	db: Database,
	requestId: number,
	actor: { id: number },
	adjust: { slug?: string; lat?: number; lng?: number; reason?: string } = {}
): Promise<DecisionResult> {
	let attempted: string | undefined;
	const result = await claimingSlug(
		() => attempted,
		() =>
			db.transaction(async (tx): Promise<DecisionResult> => {
				const locked = await lockPending(tx, requestId);
				if (!locked.ok) return locked;
				const { request } = locked;
				const listing = request.payload as Listing;
				let point: { lat: number; lng: number };
				if (adjust.lat !== undefined && adjust.lng !== undefined) {
					point = { lat: adjust.lat, lng: adjust.lng };
				} else {
					const located = locate(listing);
					if (!located.ok) return { ok: false, code: 'invalid', fields: { lat: located.message } };
					point = located;
				}
				const existing =
					request.providerId === null ? null : await loadListing(tx, request.providerId);
				if (existing) {
					await tx.execute(
						sql`select 1 from ${providers} where ${providers.id} = ${existing.id} for update`
					);
				}
				const slug =
					adjust.slug ??
					existing?.slug ??
					(await uniqueSlug(tx, `${listing.name}-${listing.city}`));
				attempted = slug;
				if (await slugTaken(tx, slug, existing?.id)) {
					return {
						ok: false,
						code: 'invalid',
						fields: { slug: slugInUse(slug) }
					};
				}
				const now = new Date();
				const placement: Placement = {
					slug,
					...point,
					status: 'published',
					lastVerifiedAt: now
				};
				const providerId = await writeListing(tx, listing, placement, existing?.id);
				await tx
					.update(listingRequests)
					.set({
						status: 'approved',
						providerId,
						decidedBy: actor.id,
						decidedAt: now,
						decisionReason: adjust.reason ?? null
					})
					.where(eq(listingRequests.id, requestId));
				await audit.record(tx, {
					actorId: actor.id,
					action: 'request.approve',
					entityType: 'listing_request',
					entityId: requestId,
					before: { status: 'pending' },
					after: { status: 'approved', providerId },
					reason: adjust.reason
				});
				await audit.record(tx, {
					actorId: actor.id,
					action: existing ? 'provider.update' : 'provider.create',
					entityType: 'provider',
					entityId: providerId,
					before: existing ? auditView(existing) : null,
					after: auditView({ ...placement, listing }),
					reason: `From listing request ${requestId}`
				});
				return { ok: true, providerId, slug };
			})
	);
	if (result.ok) invalidateMapCache();
	return result;
}

export async function rejectRequest(
	db: Database,
	requestId: number,
	reason: string,
	actor: { id: number }
): Promise<{ ok: true } | Undecidable> {
	return db.transaction(async (tx) => {
		const locked = await lockPending(tx, requestId);
		if (!locked.ok) return locked;
		await tx
			.update(listingRequests)
			.set({
				status: 'rejected',
				decidedBy: actor.id,
				decidedAt: new Date(),
				decisionReason: reason
			})
			.where(eq(listingRequests.id, requestId));
		await audit.record(tx, {
			actorId: actor.id,
			action: 'request.reject',
			entityType: 'listing_request',
			entityId: requestId,
			before: { status: 'pending' },
			after: { status: 'rejected' },
			reason
		});
		return { ok: true };
	});
}

/** Recent decisions, for the queue's "recently decided" list. */
export async function recentDecisions(db: Database, limit = 20) {
	return db
		.select({
			id: listingRequests.id,
			status: listingRequests.status,
			payload: listingRequests.payload,
			decidedAt: listingRequests.decidedAt,
			decisionReason: listingRequests.decisionReason,
			providerSlug: providers.slug
		})
		.from(listingRequests)
		.leftJoin(providers, eq(providers.id, listingRequests.providerId))
		.where(ne(listingRequests.status, 'pending'))
		.orderBy(desc(listingRequests.decidedAt))
		.limit(limit);
}

// Moderator edits ----------------------------------------------------------------------------

export type EditResult =
	| { ok: true; slug: string }
	| { ok: false; code: 'not_found'; message: string }
	| { ok: false; code: 'invalid'; fields: Record<string, string> };

/** An admin or moderator rewrites a listing: every field, the slug and the map point. */
export async function updateListing(
	db: Database,
	providerId: number,
	input: { listing: Listing; slug: string; lat: number; lng: number; reason?: string },
	actor: { id: number }
): Promise<EditResult> {
	const result = await claimingSlug(
		() => input.slug,
		() =>
			db.transaction(async (tx): Promise<EditResult> => {
				await tx.execute(
					sql`select 1 from ${providers} where ${providers.id} = ${providerId} for update`
				);
				const before = await loadListing(tx, providerId);
				if (!before)
					return { ok: false, code: 'not_found', message: 'That provider does not exist.' };
				if (await slugTaken(tx, input.slug, providerId)) {
					return {
						ok: false,
						code: 'invalid',
						fields: { slug: slugInUse(input.slug) }
					};
				}
				const placement: Placement = {
					slug: input.slug,
					lat: input.lat,
					lng: input.lng,
					status: before.status,
					lastVerifiedAt: before.lastVerifiedAt
				};
				await writeListing(tx, input.listing, placement, providerId);
				await audit.record(tx, {
					actorId: actor.id,
					action: 'provider.update',
					entityType: 'provider',
					entityId: providerId,
					before: auditView(before),
					after: auditView({ ...placement, listing: input.listing }),
					reason: input.reason
				});
				return { ok: true, slug: input.slug };
			})
	);
	if (result.ok) invalidateMapCache();
	return result;
}

/** Suspend, unsuspend (publish) or mark verified now; audited with the reason. */
export async function changeProvider(
	db: Database,
	providerId: number,
	change: { status: ProviderStatus } | { verified: true },
	reason: string | undefined,
	actor: { id: number }
): Promise<boolean> {
	const found = await db.transaction(async (tx) => {
		const [before] = await tx
			.select({ status: providers.status, lastVerifiedAt: providers.lastVerifiedAt })
			.from(providers)
			.where(eq(providers.id, providerId))
			.for('update');
		if (!before) return false;
		const now = new Date();
		const set =
			'status' in change ? { status: change.status } : { lastVerifiedAt: now as Date | null };
		await tx
			.update(providers)
			.set({ ...set, updatedAt: now })
			.where(eq(providers.id, providerId));
		await audit.record(tx, {
			actorId: actor.id,
			action:
				'status' in change
					? change.status === 'suspended'
						? 'provider.suspend'
						: change.status === 'published'
							? 'provider.publish'
							: 'provider.unpublish'
					: 'provider.verify',
			entityType: 'provider',
			entityId: providerId,
			before:
				'status' in change ? { status: before.status } : { lastVerifiedAt: before.lastVerifiedAt },
			after: set,
			reason
		});
		return true;
	});
	if (found) invalidateMapCache();
	return found;
}

/** Days a decided request keeps the requester's name and email (for follow-up questions). */
export const CONTACT_RETENTION_DAYS = 90;

/** Erases the private contact details of requests decided more than 90 days ago. */
export async function eraseOldContacts(db: Database, now = new Date()): Promise<number> {
	const cutoff = new Date(now.getTime() - CONTACT_RETENTION_DAYS * 86_400_000);
	const erased = await db
		.update(listingRequests)
		.set({ contactName: '', contactEmail: '' })
		.where(
			and(
				ne(listingRequests.status, 'pending'),
				lt(listingRequests.decidedAt, cutoff),
				ne(listingRequests.contactEmail, '')
			)
		)
		.returning({ id: listingRequests.id });
	return erased.length;
}

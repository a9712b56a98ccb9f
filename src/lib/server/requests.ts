import { and, asc, desc, eq, lt, ne, or, sql } from 'drizzle-orm';
import { mergePlan, type FieldMerge } from '../domain/listing-merge';
import type { Listing, ProviderRecord } from '../domain/provider';
import type { StateCode } from '../domain/states';
import type { ListingRequestInput } from '../schemas/listing';
import { take } from './address-limits';
import { clientHashes } from './client-hash';
import type { Database } from './db';
import { listingRequests, providers, users } from './db/schema';
import {
	currentSlugFor,
	loadRecord,
	locate,
	notPublished,
	publishedId,
	uniqueSlug,
	type Located
} from './providers';
import { baseOf } from './request-decisions';

export {
	approveRequest,
	CHOOSE_PUBLISH,
	CHOOSE_VALUE,
	rejectRequest,
	type Approval,
	type DecisionResult
} from './request-decisions';

/**
 * The listing-request workflow: providers ask for a new listing or for changes to theirs;
 * moderators approve or reject (./request-decisions.ts); the requester's private details are
 * erased 90 days after the decision.
 */

/** Five requests an hour per address is plenty for a practice and little for a script. */
export const REQUEST_LIMIT = { name: 'requests', points: 5, duration: 3600 };

export type SubmitRequestResult =
	| { ok: true; id: number; replay: boolean }
	| { ok: false; code: 'not_found'; message: string }
	| { ok: false; code: 'invalid'; fields: Record<string, string> }
	| { ok: false; code: 'rate_limited'; message: string; retryAfterSeconds: number };

/**
 * A provider's request for a new listing, or (with `providerSlug`) for changes to a published
 * one. An update keeps the listing as the provider saw it when they opened the form (the base),
 * so approval can tell their changes from later ones. The same idempotency key always answers
 * with the first request; the address is kept only as the keyed hash used for rate limiting.
 */
export async function submitRequest(
	db: Database,
	input: ListingRequestInput,
	client: { address: string; providerSlug?: string }
): Promise<SubmitRequestResult> {
	const first = await requestByKey(db, input.idempotencyKey);
	if (first) return { ok: true, id: first.id, replay: true };

	let target: { id: number; baseVersion: number; base: Listing | null } | null = null;
	if (client.providerSlug !== undefined) {
		const slug = (await currentSlugFor(db, client.providerSlug)) ?? client.providerSlug;
		const id = await publishedId(db, slug);
		const record = id === null ? null : await loadRecord(db, { id });
		if (!record)
			return { ok: false, code: 'not_found', message: notPublished(client.providerSlug) };
		// The server's copy when nothing changed since the form was opened; the form's own copy
		// (or nothing, if it does not read) when the listing moved on while the provider typed.
		const seen = input.baseVersion;
		target =
			seen === undefined || seen >= record.version
				? { id: record.id, baseVersion: record.version, base: record.listing }
				: { id: record.id, baseVersion: seen, base: input.base ?? null };
	}
	const located = locate(input.listing);
	if (!located.ok) return { ok: false, code: 'invalid', fields: { zip: located.message } };

	const { current } = await clientHashes(db, client.address);
	const taken = await take(db, REQUEST_LIMIT, current);
	if (!taken.ok) {
		const ms = taken.retryAfterMs;
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
			providerId: target?.id ?? null,
			payload: input.listing,
			baseVersion: target?.baseVersion ?? null,
			basePayload: target?.base ?? null,
			message: input.message ?? null,
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
	providerName: string | null;
	/** Updates: the listing was written after the provider saw it (null when unknown). */
	listingChanged: boolean | null;
	hasMessage: boolean;
}

const pendingColumns = {
	id: listingRequests.id,
	payload: listingRequests.payload,
	contactName: listingRequests.contactName,
	createdAt: listingRequests.createdAt,
	providerId: listingRequests.providerId,
	baseVersion: listingRequests.baseVersion,
	message: listingRequests.message,
	providerSlug: providers.slug,
	providerName: providers.name,
	providerVersion: providers.version
};

function pendingFrom(r: {
	[K in keyof typeof pendingColumns]: (typeof pendingColumns)[K]['_']['data'] | null;
}): PendingRequest {
	const listing = r.payload as Listing;
	return {
		id: r.id!,
		kind: r.providerId === null ? 'new' : 'update',
		name: listing.name,
		city: listing.city,
		state: listing.state,
		contactName: r.contactName!,
		createdAt: r.createdAt!,
		providerId: r.providerId,
		providerSlug: r.providerSlug,
		providerName: r.providerName,
		listingChanged:
			r.providerId === null || r.baseVersion === null || r.providerVersion === null
				? null
				: r.providerVersion !== r.baseVersion,
		hasMessage: Boolean(r.message)
	};
}

/** The queue: pending requests, oldest first. */
export async function pendingRequests(db: Database): Promise<PendingRequest[]> {
	const rows = await db
		.select(pendingColumns)
		.from(listingRequests)
		.leftJoin(providers, eq(providers.id, listingRequests.providerId))
		.where(eq(listingRequests.status, 'pending'))
		.orderBy(asc(listingRequests.createdAt), asc(listingRequests.id));
	return rows.map(pendingFrom);
}

/** One provider's pending update requests, oldest first (for its edit page). */
export async function pendingRequestsFor(
	db: Database,
	providerId: number
): Promise<PendingRequest[]> {
	const rows = await db
		.select(pendingColumns)
		.from(listingRequests)
		.leftJoin(providers, eq(providers.id, listingRequests.providerId))
		.where(and(eq(listingRequests.status, 'pending'), eq(listingRequests.providerId, providerId)))
		.orderBy(asc(listingRequests.createdAt), asc(listingRequests.id));
	return rows.map(pendingFrom);
}

export interface RequestDetail {
	id: number;
	kind: 'new' | 'update';
	status: 'pending' | 'approved' | 'rejected';
	listing: Listing;
	message: string | null;
	contactName: string;
	contactEmail: string;
	createdAt: Date;
	decisionReason: string | null;
	decidedAt: Date | null;
	decidedBy: string | null;
	/** The listing as it stands, for updates. */
	current: ProviderRecord | null;
	/** Updates: the listing as the provider saw it, or null when that is not known. */
	base: Listing | null;
	/** Pending updates: field by field, what approving would do. */
	merge: FieldMerge[] | null;
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
	const { request } = row;
	const listing = request.payload as Listing;
	const current =
		request.providerId === null ? null : await loadRecord(db, { id: request.providerId });
	const base = current ? baseOf(request, current) : null;
	return {
		id: request.id,
		kind: request.providerId === null ? 'new' : 'update',
		status: request.status,
		listing,
		message: request.message,
		contactName: request.contactName,
		contactEmail: request.contactEmail,
		createdAt: request.createdAt,
		decisionReason: request.decisionReason,
		decidedAt: request.decidedAt,
		decidedBy: row.decidedBy,
		current,
		base,
		// Once decided, the listing has moved on from the request: there is nothing left to merge.
		merge:
			current && request.status === 'pending' ? mergePlan(base, listing, current.listing) : null,
		located: locate(listing),
		suggestedSlug: current?.slug ?? (await uniqueSlug(db, `${listing.name}-${listing.city}`))
	};
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

/** Days a decided request keeps the requester's name, email and message (for follow-up questions). */
export const CONTACT_RETENTION_DAYS = 90;

/** Erases the private contact details and message of requests decided more than 90 days ago. */
export async function eraseOldContacts(db: Database, now = new Date()): Promise<number> {
	const cutoff = new Date(now.getTime() - CONTACT_RETENTION_DAYS * 86_400_000);
	const erased = await db
		.update(listingRequests)
		.set({ contactName: '', contactEmail: '', message: null })
		.where(
			and(
				ne(listingRequests.status, 'pending'),
				lt(listingRequests.decidedAt, cutoff),
				or(ne(listingRequests.contactEmail, ''), sql`${listingRequests.message} is not null`)
			)
		)
		.returning({ id: listingRequests.id });
	return erased.length;
}

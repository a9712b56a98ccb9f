import { and, asc, desc, eq, lt, ne, or, sql } from 'drizzle-orm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { CONDITION_CODES, type ConditionCode } from '../domain/conditions';
import type { ProviderKind, ProviderStatus } from '../domain/kinds';
import { listingLines } from '../domain/listing-view';
import {
	mergePlan,
	resolveMerge,
	type FieldMerge,
	type ListingFieldKey,
	type MergeChoice
} from '../domain/listing-merge';
import { ROUTE_CODES, type RouteCode } from '../domain/routes';
import { slugify } from '../domain/slug';
import { stateName, type StateCode } from '../domain/states';
import { recheckListing, type Listing, type ListingRequestInput } from '../schemas/listing';
import * as audit from './audit';
import { clientHashes } from './client-hash';
import { isUniqueViolation, type Database } from './db';
import {
	listingRequests,
	providerConditions,
	providerRoutes,
	providers,
	providerSlugHistory,
	providerTelehealthStates,
	users
} from './db/schema';
import { geocode } from './geocode';
import { providersChanged } from './events';

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
	/** Raised by one on every write to the provider. */
	version: number;
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
		version: row.version,
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

// Slugs ----------------------------------------------------------------------------------------

/** Who holds a slug: a provider using it now, or one that used it before (it redirects there). */
export type SlugHolder =
	| { former: false; providerId: number; name: string }
	| { former: true; providerId: number; name: string; currentSlug: string };

export async function slugHolder(
	db: Database,
	slug: string,
	exceptId?: number
): Promise<SlugHolder | null> {
	const [current] = await db
		.select({ providerId: providers.id, name: providers.name })
		.from(providers)
		.where(
			and(eq(providers.slug, slug), exceptId === undefined ? undefined : ne(providers.id, exceptId))
		);
	if (current) return { former: false, ...current };
	const [former] = await db
		.select({
			providerId: providers.id,
			name: providers.name,
			currentSlug: providers.slug
		})
		.from(providerSlugHistory)
		.innerJoin(providers, eq(providers.id, providerSlugHistory.providerId))
		.where(
			and(
				eq(providerSlugHistory.slug, slug),
				exceptId === undefined ? undefined : ne(providerSlugHistory.providerId, exceptId)
			)
		);
	return former ? { former: true, ...former } : null;
}

/** The field message for a slug another provider holds. */
export function slugInUse(slug: string, holder: SlugHolder): string {
	return holder.former
		? `“${slug}” was the address of ${holder.name} (now “${holder.currentSlug}”), and old links still lead there; choose another slug.`
		: `Another provider already uses the slug “${slug}” (${holder.name}).`;
}

export async function slugTaken(db: Database, slug: string, exceptId?: number): Promise<boolean> {
	return (await slugHolder(db, slug, exceptId)) !== null;
}

/** A slug no other provider uses or used: `base`, else `base-2`, `base-3`, … */
export async function uniqueSlug(db: Database, base: string, exceptId?: number): Promise<string> {
	const stem = slugify(base) || 'provider';
	const like = stem + '%';
	const [inUse, former] = await Promise.all([
		db
			.select({ slug: providers.slug })
			.from(providers)
			.where(
				and(
					sql`${providers.slug} like ${like}`,
					exceptId === undefined ? undefined : ne(providers.id, exceptId)
				)
			),
		db
			.select({ slug: providerSlugHistory.slug })
			.from(providerSlugHistory)
			.where(
				and(
					sql`${providerSlugHistory.slug} like ${like}`,
					exceptId === undefined ? undefined : ne(providerSlugHistory.providerId, exceptId)
				)
			)
	]);
	const taken = new Set([...inUse, ...former].map((r) => r.slug));
	let slug = stem;
	for (let n = 2; taken.has(slug); n++) slug = `${stem}-${n}`;
	return slug;
}

/**
 * Where a provider page asked for by `slug` lives now, when that is another address: the same
 * slug in lower case, or the current slug of the provider that used to have it. Only published
 * providers; null when there is nowhere to send the visitor.
 */
export async function currentSlugFor(db: Database, slug: string): Promise<string | null> {
	const wanted = slug.toLowerCase();
	const [row] = await db
		.select({ slug: providers.slug })
		.from(providers)
		.leftJoin(providerSlugHistory, eq(providerSlugHistory.providerId, providers.id))
		.where(
			and(
				eq(providers.status, 'published'),
				or(eq(providers.slug, wanted), eq(providerSlugHistory.slug, wanted))
			)
		)
		.orderBy(desc(sql`${providers.slug} = ${wanted}`))
		.limit(1);
	return row && row.slug !== slug ? row.slug : null;
}

/** After a rename: the old slug redirects to the provider; the new one is no longer "former". */
async function recordSlugChange(tx: Database, providerId: number, from: string, to: string) {
	await tx
		.delete(providerSlugHistory)
		.where(and(eq(providerSlugHistory.slug, to), eq(providerSlugHistory.providerId, providerId)));
	const now = new Date();
	await tx
		.insert(providerSlugHistory)
		.values({ slug: from, providerId, retiredAt: now })
		.onConflictDoUpdate({
			target: providerSlugHistory.slug,
			set: { providerId, retiredAt: now }
		});
}

/** The provider's row, locked for this transaction (FOR UPDATE); null when there is none. */
async function lockProvider(tx: Database, providerId: number) {
	const [row] = await tx
		.select({
			version: providers.version,
			status: providers.status,
			lastVerifiedAt: providers.lastVerifiedAt
		})
		.from(providers)
		.where(eq(providers.id, providerId))
		.for('update');
	return row ?? null;
}

/** Every write to a provider row sets this: the version moves on, whoever wrote. */
const nextVersion = () => sql`${providers.version} + 1`;

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
 * conditions; a changed slug leaves the old one redirecting here. Call inside a transaction.
 * Returns the provider's id.
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
		const [previous] = await tx
			.select({ slug: providers.slug })
			.from(providers)
			.where(eq(providers.id, id));
		await tx
			.update(providers)
			.set({ ...values, version: nextVersion() })
			.where(eq(providers.id, id));
		if (previous && previous.slug !== placement.slug) {
			await recordSlugChange(tx, id, previous.slug, placement.slug);
		}
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
export function auditView(record: Omit<ListingRecord, 'id' | 'updatedAt' | 'isDemo' | 'version'>) {
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
		const [row] = await db
			.select({ id: providers.id })
			.from(providers)
			.where(and(eq(providers.slug, slug), eq(providers.status, 'published')));
		const record = row ? await loadListing(db, row.id) : null;
		if (!record) {
			return {
				ok: false,
				code: 'not_found',
				message: `No published provider has the slug “${client.providerSlug}”.`
			};
		}
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
	current: ListingRecord | null;
	/** Updates: the listing as the provider saw it, or null when that is not known. */
	base: Listing | null;
	/** Pending updates: field by field, what approving would do. */
	merge: FieldMerge[] | null;
	/** Where the ZIP puts it, or why it cannot. */
	located: Located;
	suggestedSlug: string;
}

/**
 * The listing an update request started from: the one stored with it, else (requests older than
 * base snapshots) the current listing if nothing was written to the provider since the request.
 */
function baseOf(request: typeof listingRequests.$inferSelect, current: ListingRecord) {
	if (request.basePayload) return request.basePayload as Listing;
	return current.updatedAt.getTime() <= request.createdAt.getTime() ? current.listing : null;
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
	const current = request.providerId === null ? null : await loadListing(db, request.providerId);
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

type Invalid = { ok: false; code: 'invalid'; fields: Record<string, string> };

/**
 * Runs a write that sets a provider's slug. The check before it cannot see a transaction still
 * running alongside; if that one took the slug first, the unique index refuses this one, and the
 * moderator gets the same field message instead of an error page.
 */
async function claimingSlug<T>(
	slug: () => string | undefined,
	write: () => Promise<T>
): Promise<T | Invalid> {
	try {
		return await write();
	} catch (err) {
		if (!isUniqueViolation(err)) throw err;
		return {
			ok: false,
			code: 'invalid',
			fields: { slug: `Another provider already uses the slug “${slug() ?? ''}”.` }
		};
	}
}

/** The listing changed after the moderator's page showed it: nothing was written. */
export type Stale = { ok: false; code: 'stale'; message: string; version: number };

const staleSince = (version: number, updatedAt: Date): Stale => ({
	ok: false,
	code: 'stale',
	version,
	message: `The listing was changed at ${updatedAt.toISOString().slice(11, 16)} UTC, after this page was opened. Nothing was saved: check what changed, below, and try again.`
});

export type DecisionResult =
	{ ok: true; providerId: number; slug: string } | Undecidable | Invalid | Stale;

export interface Approval {
	slug?: string;
	lat?: number;
	lng?: number;
	reason?: string;
	/** Updates: the provider's version the moderator reviewed. A newer one refuses the approval. */
	version?: number;
	/** Updates: for each field both the provider and someone else changed, the value to keep. */
	choices?: Partial<Record<string, MergeChoice>>;
	/** Updates of a listing not on the site: put it back on (true) or leave its status (false). */
	publish?: boolean;
}

export const CHOOSE_VALUE = 'Choose which value the listing keeps.';
export const CHOOSE_PUBLISH =
	'The listing is not on the site now: choose whether approving puts it back on.';

/**
 * Approves a pending request: creates the provider (new), published and verified now; or applies
 * an update to the provider as it is now — only the fields the provider changed, and for each
 * field someone else changed too, the moderator's explicit choice. One transaction, under the
 * provider's row lock, with its audit entries.
 */
export async function approveRequest(
	db: Database,
	requestId: number,
	actor: { id: number },
	adjust: Approval = {}
): Promise<DecisionResult> {
	let attempted: string | undefined;
	const result = await claimingSlug(
		() => attempted,
		() =>
			db.transaction(async (tx): Promise<DecisionResult> => {
				const locked = await lockPending(tx, requestId);
				if (!locked.ok) return locked;
				const { request } = locked;
				const requested = request.payload as Listing;
				const existing =
					request.providerId !== null && (await lockProvider(tx, request.providerId))
						? await loadListing(tx, request.providerId)
						: null;
				if (existing && adjust.version !== undefined && adjust.version !== existing.version) {
					return staleSince(existing.version, existing.updatedAt);
				}

				let listing = requested;
				let applied: ListingFieldKey[] = [];
				let kept: ListingFieldKey[] = [];
				if (existing) {
					const plan = mergePlan(baseOf(request, existing), requested, existing.listing);
					const merged = resolveMerge(plan, existing.listing, requested, adjust.choices ?? {});
					const fields: Record<string, string> = {};
					for (const key of merged.missing) fields[`choice.${key}`] = CHOOSE_VALUE;
					if (existing.status !== 'published' && adjust.publish === undefined) {
						fields.publish = CHOOSE_PUBLISH;
					}
					if (Object.keys(fields).length) return { ok: false, code: 'invalid', fields };
					const checked = recheckListing(merged.listing);
					if (!checked.success) {
						return {
							ok: false,
							code: 'invalid',
							fields: {
								form: `Together, these choices break a listing rule: ${[...new Set(checked.error.issues.map((i) => i.message))].join(' ')} Choose differently, or approve and then edit the listing.`
							}
						};
					}
					listing = checked.data;
					applied = plan
						.filter(
							(f) =>
								f.outcome === 'take' ||
								(f.outcome === 'choose' && adjust.choices?.[f.key] === 'requested')
						)
						.map((f) => f.key);
					kept = plan
						.filter((f) => f.outcome === 'choose' && adjust.choices?.[f.key] === 'current')
						.map((f) => f.key);
				}

				let point: { lat: number; lng: number };
				if (adjust.lat !== undefined && adjust.lng !== undefined) {
					point = { lat: adjust.lat, lng: adjust.lng };
				} else if (
					existing &&
					existing.listing.zip === listing.zip &&
					existing.listing.state === listing.state
				) {
					point = { lat: existing.lat, lng: existing.lng };
				} else {
					const located = locate(listing);
					if (!located.ok) return { ok: false, code: 'invalid', fields: { lat: located.message } };
					point = located;
				}
				const slug =
					adjust.slug ??
					existing?.slug ??
					(await uniqueSlug(tx, `${requested.name}-${requested.city}`));
				attempted = slug;
				const holder = await slugHolder(tx, slug, existing?.id);
				if (holder)
					return { ok: false, code: 'invalid', fields: { slug: slugInUse(slug, holder) } };
				const now = new Date();
				const placement: Placement = {
					slug,
					...point,
					status:
						!existing || existing.status === 'published' || adjust.publish
							? 'published'
							: existing.status,
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
					after: existing
						? { status: 'approved', applied, kept }
						: { status: 'approved', listing: slug },
					reason: adjust.reason
				});
				await audit.record(tx, {
					actorId: actor.id,
					action: existing ? 'provider.update' : 'provider.create',
					entityType: 'provider',
					entityId: providerId,
					before: existing ? auditView(existing) : null,
					after: auditView({ ...placement, listing }),
					reason: `From listing request #${requestId}`
				});
				return { ok: true, providerId, slug };
			})
	);
	if (result.ok) providersChanged();
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

/** A field that changed between the listing an editor started from and the listing now. */
export interface ChangedField {
	label: string;
	was: string;
	now: string;
}

export type EditResult =
	| { ok: true; slug: string }
	| { ok: false; code: 'not_found'; message: string }
	| Invalid
	| (Stale & { changes: ChangedField[] });

/** The fields (and the slug) that differ between two versions of a listing, as the page shows them. */
export function changedFields(
	was: { slug: string; listing: Listing },
	now: { slug: string; listing: Listing }
): ChangedField[] {
	const before = listingLines(was.listing);
	const after = listingLines(now.listing);
	const changes = before
		.map((line, i) => ({ label: line.label, was: line.value, now: after[i].value }))
		.filter((c) => c.was !== c.now);
	if (was.slug !== now.slug) changes.unshift({ label: 'Slug', was: was.slug, now: now.slug });
	return changes;
}

/**
 * An admin or moderator rewrites a listing: every field, the slug and the map point. With the
 * version (and listing) the editor started from, a save over someone else's newer change to the
 * listing is refused, with that change described, instead of silently undoing it.
 */
export async function updateListing(
	db: Database,
	providerId: number,
	input: {
		listing: Listing;
		slug: string;
		lat: number;
		lng: number;
		reason?: string;
		version?: number;
		/** The listing and slug as the editor's form showed them. */
		base?: Listing;
		baseSlug?: string;
	},
	actor: { id: number }
): Promise<EditResult> {
	const result = await claimingSlug(
		() => input.slug,
		() =>
			db.transaction(async (tx): Promise<EditResult> => {
				if (!(await lockProvider(tx, providerId))) {
					return { ok: false, code: 'not_found', message: 'That provider does not exist.' };
				}
				const before = (await loadListing(tx, providerId))!;
				if (input.version !== undefined && input.version !== before.version) {
					// Another write since the form opened. Only a change to what this form edits is a
					// conflict; a status change or a verification is not.
					const changes = input.base
						? changedFields({ slug: input.baseSlug ?? before.slug, listing: input.base }, before)
						: null;
					if (changes === null || changes.length > 0) {
						return {
							...staleSince(before.version, before.updatedAt),
							changes: changes ?? []
						};
					}
				}
				const holder = await slugHolder(tx, input.slug, providerId);
				if (holder) {
					return { ok: false, code: 'invalid', fields: { slug: slugInUse(input.slug, holder) } };
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
	if (result.ok) providersChanged();
	return result;
}

export type ProviderChange = { status: ProviderStatus } | { verified: true };

/**
 * Inside a transaction: suspend, publish or unpublish a provider, or mark it verified now, with
 * its audit entry. 'unchanged' when it already had that status; 'not_found' when there is none.
 */
export async function changeProviderIn(
	tx: Database,
	providerId: number,
	change: ProviderChange,
	reason: string | undefined | null,
	actor: { id: number }
): Promise<'changed' | 'unchanged' | 'not_found'> {
	const before = await lockProvider(tx, providerId);
	if (!before) return 'not_found';
	if ('status' in change && before.status === change.status) return 'unchanged';
	const now = new Date();
	const set =
		'status' in change ? { status: change.status } : { lastVerifiedAt: now as Date | null };
	await tx
		.update(providers)
		.set({ ...set, updatedAt: now, version: nextVersion() })
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
	return 'changed';
}

/** Suspend, unsuspend (publish) or mark verified now; audited with the reason. */
export async function changeProvider(
	db: Database,
	providerId: number,
	change: ProviderChange,
	reason: string | undefined,
	actor: { id: number }
): Promise<boolean> {
	const outcome = await db.transaction((tx) =>
		changeProviderIn(tx, providerId, change, reason, actor)
	);
	if (outcome === 'changed') providersChanged();
	return outcome !== 'not_found';
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

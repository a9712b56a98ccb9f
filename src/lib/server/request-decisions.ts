import { eq } from 'drizzle-orm';
import {
	mergePlan,
	resolveMerge,
	type ListingFieldKey,
	type MergeChoice
} from '../domain/listing-merge';
import type { Listing, Placement, ProviderRecord } from '../domain/provider';
import { recheckListing } from '../schemas/listing';
import * as audit from './audit';
import type { Database } from './db';
import { listingRequests } from './db/schema';
import {
	auditView,
	claimingSlug,
	loadRecord,
	locate,
	lockProvider,
	providerTransaction,
	slugHolder,
	slugInUse,
	staleSince,
	uniqueSlug,
	writeListing,
	type Invalid,
	type Stale
} from './providers';

/**
 * Moderators' decisions on listing requests: approve (applying only the provider's changes,
 * docs/decisions/012-no-lost-updates.md) or reject, each under the request's row lock with its
 * audit entries.
 */

type ListingRequest = typeof listingRequests.$inferSelect;

/**
 * The listing an update request started from: the one stored with it, else (requests older than
 * base snapshots) the current listing if nothing was written to the provider since the request.
 */
export function baseOf(request: ListingRequest, current: ProviderRecord) {
	if (request.basePayload) return request.basePayload as Listing;
	return current.updatedAt.getTime() <= request.createdAt.getTime() ? current.listing : null;
}

type Undecidable = { ok: false; code: 'not_found' | 'not_pending'; message: string };

/** The request, locked for this transaction, while it is still pending. */
async function lockPending(
	tx: Database,
	requestId: number
): Promise<{ ok: true; request: ListingRequest } | Undecidable> {
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

/** Closes a pending request as approved or rejected, with its audit entry. */
async function recordDecision(
	tx: Database,
	requestId: number,
	decision: {
		status: 'approved' | 'rejected';
		providerId?: number;
		reason: string | undefined;
		after: object;
	},
	actor: { id: number },
	now: Date
) {
	await tx
		.update(listingRequests)
		.set({
			status: decision.status,
			...(decision.providerId === undefined ? {} : { providerId: decision.providerId }),
			decidedBy: actor.id,
			decidedAt: now,
			decisionReason: decision.reason ?? null
		})
		.where(eq(listingRequests.id, requestId));
	await audit.record(tx, {
		actorId: actor.id,
		action: decision.status === 'approved' ? 'request.approve' : 'request.reject',
		entityType: 'listing_request',
		entityId: requestId,
		before: { status: 'pending' },
		after: decision.after,
		reason: decision.reason
	});
}

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

/** The provider an update request is for, locked, as it is now; null for a new listing. */
async function lockTarget(tx: Database, request: ListingRequest): Promise<ProviderRecord | null> {
	if (request.providerId === null || !(await lockProvider(tx, request.providerId))) return null;
	return loadRecord(tx, { id: request.providerId });
}

interface Merged {
	ok: true;
	listing: Listing;
	/** Fields the provider changed that the listing takes. */
	applied: ListingFieldKey[];
	/** Fields the provider changed where the moderator kept the current value. */
	kept: ListingFieldKey[];
}

/**
 * An update applied to the listing as it is now: the provider's changes, and for each field
 * someone else changed too, the moderator's choice — refused while a choice is missing or when
 * the result breaks a listing rule.
 */
function mergeUpdate(
	request: ListingRequest,
	existing: ProviderRecord,
	adjust: Approval
): Merged | Invalid {
	const requested = request.payload as Listing;
	const choices = adjust.choices ?? {};
	const plan = mergePlan(baseOf(request, existing), requested, existing.listing);
	const merged = resolveMerge(plan, existing.listing, requested, choices);
	const fields: Record<string, string> = {};
	for (const key of merged.missing) fields[`choice.${key}`] = CHOOSE_VALUE;
	if (existing.status !== 'published' && adjust.publish === undefined) {
		fields.publish = CHOOSE_PUBLISH;
	}
	if (Object.keys(fields).length) return { ok: false, code: 'invalid', fields };
	const checked = recheckListing(merged.listing);
	if (!checked.success) {
		const broken = [...new Set(checked.error.issues.map((i) => i.message))].join(' ');
		return {
			ok: false,
			code: 'invalid',
			fields: {
				form: `Together, these choices break a listing rule: ${broken} Choose differently, or approve and then edit the listing.`
			}
		};
	}
	const applied = plan.filter(
		(f) => f.outcome === 'take' || (f.outcome === 'choose' && choices[f.key] === 'requested')
	);
	const kept = plan.filter((f) => f.outcome === 'choose' && choices[f.key] === 'current');
	return {
		ok: true,
		listing: checked.data,
		applied: applied.map((f) => f.key),
		kept: kept.map((f) => f.key)
	};
}

/** The map point: the moderator's, else the current one while the ZIP stays, else the ZIP's centre. */
function pointFor(
	listing: Listing,
	existing: ProviderRecord | null,
	adjust: Approval
): { ok: true; lat: number; lng: number } | Invalid {
	if (adjust.lat !== undefined && adjust.lng !== undefined) {
		return { ok: true, lat: adjust.lat, lng: adjust.lng };
	}
	if (
		existing &&
		existing.listing.zip === listing.zip &&
		existing.listing.state === listing.state
	) {
		return { ok: true, lat: existing.lat, lng: existing.lng };
	}
	const located = locate(listing);
	if (!located.ok) return { ok: false, code: 'invalid', fields: { lat: located.message } };
	return { ok: true, lat: located.lat, lng: located.lng };
}

/** The moderator's slug, else the current one, else a fresh one from the requested name and city. */
async function slugFor(
	tx: Database,
	request: ListingRequest,
	existing: ProviderRecord | null,
	adjust: Approval
): Promise<string> {
	const requested = request.payload as Listing;
	return (
		adjust.slug ?? existing?.slug ?? (await uniqueSlug(tx, `${requested.name}-${requested.city}`))
	);
}

/** Where the approved listing goes: published (unless the moderator keeps it off) and verified now. */
function placementFor(
	slug: string,
	point: { lat: number; lng: number },
	existing: ProviderRecord | null,
	adjust: Approval,
	now: Date
): Placement {
	const status =
		!existing || existing.status === 'published' || adjust.publish ? 'published' : existing.status;
	return {
		slug,
		lat: point.lat,
		lng: point.lng,
		status,
		lastVerifiedAt: now
	};
}

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
	return claimingSlug(
		() => attempted,
		() =>
			providerTransaction(db, async (tx): Promise<DecisionResult> => {
				const locked = await lockPending(tx, requestId);
				if (!locked.ok) return locked;
				const { request } = locked;
				const existing = await lockTarget(tx, request);
				if (existing && adjust.version !== undefined && adjust.version !== existing.version) {
					return staleSince(existing.version, existing.updatedAt);
				}
				const merged = existing
					? mergeUpdate(request, existing, adjust)
					: { ok: true as const, listing: request.payload as Listing, applied: [], kept: [] };
				if (!merged.ok) return merged;
				const { listing } = merged;
				const point = pointFor(listing, existing, adjust);
				if (!point.ok) return point;
				const slug = (attempted = await slugFor(tx, request, existing, adjust));
				const holder = await slugHolder(tx, slug, existing?.id);
				if (holder)
					return { ok: false, code: 'invalid', fields: { slug: slugInUse(slug, holder) } };

				const now = new Date();
				const placement = placementFor(slug, point, existing, adjust, now);
				const providerId = await writeListing(tx, listing, placement, existing?.id);
				await recordDecision(
					tx,
					requestId,
					{
						status: 'approved',
						providerId,
						reason: adjust.reason,
						after: existing
							? { status: 'approved', applied: merged.applied, kept: merged.kept }
							: { status: 'approved', listing: slug }
					},
					actor,
					now
				);
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
		const decision = { status: 'rejected' as const, reason, after: { status: 'rejected' } };
		await recordDecision(tx, requestId, decision, actor, new Date());
		return { ok: true };
	});
}

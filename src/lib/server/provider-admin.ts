import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { ProviderKind, ProviderStatus } from '../domain/kinds';
import type { Listing, Placement } from '../domain/provider';
import { listingLines } from '../domain/provider-fields';
import type { StateCode } from '../domain/states';
import {
	adminListingSchema,
	listingFieldErrors,
	listingFormValues,
	type AdminListingInput
} from '../schemas/listing';
import { PROVIDER_PAGE_SIZE, type ProviderSearch } from '../schemas/provider-admin';
import { oneRow, type Database } from './db';
import { annotations, auditLog, problemReports, providers, users } from './db/schema';
import {
	auditView,
	claimingSlug,
	loadRecord,
	locate,
	lockProvider,
	providerTransaction,
	setStatus,
	slugHolder,
	slugInUse,
	staleSince,
	verify,
	writeListing,
	type Invalid,
	type Stale,
	type StatusOutcome
} from './providers';
import * as audit from './audit';

/**
 * What moderators need to find and keep listings: search, the edit form's input, their edits
 * (guarded against overwriting a newer change), status changes and verification, history.
 */

export interface ProviderRow {
	id: number;
	slug: string;
	name: string;
	city: string;
	state: StateCode;
	zip: string;
	kinds: ProviderKind[];
	status: ProviderStatus;
	isDemo: boolean;
	lastVerifiedAt: Date | null;
}

export interface ProviderPage {
	rows: ProviderRow[];
	total: number;
	page: number;
	perPage: number;
}

/** `%` and `_` typed by a moderator are letters, not wildcards. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Every provider, whatever its status, by name; 50 a page. */
export async function findProviders(
	db: Database,
	filters: Partial<ProviderSearch> = {}
): Promise<ProviderPage> {
	const page = filters.page ?? 1;
	const where: SQL[] = [];
	if (filters.q) {
		const pattern = `%${likeEscape(filters.q)}%`;
		where.push(
			or(
				ilike(providers.name, pattern),
				ilike(providers.slug, pattern),
				ilike(providers.city, pattern),
				ilike(providers.zip, pattern)
			)!
		);
	}
	if (filters.state) where.push(eq(providers.state, filters.state));
	if (filters.status) where.push(eq(providers.status, filters.status));
	if (filters.demo) where.push(eq(providers.isDemo, filters.demo === 'yes'));
	const condition = and(...where);
	const [totals, rows] = await Promise.all([
		db.select({ total: count() }).from(providers).where(condition),
		db
			.select({
				id: providers.id,
				slug: providers.slug,
				name: providers.name,
				city: providers.city,
				state: providers.state,
				zip: providers.zip,
				kinds: providers.kinds,
				status: providers.status,
				isDemo: providers.isDemo,
				lastVerifiedAt: providers.lastVerifiedAt
			})
			.from(providers)
			.where(condition)
			.orderBy(asc(sql`lower(${providers.name})`), asc(providers.id))
			.limit(PROVIDER_PAGE_SIZE)
			.offset((page - 1) * PROVIDER_PAGE_SIZE)
	]);
	const { total } = oneRow(totals);
	return {
		total,
		page,
		perPage: PROVIDER_PAGE_SIZE,
		rows: rows.map((r) => ({ ...r, state: r.state, kinds: r.kinds }))
	};
}

export type ListingEdit =
	| { ok: true; input: AdminListingInput; values: Record<string, string | string[]> }
	| { ok: false; values: Record<string, string | string[]>; errors: Record<string, string> };

const blank = (value: string | string[] | undefined) =>
	value === undefined || (typeof value === 'string' && value.trim() === '');

/**
 * The admin edit form, checked with the shared schema. Clearing both latitude and longitude puts
 * the pin at the ZIP code's centre; the flat values come back on failure to fill the form again.
 */
export function parseListingEdit(form: FormData): ListingEdit {
	const { flat, nested } = listingFormValues(form);
	const latBlank = blank(flat.lat);
	const lngBlank = blank(flat.lng);
	const useZip = latBlank && lngBlank;
	// z.coerce reads a blank box as 0, a real place in the Gulf of Guinea: say so instead.
	const parsed = adminListingSchema.safeParse(useZip ? { ...nested, lat: '0', lng: '0' } : nested);
	const errors = parsed.success ? {} : listingFieldErrors(parsed.error);
	if (!useZip && latBlank) {
		errors.lat = 'Enter the latitude too, or clear both to use the ZIP code’s centre.';
	}
	if (!useZip && lngBlank) {
		errors.lng = 'Enter the longitude too, or clear both to use the ZIP code’s centre.';
	}
	if (!parsed.success || Object.keys(errors).length) return { ok: false, values: flat, errors };
	const input = parsed.data;
	if (useZip) {
		const located = locate(input.listing);
		if (!located.ok) return { ok: false, values: flat, errors: { lat: located.message } };
		input.lat = located.lat;
		input.lng = located.lng;
	}
	return { ok: true, input, values: flat };
}

export interface HistoryEntry {
	id: number;
	createdAt: Date;
	action: string;
	entityType: string;
	entityId: string;
	actorEmail: string | null;
	actorId: number | null;
	reason: string | null;
}

/**
 * The audit entries about a provider, newest first: its own, and those of its editorial notes
 * and problem reports.
 */
export async function providerHistory(
	db: Database,
	providerId: number,
	limit = 25
): Promise<HistoryEntry[]> {
	const notes = db
		.select({ id: sql<string>`${annotations.id}::text` })
		.from(annotations)
		.where(eq(annotations.providerId, providerId));
	const reports = db
		.select({ id: sql<string>`${problemReports.id}::text` })
		.from(problemReports)
		.where(eq(problemReports.providerId, providerId));
	return db
		.select({
			id: auditLog.id,
			createdAt: auditLog.createdAt,
			action: auditLog.action,
			entityType: auditLog.entityType,
			entityId: auditLog.entityId,
			actorId: auditLog.actorId,
			actorEmail: users.email,
			reason: auditLog.reason
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(
			or(
				and(eq(auditLog.entityType, 'provider'), eq(auditLog.entityId, String(providerId))),
				and(eq(auditLog.entityType, 'annotation'), inArray(auditLog.entityId, notes)),
				and(eq(auditLog.entityType, 'problem_report'), inArray(auditLog.entityId, reports))
			)
		)
		.orderBy(desc(auditLog.createdAt), desc(auditLog.id))
		.limit(limit);
}

export async function providerStatus(
	db: Database,
	providerId: number
): Promise<ProviderStatus | null> {
	const [row] = await db
		.select({ status: providers.status })
		.from(providers)
		.where(eq(providers.id, providerId));
	return row?.status ?? null;
}

// Moderator edits --------------------------------------------------------------------------------

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
		.map((line, i) => ({ label: line.label, was: line.value, now: after[i]?.value ?? '' }))
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
	return claimingSlug(
		() => input.slug,
		() =>
			providerTransaction(db, async (tx): Promise<EditResult> => {
				if (!(await lockProvider(tx, providerId))) {
					return { ok: false, code: 'not_found', message: 'That provider does not exist.' };
				}
				const before = (await loadRecord(tx, { id: providerId }))!;
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
}

/**
 * Suspend or publish a provider, audited with the reason: 'unchanged' when it already had that
 * status (another moderator was first), decided under the provider's row lock.
 */
export function changeStatus(
	db: Database,
	providerId: number,
	status: ProviderStatus,
	reason: string | undefined,
	actor: { id: number }
): Promise<StatusOutcome> {
	return providerTransaction(db, (tx) => setStatus(tx, providerId, status, { reason, actor }));
}

/** Mark a provider verified now, audited with the reason. */
export function markVerified(
	db: Database,
	providerId: number,
	reason: string | undefined,
	actor: { id: number }
): Promise<StatusOutcome> {
	return providerTransaction(db, (tx) => verify(tx, providerId, { reason, actor }));
}

/** Suspend, unsuspend (publish) or mark verified now; false when there is no such provider. */
export async function changeProvider(
	db: Database,
	providerId: number,
	change: { status: ProviderStatus } | { verified: true },
	reason: string | undefined,
	actor: { id: number }
): Promise<boolean> {
	const outcome =
		'status' in change
			? await changeStatus(db, providerId, change.status, reason, actor)
			: await markVerified(db, providerId, reason, actor);
	return outcome !== 'not_found';
}

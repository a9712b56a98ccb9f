import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { ProviderKind, ProviderStatus } from '../domain/kinds';
import type { StateCode } from '../domain/states';
import {
	adminListingSchema,
	listingFieldErrors,
	listingFormValues,
	type AdminListingInput
} from '../schemas/listing';
import { PROVIDER_PAGE_SIZE, type ProviderSearch } from '../schemas/provider-admin';
import type { Database } from './db';
import { annotations, auditLog, problemReports, providers, users } from './db/schema';
import { locate } from './listings';

/** What moderators need to find and keep listings: search, the edit form's input, history. */

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
	const [[{ total }], rows] = await Promise.all([
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
	return {
		total,
		page,
		perPage: PROVIDER_PAGE_SIZE,
		rows: rows.map((r) => ({ ...r, state: r.state as StateCode, kinds: r.kinds as ProviderKind[] }))
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

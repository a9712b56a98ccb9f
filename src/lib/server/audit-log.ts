import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { conditionLabel, type ConditionCode } from '../domain/conditions';
import { kindLabel, type ProviderKind } from '../domain/kinds';
import { formatPriceRange, formatUsd } from '../domain/money';
import { ratingReportReasonLabel, reportReasonLabel } from '../domain/reports';
import { ROUTES } from '../domain/routes';
import {
	AUDIT_ENTITY_LABELS,
	AUDIT_PAGE_SIZE,
	auditActionLabel,
	SYSTEM_ACTOR,
	type AuditFilters
} from '../schemas/audit';
import type { Database } from './db';
import {
	annotations,
	auditLog,
	listingRequests,
	problemReports,
	providers,
	ratings,
	users
} from './db/schema';

/** Reading the append-only audit log (writing is audit.ts's job). */

export interface AuditChange {
	key: string;
	/** The field in words. */
	label: string;
	before: string;
	after: string;
}

/** What an entry is about, in words, with the admin page to see it on. */
export interface AuditEntity {
	type: string;
	label: string;
	href: string | null;
}

export interface AuditRow {
	id: number;
	createdAt: Date;
	actorId: number | null;
	/** Null when the entry has no actor (the app itself) or the actor's account is gone. */
	actorEmail: string | null;
	action: string;
	actionLabel: string;
	entityType: string;
	entityId: string;
	entity: AuditEntity;
	reason: string | null;
	/** Field by field, what the action changed, in words. */
	changes: AuditChange[];
}

export interface AuditPage {
	entries: AuditRow[];
	total: number;
	page: number;
	perPage: number;
}

export type AuditQuery = Omit<AuditFilters, 'page'> & { page?: number };

const DAY_MS = 86_400_000;

function conditions(filters: AuditQuery): SQL[] {
	const where: SQL[] = [];
	if (filters.actor === SYSTEM_ACTOR) where.push(isNull(auditLog.actorId));
	else if (filters.actor !== undefined) where.push(eq(auditLog.actorId, filters.actor));
	if (filters.action) where.push(eq(auditLog.action, filters.action));
	if (filters.entityType) where.push(eq(auditLog.entityType, filters.entityType));
	if (filters.entityId) where.push(eq(auditLog.entityId, filters.entityId));
	// Dates are whole UTC days, both ends included.
	if (filters.from) where.push(gte(auditLog.createdAt, new Date(`${filters.from}T00:00:00Z`)));
	if (filters.to) {
		where.push(lt(auditLog.createdAt, new Date(Date.parse(`${filters.to}T00:00:00Z`) + DAY_MS)));
	}
	return where;
}

/** Newest first, AUDIT_PAGE_SIZE a page. */
export async function listAudit(db: Database, filters: AuditQuery = {}): Promise<AuditPage> {
	const page = filters.page ?? 1;
	const where = and(...conditions(filters));
	const [[{ total }], rows] = await Promise.all([
		db.select({ total: count() }).from(auditLog).where(where),
		db
			.select({
				id: auditLog.id,
				createdAt: auditLog.createdAt,
				actorId: auditLog.actorId,
				actorEmail: users.email,
				action: auditLog.action,
				entityType: auditLog.entityType,
				entityId: auditLog.entityId,
				reason: auditLog.reason,
				before: auditLog.before,
				after: auditLog.after
			})
			.from(auditLog)
			.leftJoin(users, eq(users.id, auditLog.actorId))
			.where(where)
			.orderBy(desc(auditLog.createdAt), desc(auditLog.id))
			.limit(AUDIT_PAGE_SIZE)
			.offset((page - 1) * AUDIT_PAGE_SIZE)
	]);
	const entities = await entitiesOf(db, rows);
	return {
		total,
		page,
		perPage: AUDIT_PAGE_SIZE,
		entries: rows.map(({ before, after, ...row }) => ({
			...row,
			actionLabel: auditActionLabel(row.action),
			entity: entities.get(`${row.entityType}:${row.entityId}`) ?? {
				type: AUDIT_ENTITY_LABELS[row.entityType] ?? row.entityType,
				label: `${AUDIT_ENTITY_LABELS[row.entityType] ?? row.entityType} (no longer on file)`,
				href: null
			},
			changes: diff(before, after)
		}))
	};
}

/** What one record is, in words (for "entries about …"), or null when it is not on file. */
export async function describeEntity(
	db: Database,
	entityType: string,
	entityId: string
): Promise<AuditEntity | null> {
	const found = await entitiesOf(db, [{ entityType, entityId }]);
	return found.get(`${entityType}:${entityId}`) ?? null;
}

/** The ids of one entity type among the entries, as numbers. */
function idsOf(rows: { entityType: string; entityId: string }[], type: string): number[] {
	return [
		...new Set(
			rows
				.filter((r) => r.entityType === type && /^\d{1,9}$/.test(r.entityId))
				.map((r) => Number(r.entityId))
		)
	];
}

/** Names for what the entries are about: a listing's name, an account's email, … */
async function entitiesOf(
	db: Database,
	rows: { entityType: string; entityId: string }[]
): Promise<Map<string, AuditEntity>> {
	const ids = (type: string) => idsOf(rows, type);
	const none = Promise.resolve([]);
	const [listed, accounts, requests, reports, rated, notes] = await Promise.all([
		ids('provider').length
			? db
					.select({ id: providers.id, name: providers.name })
					.from(providers)
					.where(inArray(providers.id, ids('provider')))
			: none,
		ids('user').length
			? db
					.select({ id: users.id, email: users.email })
					.from(users)
					.where(inArray(users.id, ids('user')))
			: none,
		ids('listing_request').length
			? db
					.select({
						id: listingRequests.id,
						name: sql<string>`${listingRequests.payload}->>'name'`
					})
					.from(listingRequests)
					.where(inArray(listingRequests.id, ids('listing_request')))
			: none,
		ids('problem_report').length
			? db
					.select({
						id: problemReports.id,
						reason: problemReports.reason,
						ratingId: problemReports.ratingId,
						providerId: providers.id,
						name: providers.name
					})
					.from(problemReports)
					.innerJoin(providers, eq(providers.id, problemReports.providerId))
					.where(inArray(problemReports.id, ids('problem_report')))
			: none,
		ids('rating').length
			? db
					.select({
						id: ratings.id,
						overall: ratings.overall,
						providerId: providers.id,
						name: providers.name
					})
					.from(ratings)
					.innerJoin(providers, eq(providers.id, ratings.providerId))
					.where(inArray(ratings.id, ids('rating')))
			: none,
		ids('annotation').length
			? db
					.select({
						id: annotations.id,
						title: annotations.title,
						providerId: providers.id,
						name: providers.name
					})
					.from(annotations)
					.innerJoin(providers, eq(providers.id, annotations.providerId))
					.where(inArray(annotations.id, ids('annotation')))
			: none
	]);
	const map = new Map<string, AuditEntity>();
	const put = (type: string, id: number, label: string, href: string | null) =>
		map.set(`${type}:${id}`, { type: AUDIT_ENTITY_LABELS[type] ?? type, label, href });
	for (const p of listed) put('provider', p.id, p.name, `/admin/providers/${p.id}`);
	for (const u of accounts) put('user', u.id, u.email, `/admin/users#user-${u.id}`);
	for (const r of requests) {
		put('listing_request', r.id, `#${r.id}: ${r.name}`, `/admin/requests/${r.id}`);
	}
	for (const r of reports) {
		const reason =
			r.ratingId === null ? reportReasonLabel(r.reason) : ratingReportReasonLabel(r.reason);
		put('problem_report', r.id, `About ${r.name}: ${reason}`, `/admin/providers/${r.providerId}`);
	}
	for (const r of rated) {
		put(
			'rating',
			r.id,
			`${r.overall}-star rating of ${r.name}`,
			`/admin/providers/${r.providerId}`
		);
	}
	for (const n of notes) {
		put('annotation', n.id, `“${n.title}” on ${n.name}`, `/admin/providers/${n.providerId}`);
	}
	return map;
}

export interface AuditFilterOptions {
	actors: { id: number; email: string }[];
	actions: string[];
	entityTypes: string[];
}

/** Choices for the filter form: every account, and the actions and entity types in the log. */
export async function auditFilterOptions(db: Database): Promise<AuditFilterOptions> {
	const [actors, actions, entityTypes] = await Promise.all([
		db.select({ id: users.id, email: users.email }).from(users).orderBy(asc(users.email)),
		db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action)),
		db
			.selectDistinct({ entityType: auditLog.entityType })
			.from(auditLog)
			.orderBy(asc(auditLog.entityType))
	]);
	return {
		actors,
		actions: actions.map((r) => r.action),
		entityTypes: entityTypes.map((r) => r.entityType)
	};
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const ABSENT = '—';
const MAX_SHOWN = 160;

/** Field names in words; listing fields as the listing form calls them. */
const FIELD_LABELS: Record<string, string> = {
	slug: 'Address (slug)',
	status: 'Status',
	lat: 'Map latitude',
	lng: 'Map longitude',
	lastVerifiedAt: 'Last verified',
	name: 'Name',
	kinds: 'Kinds',
	description: 'Description',
	street: 'Street',
	city: 'City',
	state: 'State',
	zip: 'ZIP',
	phone: 'Phone',
	website: 'Website',
	email: 'Email',
	consultFee: 'Consultation fee',
	acceptsInsurance: 'Accepts insurance',
	insuranceNotes: 'Insurance notes',
	offersPsychotherapy: 'Psychotherapy / integration',
	telehealthStates: 'Telehealth licences',
	conditions: 'Conditions treated',
	role: 'Role',
	disabledAt: 'Disabled',
	password: 'Password',
	sessionsEnded: 'Sessions ended',
	reportsClosed: 'Reports closed',
	applied: 'Applied from the request',
	kept: 'Kept (moderator’s choice)',
	listing: 'Listing address',
	providerId: 'Listing',
	title: 'Title',
	body: 'Note',
	retiredAt: 'Retired',
	...Object.fromEntries(ROUTES.map((r) => [`routes.${r.code}`, r.label]))
};

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? key;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const when = new Intl.DateTimeFormat('en-US', {
	dateStyle: 'medium',
	timeStyle: 'short',
	timeZone: 'UTC'
});

/** One value as a person reads it. */
function readable(key: string, value: unknown): string {
	if (value === undefined || value === null || value === '') return ABSENT;
	if (typeof value === 'boolean') return value ? 'Yes' : 'No';
	if (typeof value === 'string' && ISO_TIME.test(value)) {
		const time = new Date(value);
		return Number.isNaN(time.getTime()) ? value : `${when.format(time)} UTC`;
	}
	if (key === 'consultFee' && typeof value === 'number') return formatUsd(value);
	if (Array.isArray(value)) {
		if (value.length === 0) return 'none';
		if (key === 'kinds') return value.map((k) => kindLabel(k as ProviderKind)).join(', ');
		if (key === 'conditions')
			return value.map((c) => conditionLabel(c as ConditionCode)).join(', ');
		if (key === 'applied' || key === 'kept')
			return value.map((k) => fieldLabel(String(k))).join(', ');
		if (key === 'reportsClosed') return String(value.length);
		return value.map((v) => (typeof v === 'string' ? v : readable('', v))).join(', ');
	}
	if (isRecord(value)) {
		return Object.entries(value)
			.map(([k, v]) => `${fieldLabel(k)}: ${readable(k, v)}`)
			.join('; ');
	}
	return String(value);
}

/** A route offer as the listing shows it. */
function offerText(offer: Record<string, unknown>): string {
	const n = (v: unknown) => (typeof v === 'number' ? v : null);
	return [
		formatPriceRange(n(offer.priceMin), n(offer.priceMax)) ?? 'price not given',
		typeof offer.seriesPrice === 'number' ? `series ${formatUsd(offer.seriesPrice)}` : null,
		typeof offer.notes === 'string' ? offer.notes : null
	]
		.filter(Boolean)
		.join('; ');
}

/** A listing's `routes` list as one field per route offered (`routes.iv`: "$400–$650"). */
function spreadRoutes(record: Record<string, unknown>, other: Record<string, unknown>) {
	if (!Array.isArray(record.routes) && !Array.isArray(other.routes)) return record;
	const { routes, ...rest } = record;
	const offers = new Map(
		(Array.isArray(routes) ? routes : [])
			.filter(isRecord)
			.map((r) => [String(r.code), offerText(r)] as const)
	);
	const codes = new Set([
		...offers.keys(),
		...(Array.isArray(other.routes) ? other.routes.filter(isRecord).map((r) => String(r.code)) : [])
	]);
	const spread: Record<string, unknown> = { ...rest };
	for (const code of ROUTES.map((r) => r.code as string).filter((c) => codes.has(c))) {
		spread[`routes.${code}`] = Array.isArray(routes)
			? (offers.get(code) ?? 'not offered')
			: undefined;
	}
	return spread;
}

function compact(text: string): string {
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/**
 * The fields whose values differ between `before` and `after`, in first-seen order, each with
 * its name and both values in words ("—" when absent). Non-object values compare as one "value".
 */
export function diff(before: unknown, after: unknown): AuditChange[] {
	const b0 = isRecord(before) ? before : before == null ? {} : { value: before };
	const a0 = isRecord(after) ? after : after == null ? {} : { value: after };
	const b = spreadRoutes(b0, a0);
	const a = spreadRoutes(a0, b0);
	const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
	return keys
		.filter((key) => JSON.stringify(b[key]) !== JSON.stringify(a[key]))
		.map((key) => ({
			key,
			label: fieldLabel(key),
			before: compact(readable(key, b[key])),
			after: compact(readable(key, a[key]))
		}));
}

import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { ratingReportReasonLabel, reportReasonLabel } from '../domain/reports';
import {
	AUDIT_ENTITY_LABELS,
	AUDIT_PAGE_SIZE,
	auditActionLabel,
	SYSTEM_ACTOR,
	type AuditFilters
} from '../schemas/audit';
import { diff, type AuditChange } from './audit-diff';
import { oneRow, type Database } from './db';
import {
	annotations,
	auditLog,
	listingRequests,
	problemReports,
	providers,
	ratings,
	users
} from './db/schema';

/** Reading the append-only audit log (writing is audit.ts's job; changes in words, audit-diff.ts). */

export { diff, type AuditChange } from './audit-diff';

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
	const [totals, rows] = await Promise.all([
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
	const { total } = oneRow(totals);
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

/** The provider a report, rating or note is about. */
const aboutProvider = { providerId: providers.id, name: providers.name };

/** Names for what the entries are about: a listing's name, an account's email, … */
async function entitiesOf(
	db: Database,
	rows: { entityType: string; entityId: string }[]
): Promise<Map<string, AuditEntity>> {
	/** The query for one entity type's ids, run only when the entries name some. */
	const lookup = <T>(type: string, query: (ids: number[]) => Promise<T[]>): Promise<T[]> => {
		const ids = idsOf(rows, type);
		return ids.length ? query(ids) : Promise.resolve([]);
	};
	const [listed, accounts, requests, reports, rated, notes] = await Promise.all([
		lookup('provider', (ids) =>
			db
				.select({ id: providers.id, name: providers.name })
				.from(providers)
				.where(inArray(providers.id, ids))
		),
		lookup('user', (ids) =>
			db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids))
		),
		lookup('listing_request', (ids) =>
			db
				.select({ id: listingRequests.id, name: sql<string>`${listingRequests.payload}->>'name'` })
				.from(listingRequests)
				.where(inArray(listingRequests.id, ids))
		),
		lookup('problem_report', (ids) =>
			db
				.select({
					id: problemReports.id,
					reason: problemReports.reason,
					ratingId: problemReports.ratingId,
					...aboutProvider
				})
				.from(problemReports)
				.innerJoin(providers, eq(providers.id, problemReports.providerId))
				.where(inArray(problemReports.id, ids))
		),
		lookup('rating', (ids) =>
			db
				.select({ id: ratings.id, overall: ratings.overall, ...aboutProvider })
				.from(ratings)
				.innerJoin(providers, eq(providers.id, ratings.providerId))
				.where(inArray(ratings.id, ids))
		),
		lookup('annotation', (ids) =>
			db
				.select({ id: annotations.id, title: annotations.title, ...aboutProvider })
				.from(annotations)
				.innerJoin(providers, eq(providers.id, annotations.providerId))
				.where(inArray(annotations.id, ids))
		)
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

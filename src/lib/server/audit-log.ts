import { and, asc, count, desc, eq, gte, isNull, lt, type SQL } from 'drizzle-orm';
import { AUDIT_PAGE_SIZE, SYSTEM_ACTOR, type AuditFilters } from '../schemas/audit';
import type { Database } from './db';
import { auditLog, users } from './db/schema';

/** Reading the append-only audit log (writing is audit.ts's job). */

export interface AuditChange {
	key: string;
	before: string;
	after: string;
}

export interface AuditRow {
	id: number;
	createdAt: Date;
	actorId: number | null;
	/** Null when the entry has no actor (the app itself) or the actor's account is gone. */
	actorEmail: string | null;
	action: string;
	entityType: string;
	entityId: string;
	reason: string | null;
	changes: AuditChange[];
	/** Pretty-printed JSON, or null when the entry has none. */
	before: string | null;
	after: string | null;
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
	return {
		total,
		page,
		perPage: AUDIT_PAGE_SIZE,
		entries: rows.map((row) => ({
			...row,
			changes: diff(row.before, row.after),
			before: pretty(row.before),
			after: pretty(row.after)
		}))
	};
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

function compact(value: unknown): string {
	if (value === undefined) return ABSENT;
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function pretty(value: unknown): string | null {
	return value === null || value === undefined ? null : JSON.stringify(value, null, 2);
}

/**
 * The keys whose values differ between `before` and `after`, in first-seen order; values are
 * shown as compact text and "—" when absent. Non-object values compare as one "value" key.
 */
export function diff(before: unknown, after: unknown): AuditChange[] {
	const b = isRecord(before) ? before : before == null ? {} : { value: before };
	const a = isRecord(after) ? after : after == null ? {} : { value: after };
	const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
	return keys
		.filter((key) => JSON.stringify(b[key]) !== JSON.stringify(a[key]))
		.map((key) => ({ key, before: compact(b[key]), after: compact(a[key]) }));
}

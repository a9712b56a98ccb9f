import type { Database } from './db';
import { auditLog } from './db/schema';

export interface AuditEntry {
	actorId: number | null;
	action: string;
	entityType: string;
	entityId: string | number;
	before?: unknown;
	after?: unknown;
	reason?: string | null;
}

/** Appends to the audit log; call with the transaction that made the change. */
export async function record(db: Database, entry: AuditEntry): Promise<void> {
	await db.insert(auditLog).values({
		actorId: entry.actorId,
		action: entry.action,
		entityType: entry.entityType,
		entityId: String(entry.entityId),
		before: entry.before ?? null,
		after: entry.after ?? null,
		reason: entry.reason ?? null
	});
}

import { requireRole } from '$lib/server/auth';
import * as auditLog from '$lib/server/audit-log';
import { auditFilterSchema } from '$lib/schemas/audit';
import { parseQuery } from '$lib/schemas/query';
import type { PageServerLoad } from './$types';

const FIELDS = ['actor', 'action', 'entityType', 'entityId', 'from', 'to', 'page'] as const;

export const load: PageServerLoad = async (event) => {
	requireRole(event, ['admin']);
	const { db } = event.locals;
	// What was asked for, as typed, to fill the form again (valid or not).
	const values = Object.fromEntries(
		FIELDS.map((f) => [f, event.url.searchParams.get(f)?.trim() ?? ''])
	) as Record<(typeof FIELDS)[number], string>;
	const query = parseQuery(auditFilterSchema, event.url.searchParams, FIELDS);
	const options = await auditLog.auditFilterOptions(db);
	if (!query.ok) return { options, values, problem: query.problem, log: null, about: null };
	const { entityType, entityId } = query.data;
	const [log, about] = await Promise.all([
		auditLog.listAudit(db, query.data),
		entityType && entityId ? auditLog.describeEntity(db, entityType, entityId) : null
	]);
	return { options, values, problem: null, log, about };
};

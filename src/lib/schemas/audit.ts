import { z } from 'zod';
import { SYSTEM_ACTOR } from '../domain/audit';
import { PAGE_SIZE, pageParam } from './paging';

export const AUDIT_PAGE_SIZE = PAGE_SIZE;

export {
	AUDIT_ACTION_LABELS,
	AUDIT_ENTITY_LABELS,
	AUDIT_ENTITY_TYPES,
	auditActionLabel,
	SYSTEM_ACTOR
} from '../domain/audit';

const day = (field: string) =>
	z
		.string()
		.trim()
		.regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be a date written YYYY-MM-DD.`)
		.refine((value) => {
			const date = new Date(`${value}T00:00:00Z`);
			return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
		}, `${field} is not a real date.`);

/** The audit log browser's GET form. Blank fields are dropped by parseQuery before this runs. */
export const auditFilterSchema = z
	.object({
		actor: z
			.string()
			.trim()
			.regex(/^(\d{1,9}|system)$/, 'Choose an actor from the list.')
			.transform((v) => (v === SYSTEM_ACTOR ? SYSTEM_ACTOR : Number(v)))
			.optional(),
		action: z
			.string()
			.trim()
			.regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)*$/, 'Choose an action from the list.')
			.max(100, 'Choose an action from the list.')
			.optional(),
		entityType: z
			.string()
			.trim()
			.regex(/^[a-z][a-z_]*$/, 'Choose an entity type from the list.')
			.max(100, 'Choose an entity type from the list.')
			.optional(),
		entityId: z.string().trim().max(100, 'Entity ids are at most 100 characters.').optional(),
		from: day('The “from” date').optional(),
		to: day('The “to” date').optional(),
		page: pageParam
	})
	.refine((f) => !f.from || !f.to || f.from <= f.to, {
		path: ['to'],
		message: 'The “to” date must be on or after the “from” date.'
	});

export type AuditFilters = z.output<typeof auditFilterSchema>;

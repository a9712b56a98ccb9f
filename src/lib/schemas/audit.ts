import { z } from 'zod';
import { PAGE_SIZE, pageParam } from './paging';

export const AUDIT_PAGE_SIZE = PAGE_SIZE;

/** Entity types the app writes; the filter also accepts any other well-formed name. */
export const AUDIT_ENTITY_TYPES = [
	'annotation',
	'listing_request',
	'problem_report',
	'provider',
	'rating',
	'user'
] as const;

/** Entity types in words, for the filter and the entries. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
	annotation: 'Editorial note',
	listing_request: 'Listing request',
	problem_report: 'Problem report',
	provider: 'Listing',
	rating: 'Rating',
	user: 'Account'
};

/** What each action the app records means, in words. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
	'annotation.add': 'Editorial note added',
	'annotation.edit': 'Editorial note edited',
	'annotation.retire': 'Editorial note retired',
	'provider.create': 'Listing created',
	'provider.update': 'Listing edited',
	'provider.import.create': 'Listing added by CSV import',
	'provider.import.update': 'Listing updated by CSV import',
	'provider.suspend': 'Listing suspended',
	'provider.publish': 'Listing published',
	'provider.unpublish': 'Listing unpublished',
	'provider.verify': 'Listing marked verified',
	'rating.publish': 'Rating published',
	'rating.hide': 'Rating hidden',
	'rating.hold': 'Rating held for review',
	'report.resolve': 'Problem report resolved',
	'report.dismiss': 'Problem report dismissed',
	'request.approve': 'Listing request approved',
	'request.reject': 'Listing request rejected',
	'user.create': 'Account created',
	'user.role': 'Account role changed',
	'user.disable': 'Account disabled',
	'user.enable': 'Account re-enabled',
	'user.password': 'Account password replaced',
	'user.second-factor.enable': 'Two-step sign-in turned on',
	'user.second-factor.disable': 'Two-step sign-in turned off',
	'user.second-factor.reset': 'Two-step sign-in reset by an admin'
};

/** An action in words; one the app does not know is shown as recorded. */
export function auditActionLabel(action: string): string {
	return AUDIT_ACTION_LABELS[action] ?? action;
}

/** Stands for entries written by the app itself (no signed-in actor). */
export const SYSTEM_ACTOR = 'system';

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

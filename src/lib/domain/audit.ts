/** The audit log's entity types and actions in words: the log's pages show them. */

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

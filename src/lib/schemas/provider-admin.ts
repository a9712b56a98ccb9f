import { z } from 'zod';
import { PROVIDER_STATUSES } from '../domain/kinds';
import { toStateCode } from '../domain/states';
import { PAGE_SIZE, pageParam } from './paging';
import { checkbox, cleanText, optionalText, requiredText, rowId } from './fields';
import { resolveReportSchema, type ReportDecision } from './report';
import { EDITORIAL_NOTE_BODY_MAX, EDITORIAL_NOTE_TITLE_MAX, REASON_MAX } from './limits';

/** Schemas of the moderators' provider pages: the search form, status changes, editorial notes. */

export const PROVIDER_PAGE_SIZE = PAGE_SIZE;
export const SEARCH_TEXT_MAX = 100;
export { EDITORIAL_NOTE_BODY_MAX, EDITORIAL_NOTE_TITLE_MAX, REASON_MAX };

export { MAX_ID, parseId } from './fields';

const id = rowId;

export const DEMO_CHOICES = ['yes', 'no'] as const;

/** /admin/providers GET form. Blank fields are dropped by parseQuery before this runs. */
export const providerSearchSchema = z.object({
	q: z
		.string()
		.trim()
		.max(
			SEARCH_TEXT_MAX,
			`Keep the search text to ${SEARCH_TEXT_MAX} characters or fewer (a name, slug, city or ZIP).`
		)
		.optional(),
	state: z
		.string()
		.transform((value, ctx) => {
			const code = toStateCode(value);
			if (!code) {
				ctx.addIssue({ code: 'custom', message: `“${value}” is not a US state; choose one.` });
				return z.NEVER;
			}
			return code;
		})
		.optional(),
	status: z
		.enum(PROVIDER_STATUSES, {
			error: (issue) =>
				`Unknown status “${String(issue.input)}”: choose published, pending or suspended.`
		})
		.optional(),
	demo: z
		.enum(DEMO_CHOICES, {
			error: (issue) => `Unknown choice “${String(issue.input)}” for demo listings.`
		})
		.optional(),
	page: pageParam
});

export type ProviderSearch = z.output<typeof providerSearchSchema>;
export const PROVIDER_SEARCH_FIELDS = ['q', 'state', 'status', 'demo', 'page'] as const;

const optionalReason = optionalText(REASON_MAX, 'the reason');

export const suspendSchema = z.object({
	reason: requiredText(
		REASON_MAX,
		'Say why the listing is suspended (it goes in the audit log).',
		'the reason'
	)
});

export const unsuspendSchema = z.object({ reason: optionalReason });
export const verifySchema = z.object({ reason: optionalReason });

const noteBody = z.preprocess(
	cleanText,
	z
		.string({ error: 'Write the note.' })
		.min(1, 'Write the note.')
		.max(
			EDITORIAL_NOTE_BODY_MAX,
			`Keep the note to ${EDITORIAL_NOTE_BODY_MAX.toLocaleString('en-US')} characters or fewer.`
		)
);

export const editorialNoteSchema = z.object({
	title: requiredText(EDITORIAL_NOTE_TITLE_MAX, 'Give the note a title.', 'the title'),
	body: noteBody
});

export type EditorialNoteInput = z.output<typeof editorialNoteSchema>;

export const editEditorialNoteSchema = editorialNoteSchema.extend({
	annotationId: id('Missing note; reload the page and try again.')
});

export const retireEditorialNoteSchema = z.object({
	annotationId: id('Missing note; reload the page and try again.'),
	reason: optionalReason
});

export const VERIFY_AND_SUSPEND =
	'Choose one: “Mark the listing verified” says it is right as it stands, “Suspend the listing” takes it off the site.';
export const DISMISS_AND_SUSPEND =
	'Dismissing leaves the listing as it is: choose Resolve to suspend it, or untick “Suspend the listing”.';

/**
 * The problem-report queue's form: the button pressed (`decision`), what was done, and at most
 * one change to the listing — verified, or (only when resolving) suspended.
 */
export const closeReportSchema = resolveReportSchema
	.extend({
		reportId: id('Missing report.'),
		decision: z.enum(['resolved', 'dismissed'], { error: 'Choose Resolve or Dismiss.' }),
		suspend: checkbox
	})
	.superRefine((v, ctx) => {
		if (v.suspend && v.markVerified) {
			ctx.addIssue({ code: 'custom', path: ['suspend'], message: VERIFY_AND_SUSPEND });
		} else if (v.suspend && v.decision === 'dismissed') {
			ctx.addIssue({ code: 'custom', path: ['suspend'], message: DISMISS_AND_SUSPEND });
		}
	})
	.transform(({ reportId, decision, resolution, markVerified, suspend }) => ({
		reportId,
		decision: (decision === 'resolved'
			? {
					status: 'resolved',
					resolution,
					...(suspend ? { listing: 'suspend' } : markVerified ? { listing: 'verify' } : {})
				}
			: {
					status: 'dismissed',
					resolution,
					...(markVerified ? { listing: 'verify' } : {})
				}) as ReportDecision
	}));

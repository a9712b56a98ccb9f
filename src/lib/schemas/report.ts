import { rowId } from './fields';
import { z } from 'zod';
import { RATING_REPORT_REASON_CODES, REPORT_REASON_CODES } from '../domain/reports';
import { fieldText } from '../forms/text';
import { NOTE_MAX } from './limits';

export { NOTE_MAX };

const note = z.preprocess(
	(value) =>
		typeof value === 'string'
			? value.replace(/\r\n?/g, '\n').replaceAll('\u0000', '').trim() || undefined
			: value,
	z
		.string()
		.max(NOTE_MAX, `Keep the note to ${NOTE_MAX.toLocaleString('en-US')} characters or fewer.`)
		.optional()
);

/** "Something else" says nothing on its own: the details are what a moderator acts on. */
export const OTHER_NEEDS_NOTE = 'Say what is wrong: “Something else” needs a few words of detail.';

function noteForOther(value: { reason: string; note?: string }, ctx: z.RefinementCtx) {
	if (value.reason === 'other' && !value.note) {
		ctx.addIssue({ code: 'custom', path: ['note'], message: OTHER_NEEDS_NOTE });
	}
}

export const reportSchema = z
	.object({
		reason: z.enum(REPORT_REASON_CODES, { error: 'Choose what is wrong with this listing.' }),
		note
	})
	.superRefine(noteForOther);

export const ratingReportSchema = z
	.object({
		reason: z.enum(RATING_REPORT_REASON_CODES, { error: 'Choose what is wrong with this rating.' }),
		note
	})
	.superRefine(noteForOther);

export type RatingReportInput = z.output<typeof ratingReportSchema>;

export type ReportInput = z.output<typeof reportSchema>;

/**
 * How a report is closed. At most one change to the listing: it is right as it stands (verify),
 * or it should come off the site (suspend, only when resolving: dismissing means nothing needs
 * doing).
 */
export type ReportDecision =
	| { status: 'resolved'; resolution: string; listing?: 'verify' | 'suspend' }
	| { status: 'dismissed'; resolution: string; listing?: 'verify' };

export const resolveReportSchema = z.object({
	reportId: rowId('Missing report.'),
	resolution: z
		.string()
		.trim()
		.min(1, 'Say what you did (or why nothing needs doing).')
		.max(500, 'Keep it to 500 characters or fewer.'),
	markVerified: z.preprocess((v) => v === 'on' || v === true, z.boolean())
});

/** What a report form sent, as typed, to parse and to fill the form again. */
export function reportFormValues(form: FormData) {
	return { reason: form.get('reason') ?? undefined, note: fieldText(form.get('note')) };
}

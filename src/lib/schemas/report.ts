import { z } from 'zod';
import { RATING_REPORT_REASON_CODES, REPORT_REASON_CODES } from '../domain/reports';

export const NOTE_MAX = 1000;

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

export const reportSchema = z.object({
	reason: z.enum(REPORT_REASON_CODES, { error: 'Choose what is wrong with this listing.' }),
	note
});

export const ratingReportSchema = z.object({
	reason: z.enum(RATING_REPORT_REASON_CODES, { error: 'Choose what is wrong with this rating.' }),
	note
});

export type RatingReportInput = z.output<typeof ratingReportSchema>;

export type ReportInput = z.output<typeof reportSchema>;

export const resolveReportSchema = z.object({
	reportId: z.coerce.number({ error: 'Missing report.' }).int().positive('Missing report.'),
	resolution: z
		.string()
		.trim()
		.min(1, 'Say what you did (or why nothing needs doing).')
		.max(500, 'Keep it to 500 characters or fewer.'),
	markVerified: z.preprocess((v) => v === 'on' || v === true, z.boolean())
});

/** What a visitor can report about a listing. */
export const REPORT_REASONS = [
	{ code: 'closed', label: 'The provider has closed' },
	{ code: 'wrong_phone', label: 'The phone number is wrong' },
	{ code: 'wrong_address', label: 'The address is wrong' },
	{ code: 'wrong_prices', label: 'The prices are wrong' },
	{ code: 'route_discontinued', label: 'A listed treatment is no longer offered' },
	{ code: 'other', label: 'Something else' }
] as const;

export type ReportReason = (typeof REPORT_REASONS)[number]['code'];

export const REPORT_REASON_CODES = REPORT_REASONS.map((r) => r.code) as [
	ReportReason,
	...ReportReason[]
];

export function reportReasonLabel(code: string): string {
	return REPORT_REASONS.find((r) => r.code === code)?.label ?? code;
}

/** What anyone can report about one published patient rating. */
export const RATING_REPORT_REASONS = [
	{
		code: 'not_patient',
		label: 'Not a patient’s own experience (e.g. written by the provider or a rival)'
	},
	{ code: 'personal_info', label: 'It names or identifies a person' },
	{ code: 'abusive', label: 'It is abusive, hateful or threatening' },
	{ code: 'spam', label: 'It is advertising or spam' },
	{ code: 'other', label: 'Something else' }
] as const;

export type RatingReportReason = (typeof RATING_REPORT_REASONS)[number]['code'];

export const RATING_REPORT_REASON_CODES = RATING_REPORT_REASONS.map((r) => r.code) as [
	RatingReportReason,
	...RatingReportReason[]
];

export function ratingReportReasonLabel(code: string): string {
	return RATING_REPORT_REASONS.find((r) => r.code === code)?.label ?? code;
}

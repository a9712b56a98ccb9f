import { z } from 'zod';

/**
 * Field parsers shared by the forms and the JSON API: form posts send strings, JSON may send
 * numbers, booleans or null; a blank field (or null) always means "not given".
 */

export const blankToUndefined = (value: unknown) =>
	value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

const toWholeNumber = (value: unknown) => {
	const v = blankToUndefined(value);
	return typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
};

const wholeNumberIn = (min: number, max: number, message: string) =>
	z.number({ error: message }).int(message).min(min, message).max(max, message);

export function wholeNumber(min: number, max: number, message: string) {
	return z.preprocess(toWholeNumber, wholeNumberIn(min, max, message));
}

/** `.optional()` inside the preprocess: zod only skips a value already undefined. */
export function optionalWholeNumber(min: number, max: number, message: string) {
	return z.preprocess(toWholeNumber, wholeNumberIn(min, max, message).optional());
}

/** US dollars as typed by people: "450", "$1,200", "450.00" → whole dollars, or undefined. */
export function optionalDollars(
	max: number,
	messages: { invalid: string; negative: string; tooHigh: string }
) {
	return z.preprocess(
		(value) => {
			const v = blankToUndefined(value);
			if (typeof v !== 'string') return v;
			const cleaned = v.replace(/[$,\s]/g, '');
			return /^-?\d+(\.\d{1,2})?$/.test(cleaned) ? Math.round(Number(cleaned)) : v;
		},
		z
			.number({ error: messages.invalid })
			.min(0, messages.negative)
			.max(max, messages.tooHigh)
			.transform(Math.round)
			.optional()
	);
}

/** The usual messages for a price field, e.g. dollars('the consultation fee', 100_000). */
export function dollars(what: string, max: number) {
	return optionalDollars(max, {
		invalid: `Enter ${what} in US dollars, e.g. 450, or leave it blank.`,
		negative: `${capitalise(what)} cannot be negative.`,
		tooHigh: `${capitalise(what)} looks too high (over $${max.toLocaleString('en-US')}); check it, or leave it blank.`
	});
}

function capitalise(text: string) {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Browsers send line breaks as CRLF but count them as one; NUL cannot be stored. */
export const cleanText = (value: unknown) =>
	typeof value === 'string' ? value.replace(/\r\n?/g, '\n').replaceAll('\u0000', '').trim() : value;

/** Optional free text, trimmed; blank becomes undefined. */
export function optionalText(max: number, what: string) {
	return z.preprocess(
		(value) => (value === null ? undefined : cleanText(value) || undefined),
		z
			.string({ error: `${capitalise(what)} must be text.` })
			.max(max, `Keep ${what} to ${max.toLocaleString('en-US')} characters or fewer.`)
			.optional()
	);
}

/** Required one-line text. */
export function requiredText(max: number, missing: string, what: string) {
	return z.preprocess(
		(value) => (typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : value),
		z
			.string({ error: missing })
			.min(1, missing)
			.max(max, `Keep ${what} to ${max.toLocaleString('en-US')} characters or fewer.`)
	);
}

/** A checkbox ("on"), a JSON boolean, or yes/no/true/false text. Missing means false. */
export const checkbox = z.preprocess(
	(value) =>
		typeof value === 'string'
			? ['on', 'true', 'yes', '1'].includes(value.trim().toLowerCase())
			: value === undefined || value === null
				? false
				: value,
	z.boolean({ error: 'Answer yes or no.' })
);

/** One of a few codes, given as its code in any case; blank (or missing) means `fallback`. */
export function choice<T extends string>(
	codes: readonly [T, ...T[]],
	fallback: T,
	message: string
) {
	return z.preprocess(
		(value) => {
			const v = blankToUndefined(value);
			return v === undefined ? fallback : typeof v === 'string' ? v.trim().toLowerCase() : v;
		},
		z.enum(codes, { error: message })
	);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A past or present day as `YYYY-MM-DD` (a date input's value); blank means not given. */
export function pastDay(what: string) {
	const format = `Enter ${what} as a date, e.g. 2026-11-30.`;
	return z.preprocess(
		blankToUndefined,
		z
			.string({ error: format })
			.trim()
			.refine((value) => {
				const m = ISO_DAY.exec(value);
				if (!m) return false;
				const day = new Date(`${value}T00:00:00Z`);
				return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
			}, format)
			.refine(
				(value) => value >= '2000-01-01',
				`${what[0]?.toUpperCase()}${what.slice(1)} must be after 2000.`
			)
			// A day ahead of UTC is still today somewhere in the United States' time zones, never more.
			.refine(
				(value) => value <= new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
				`${what[0]?.toUpperCase()}${what.slice(1)} cannot be in the future.`
			)
			.optional()
	);
}

/** A must-tick box: true or the message. */
export function mustTick(message: string) {
	return z.preprocess(
		(value) => value === true || value === 'on' || value === 'true' || value === 'yes',
		z.literal(true, { error: message })
	);
}

/** A repeated form field or JSON array of codes: one value becomes a list, blanks are dropped. */
export function codeList<T extends string>(codes: readonly [T, ...T[]], message: string) {
	return z
		.preprocess(
			(value) =>
				(value === undefined || value === null
					? []
					: Array.isArray(value)
						? (value as unknown[])
						: [value]
				).filter((v) => !(typeof v === 'string' && v.trim() === '')),
			z.array(z.enum(codes, { error: message }))
		)
		.transform((list) => [...new Set(list)]);
}

export const idempotencyKey = z
	.string({ error: 'Missing submission token; reload the page and try again.' })
	.trim()
	.regex(/^[A-Za-z0-9_-]{8,100}$/, 'Invalid submission token; reload the page and try again.');

/** Ids are PostgreSQL `integer`s: anything larger would be a database error, not a 404. */
export const MAX_ID = 2_147_483_647;

/** A row id from a path or a form field, or null. */
export function parseId(raw: unknown): number | null {
	if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw.trim())) return null;
	const id = Number(raw.trim());
	return id >= 1 && id <= MAX_ID ? id : null;
}

/** A row id field: any other value (a word, 2147483648) is `message`, never a database error. */
export const rowId = (message: string) =>
	z.preprocess(
		(value) => parseId(value) ?? undefined,
		z.number({ error: message }).int(message).min(1, message).max(MAX_ID, message)
	);

import { z } from 'zod';
import { SLUG_PATTERN } from '../domain/slug';
import { blankToUndefined, optionalText } from './fields';

const degrees = (what: string, limit: number) =>
	z.preprocess(
		blankToUndefined,
		z.coerce
			.number({ error: `Enter the ${what} in degrees.` })
			.min(-limit, `The ${what} must be between -${limit} and ${limit}.`)
			.max(limit, `The ${what} must be between -${limit} and ${limit}.`)
			.optional()
	);

export const MERGE_CHOICES = ['requested', 'current'] as const;

/**
 * Approving a listing request: the admin may set the slug and move the map point. For an update,
 * the form also carries the listing version it showed, a choice for each field both the provider
 * and someone else changed (`choice.<field>`), and, for a listing not on the site, whether
 * approving puts it back on.
 */
export const approveSchema = z
	.object({
		slug: z.preprocess(
			blankToUndefined,
			z
				.string()
				.trim()
				.toLowerCase()
				.max(80, 'Keep the slug to 80 characters or fewer.')
				.regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.')
				.optional()
		),
		lat: degrees('latitude', 90),
		lng: degrees('longitude', 180),
		reason: optionalText(500, 'the note'),
		version: z.preprocess(
			(v) => (typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) ? Number(v) : undefined),
			z.number().int().positive().optional()
		),
		publish: z.preprocess(
			blankToUndefined,
			z
				.enum(['publish', 'keep'], { error: 'Choose whether approving puts the listing back on.' })
				.optional()
				.transform((v) => (v === undefined ? undefined : v === 'publish'))
		),
		choices: z.record(
			z.string(),
			z.enum(MERGE_CHOICES, { error: 'Choose which value the listing keeps.' })
		)
	})
	.refine((v) => (v.lat === undefined) === (v.lng === undefined), {
		path: ['lng'],
		message: 'Give both latitude and longitude, or leave both blank to use the ZIP code’s centre.'
	});

/** A form's `choice.<field>` entries as the `choices` approveSchema reads. */
export function choicesOf(values: Record<string, string>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(values)
			.filter(([key]) => key.startsWith('choice.'))
			.map(([key, value]) => [key.slice('choice.'.length), value])
	);
}

export const rejectSchema = z.object({
	reason: z.preprocess(
		(value) => (typeof value === 'string' ? value.trim() : value),
		z
			.string({ error: 'Give the reason, for the record and the provider.' })
			.min(1, 'Give the reason, for the record and the provider.')
			.max(500, 'Keep the reason to 500 characters or fewer.')
	)
});

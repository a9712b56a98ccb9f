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

/** Approving a listing request: the admin may set the slug and move the map point. */
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
		reason: optionalText(500, 'the note')
	})
	.refine((v) => (v.lat === undefined) === (v.lng === undefined), {
		path: ['lng'],
		message: 'Give both latitude and longitude, or leave both blank to use the ZIP code’s centre.'
	});

export const rejectSchema = z.object({
	reason: z.preprocess(
		(value) => (typeof value === 'string' ? value.trim() : value),
		z
			.string({ error: 'Give the reason, for the record and the provider.' })
			.min(1, 'Give the reason, for the record and the provider.')
			.max(500, 'Keep the reason to 500 characters or fewer.')
	)
});

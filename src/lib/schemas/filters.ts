import { z } from 'zod';
import { PROVIDER_KIND_CODES, PROVIDER_KINDS } from '../domain/kinds';
import { ROUTE_CODES, ROUTES } from '../domain/routes';
import { toStateCode } from '../domain/states';
import {
	DEFAULT_PAGE_SIZE,
	DEFAULT_RADIUS,
	MAX_PAGE_SIZE,
	MAX_RADIUS,
	RADIUS_CHOICES,
	SORTS,
	type Sort
} from './limits';

const yesNo = (field: string) =>
	z
		.string()
		.trim()
		.toLowerCase()
		.transform((value, ctx) => {
			if (['yes', 'true', '1'].includes(value)) return true;
			if (['no', 'false', '0'].includes(value)) return false;
			ctx.addIssue({ code: 'custom', message: `${field} must be “yes” or “no”.` });
			return z.NEVER;
		});

export const wholeNumber = (field: string, min: number, max: number) =>
	z
		.string()
		.trim()
		.regex(/^\d+$/, `${field} must be a whole number from ${min} to ${max}.`)
		.transform(Number)
		.pipe(
			z
				.number()
				.min(min, `${field} must be at least ${min}.`)
				.max(max, `${field} must be at most ${max}.`)
		);

const coordinate = (field: string, limit: number) =>
	z
		.string()
		.trim()
		.regex(/^-?\d{1,3}(\.\d+)?$/, `${field} must be a number of degrees, e.g. 30.27.`)
		.transform(Number)
		.pipe(
			z
				.number()
				.min(-limit, `${field} must be between -${limit} and ${limit}.`)
				.max(limit, `${field} must be between -${limit} and ${limit}.`)
		);

export {
	DEFAULT_PAGE_SIZE,
	DEFAULT_RADIUS,
	MAX_PAGE_SIZE,
	MAX_RADIUS,
	RADIUS_CHOICES,
	SORTS,
	type Sort
};

/** Query-string filters shared by the directory pages and GET /api/providers. */
const baseFilters = z.object({
	state: z
		.string()
		.transform((value, ctx) => {
			const code = toStateCode(value);
			if (!code) {
				ctx.addIssue({
					code: 'custom',
					message: `“${value}” is not a US state code (e.g. TX, ny, DC).`
				});
				return z.NEVER;
			}
			return code;
		})
		.optional(),
	route: z
		.string()
		.trim()
		.toLowerCase()
		.pipe(
			z.enum(ROUTE_CODES, {
				error: (issue) =>
					`Unknown route of administration “${String(issue.input)}”. Use one of: ${ROUTES.map((r) => r.code).join(', ')}.`
			})
		)
		.optional(),
	kind: z
		.string()
		.trim()
		.toLowerCase()
		.pipe(
			z.enum(PROVIDER_KIND_CODES, {
				error: (issue) =>
					`Unknown provider kind “${String(issue.input)}”. Use one of: ${PROVIDER_KINDS.map((k) => k.code).join(', ')}.`
			})
		)
		.optional(),
	telehealth: yesNo('Telehealth').optional(),
	psychotherapy: yesNo('Psychotherapy / integration').optional(),
	/** Only providers who last said they accept new patients (with the day they said it). */
	accepting: z
		.string()
		.trim()
		.toLowerCase()
		.pipe(z.enum(['yes'], { error: () => 'accepting must be “yes” or left out.' }))
		.transform(() => true as const)
		.optional(),
	sort: z
		.string()
		.trim()
		.toLowerCase()
		.pipe(
			z.enum(SORTS, {
				error: () =>
					'Sort must be “name”, “nearest”, “best” (best rated) or “price” (lowest price).'
			})
		)
		.optional(),
	page: wholeNumber('Page', 1, 100_000).default(1),
	pageSize: wholeNumber('Page size', 1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE)
});

/** Query-string filters shared by the directory pages and GET /api/providers. */
export const providerFiltersSchema = baseFilters;

export type ProviderFilters = z.output<typeof providerFiltersSchema>;

/**
 * The same filters plus a place: `near` (ZIP or "City, ST", parsed and geocoded on the server) or `lat`/`lng`
 * (the browser's location, or the map's centre with `from=map`), and a radius in miles. With
 * `telehealth=yes` the place stands for its state: telehealth services licensed there.
 */
export const nearbyFiltersSchema = baseFilters
	.extend({
		near: z
			.string()
			.trim()
			.max(100, 'That place is too long; type a ZIP code or “City, ST”.')
			.optional(),
		lat: coordinate('Latitude', 90).optional(),
		lng: coordinate('Longitude', 180).optional(),
		from: z.enum(['map'], { error: () => 'from must be “map” or left out.' }).optional(),
		radius: wholeNumber('Radius', 1, MAX_RADIUS).default(DEFAULT_RADIUS)
	})
	.superRefine((f, ctx) => {
		if ((f.lat === undefined) !== (f.lng === undefined)) {
			const missing = f.lat === undefined ? 'lat' : 'lng';
			ctx.addIssue({
				code: 'custom',
				path: [missing],
				message: 'Give both lat and lng, or neither.'
			});
		}
		if (f.near !== undefined && f.lat !== undefined) {
			ctx.addIssue({
				code: 'custom',
				path: ['near'],
				message: 'Search near a place or near coordinates, not both.'
			});
		}
	});

/** /states/<code>: the state comes from the path; each group pages on its own. */
export const statePageSchema = providerFiltersSchema
	.pick({ route: true, kind: true, psychotherapy: true, accepting: true, page: true, sort: true })
	.extend({ tpage: wholeNumber('Telehealth page', 1, 100_000).default(1) });

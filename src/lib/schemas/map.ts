import { z } from 'zod';
import { MAX_RADIUS, nearbyFiltersSchema, providerFiltersSchema } from './filters';

const bbox = z
	.string({ error: 'bbox is required: west,south,east,north in degrees.' })
	.trim()
	.transform((value, ctx) => {
		const raw = value.split(',').map((p) => p.trim());
		const parts = raw.map(Number);
		const [west, south, east, north] = parts;
		if (
			west === undefined ||
			south === undefined ||
			east === undefined ||
			north === undefined ||
			raw.length !== 4 ||
			raw.some((p) => p === '') ||
			parts.some((n) => !Number.isFinite(n))
		) {
			ctx.addIssue({
				code: 'custom',
				message: 'bbox must be four numbers: west,south,east,north.'
			});
			return z.NEVER;
		}
		if (south < -90 || north > 90 || south > north) {
			ctx.addIssue({
				code: 'custom',
				message: 'bbox latitudes must run south ≤ north within -90…90.'
			});
			return z.NEVER;
		}
		if (west < -180 || east > 180 || west > east) {
			ctx.addIssue({
				code: 'custom',
				message: 'bbox longitudes must run west ≤ east within -180…180.'
			});
			return z.NEVER;
		}
		return [west, south, east, north] as [number, number, number, number];
	});

const circle = nearbyFiltersSchema.shape;

/**
 * GET /api/map: the directory's filters, a viewport and a zoom level; with `lat`, `lng` and
 * `radius`, only the providers within that circle (what a radius search lists).
 */
export const mapQuerySchema = providerFiltersSchema
	.pick({
		state: true,
		route: true,
		kind: true,
		telehealth: true,
		psychotherapy: true,
		accepting: true
	})
	.extend({
		lat: circle.lat,
		lng: circle.lng,
		radius: circle.radius.unwrap().optional(),
		bbox,
		zoom: z
			.string({ error: 'zoom is required: a whole number from 0 to 20.' })
			.trim()
			.regex(/^\d{1,2}$/, 'zoom must be a whole number from 0 to 20.')
			.transform(Number)
			.pipe(z.number().max(20, 'zoom must be a whole number from 0 to 20.'))
	})
	.superRefine((q, ctx) => {
		const given = [q.lat, q.lng, q.radius].filter((v) => v !== undefined).length;
		if (given !== 0 && given !== 3) {
			ctx.addIssue({
				code: 'custom',
				path: [q.lat === undefined ? 'lat' : q.lng === undefined ? 'lng' : 'radius'],
				message: `A circle needs lat, lng and radius (1 to ${MAX_RADIUS} miles) together.`
			});
		}
	});

export type MapQuery = z.output<typeof mapQuerySchema>;
export type MapFilters = Omit<MapQuery, 'bbox' | 'zoom' | 'lat' | 'lng' | 'radius'>;

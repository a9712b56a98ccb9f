import { error } from '@sveltejs/kit';
import { resolveOrigin } from '$lib/server/geocode';
import * as providers from '$lib/server/providers';
import { nearbyFiltersSchema } from '$lib/schemas/filters';
import { parseQuery } from '$lib/schemas/query';
import type { PageServerLoad } from './$types';

const TELEHEALTH_PREVIEW = 6;

export const load: PageServerLoad = async ({ url, locals }) => {
	const query = parseQuery(nearbyFiltersSchema, url.searchParams);
	if (!query.ok) error(400, { message: query.problem.message, code: 'invalid_query' });
	const { near, lat, lng, radius, ...filters } = query.data;
	const location = {
		near: near ?? '',
		radius,
		coords: lat !== undefined && lng !== undefined ? { lat, lng } : undefined
	};

	const place = resolveOrigin({ near, lat, lng });
	if (!place.ok) {
		return {
			filters,
			location: { ...location, error: place.message },
			mode: 'unknown-place' as const
		};
	}
	if (!place.origin) {
		const { total, results } = await providers.search(locals.db, filters);
		return { filters, location, mode: 'list' as const, total, results };
	}

	const origin = { ...place.origin, radiusMiles: radius };
	const [nearby, telehealth] = await Promise.all([
		providers.searchNear(locals.db, filters, {
			lat: origin.lat,
			lng: origin.lng,
			radiusMiles: radius
		}),
		origin.state
			? providers.search(locals.db, {
					...filters,
					state: origin.state,
					telehealth: true,
					page: 1,
					pageSize: TELEHEALTH_PREVIEW
				})
			: undefined
	]);
	return { filters, location, mode: 'near' as const, origin, nearby, telehealth };
};

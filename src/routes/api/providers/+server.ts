import { json } from '@sveltejs/kit';
import { linkBase, listEntryJson } from '$lib/server/api';
import { resolveOrigin } from '$lib/server/geocode';
import { apiError, invalidQuery } from '$lib/server/http';
import * as providers from '$lib/server/providers';
import { nearbyFiltersSchema } from '$lib/schemas/filters';
import { parseQuery } from '$lib/schemas/query';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const query = parseQuery(nearbyFiltersSchema, url.searchParams);
	if (!query.ok) return invalidQuery(query.problem);
	const { near, lat, lng, from, radius, ...filters } = query.data;
	const place = resolveOrigin({ near, lat, lng, from });
	if (!place.ok) return apiError(400, 'invalid_query', place.message, { near: place.message });

	const page = { page: filters.page, pageSize: filters.pageSize };
	if (place.origin && filters.telehealth === true) {
		// As on the home page: the place stands for its state, where telehealth licences apply.
		const state = filters.state ?? place.origin.state;
		const { total, results } = state
			? await providers.search(locals.db, { ...filters, state })
			: { total: 0, results: [] };
		return json({
			total,
			...page,
			origin: {
				label: place.origin.label,
				state: place.origin.state ?? null,
				radiusMiles: radius
			},
			licensedIn: state ?? null,
			results: results.map((p) => listEntryJson(p, linkBase()))
		});
	}
	if (place.origin) {
		const { total, totalCapped, results } = await providers.searchNear(locals.db, filters, {
			lat: place.origin.lat,
			lng: place.origin.lng,
			radiusMiles: radius
		});
		return json({
			total,
			totalCapped,
			...page,
			origin: { label: place.origin.label, state: place.origin.state ?? null, radiusMiles: radius },
			results: results.map((p) => ({
				...listEntryJson(p, linkBase()),
				distanceMiles: p.distanceMiles
			}))
		});
	}
	const { total, results } = await providers.search(locals.db, filters);
	return json({ total, ...page, results: results.map((p) => listEntryJson(p, linkBase())) });
};

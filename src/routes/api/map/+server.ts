import { json } from '@sveltejs/kit';
import { invalidQuery } from '$lib/server/http';
import * as map from '$lib/server/map';
import { mapQuerySchema } from '$lib/schemas/map';
import { parseQuery } from '$lib/schemas/query';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const query = parseQuery(mapQuerySchema, url.searchParams);
	if (!query.ok) return invalidQuery(query.problem);
	const { bbox, zoom, lat, lng, radius, ...filters } = query.data;
	const circle =
		lat !== undefined && lng !== undefined && radius !== undefined
			? { lat, lng, radiusMiles: radius }
			: undefined;
	return json(await map.clusters(locals.db, filters, bbox, zoom, circle), {
		headers: { 'cache-control': 'public, max-age=30' }
	});
};

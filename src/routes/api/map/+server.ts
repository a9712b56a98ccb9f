import { json } from '@sveltejs/kit';
import { invalidQuery } from '$lib/server/http';
import * as map from '$lib/server/map';
import { mapQuerySchema } from '$lib/schemas/map';
import { parseQuery } from '$lib/schemas/query';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const query = parseQuery(mapQuerySchema, url.searchParams);
	if (!query.ok) return invalidQuery(query.problem);
	const { bbox, zoom, ...filters } = query.data;
	return json(await map.clusters(locals.db, filters, bbox, zoom), {
		headers: { 'cache-control': 'public, max-age=30' }
	});
};

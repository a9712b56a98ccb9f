import { json } from '@sveltejs/kit';
import { ping } from '$lib/server/db';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const up = await ping(locals.db);
	return json(
		up
			? { status: 'ok', database: locals.dbKind }
			: { status: 'unavailable', database: locals.dbKind },
		{ status: up ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};

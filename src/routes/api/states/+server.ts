import { json } from '@sveltejs/kit';
import * as providers from '$lib/server/providers';
import type { RequestHandler } from './$types';

/** The same for every visitor and unchanged until a listing changes: revalidated, never re-sent. */
const CACHING = 'public, max-age=0, must-revalidate';

export const GET: RequestHandler = async ({ locals, request }) => {
	const etag = providers.coverageTag();
	if (request.headers.get('if-none-match') === etag) {
		return new Response(null, { status: 304, headers: { etag, 'cache-control': CACHING } });
	}
	const { states, nation } = await providers.coverage(locals.db);
	return json({ states, nation }, { headers: { etag, 'cache-control': CACHING } });
};

import type { Handle, HandleServerError } from '@sveltejs/kit';
import { appDatabase } from '$lib/server/db/app';
import { apiError } from '$lib/server/http';

const isApi = (pathname: string) => pathname.startsWith('/api/') || pathname === '/healthz';

export const handle: Handle = async ({ event, resolve }) => {
	try {
		const handle = await appDatabase();
		event.locals.db = handle.db;
		event.locals.dbKind = handle.kind;
	} catch (err) {
		console.error('Database unavailable:', err instanceof Error ? err.message : err);
		if (isApi(event.url.pathname)) {
			return apiError(503, 'database_unavailable', 'The directory database is not reachable.');
		}
		return new Response('The directory is temporarily unavailable. Please try again shortly.', {
			status: 503,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' }
		});
	}
	const response = await resolve(event);
	// Keep searches (state, route, later ZIP codes) out of Referer headers sent to provider sites.
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-content-type-options', 'nosniff');
	return response;
};

/** Unexpected errors: log the path only (never the query string), show a calm generic message. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) {
		console.error(`Unexpected error on ${event.request.method} ${event.url.pathname}:`, error);
	}
	return {
		message:
			status === 404
				? 'We could not find that page.'
				: 'Something went wrong on our side. Please try again in a moment.',
		code: status === 404 ? 'not_found' : 'internal_error'
	};
};

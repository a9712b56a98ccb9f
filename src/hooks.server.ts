import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import { refusal, refusedOrigin } from '$lib/server/same-origin';
import { resolveSession, secondFactorGate } from '$lib/server/session-cookie';
import * as startup from '$lib/server/startup';

const isApi = (pathname: string) => pathname.startsWith('/api/') || pathname === '/healthz';

/** Start-up and shutdown live in $lib/server/startup; adapter-node emits `sveltekit:shutdown`. */
export const init: ServerInit = async () => {
	process.once('sveltekit:shutdown', () => {
		startup.stop().catch((err: unknown) => {
			console.error('Closing the database failed:', err instanceof Error ? err.message : err);
		});
	});
	await startup.start();
};

export const handle: Handle = async ({ event, resolve }) => {
	const from = refusedOrigin(event.request, event.url.origin);
	if (from !== null) return await refusal(event.request, from, event.url.origin);
	try {
		const handle = await startup.database();
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
	event.locals.user = await resolveSession(event);
	// Everything under /admin but the sign-in page needs a session, actions included; each page
	// and action still checks the role it needs (requireRole).
	const path = event.url.pathname;
	if (path.startsWith('/admin') && path !== '/admin/sign-in' && !event.locals.user) {
		const next = encodeURIComponent(path + event.url.search);
		return new Response(null, {
			status: 303,
			headers: { location: `/admin/sign-in?next=${next}` }
		});
	}
	const enrol = await secondFactorGate(event);
	if (enrol) return enrol;
	const response = await resolve(event);
	// Keep searches (state, route, later ZIP codes) out of Referer headers sent to provider sites.
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-content-type-options', 'nosniff');
	if (path.startsWith('/admin')) response.headers.set('cache-control', 'no-store');
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

import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { SESSION_COOKIE, userForToken } from '$lib/server/auth';
import { apiError } from '$lib/server/http';
import {
	RETRY_AFTER_SECONDS,
	UNAVAILABLE_MESSAGE,
	isDatabaseUnavailable,
	unavailableCode
} from '$lib/server/outage';
import { refusal, refusedOrigin } from '$lib/server/same-origin';
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
		// The first line only: drizzle's message goes on with the query's parameters.
		console.error('Database unavailable:', err instanceof Error ? err.message.split('\n')[0] : err);
		if (isApi(event.url.pathname)) {
			const answer = apiError(503, 'database_unavailable', UNAVAILABLE_MESSAGE);
			answer.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
			return answer;
		}
		return new Response('The directory is temporarily unavailable. Please try again shortly.', {
			status: 503,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' }
		});
	}
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = token ? await userForToken(event.locals.db, token) : null;
	if (token && !event.locals.user) event.cookies.delete(SESSION_COOKIE, { path: '/' });
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
	let response = await resolve(event);
	if (event.locals.databaseUnavailable) {
		// Pages, the API and form answers alike: 503, and when to try again.
		if (isApi(path)) response = apiError(503, 'database_unavailable', UNAVAILABLE_MESSAGE);
		else response = new Response(response.body, { status: 503, headers: response.headers });
		response.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
	}
	// Keep searches (state, route, later ZIP codes) out of Referer headers sent to provider sites.
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-content-type-options', 'nosniff');
	if (path.startsWith('/admin')) response.headers.set('cache-control', 'no-store');
	return response;
};

/** Unexpected errors: log the path only (never the query string), show a calm generic message. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		console.error(
			`Database unavailable (${unavailableCode(error)}) on ${event.request.method} ${event.url.pathname}`
		);
		return { message: UNAVAILABLE_MESSAGE, code: 'database_unavailable' };
	}
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

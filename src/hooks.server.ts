import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { compressed } from '$lib/server/compress';
import { onChange } from '$lib/server/events';
import { apiError, inApiShape, statusError } from '$lib/server/http';
import { describeError, log } from '$lib/server/log';
import {
	DatabaseUnavailableError,
	isDatabaseUnavailable,
	RETRY_AFTER_SECONDS,
	UNAVAILABLE_MESSAGE
} from '$lib/server/outage';
import { counted } from '$lib/server/in-flight.js';
import * as pageCache from '$lib/server/page-cache.js';
import { plainPage } from '$lib/server/plain-page';
import { cleanSearch, readableForm, type Refusal } from '$lib/server/request-guard';
import { refusal, refusedOrigin } from '$lib/server/same-origin';
import { securityHeaders } from '$lib/server/security-headers.js';
import { resolveSession, secondFactorGate } from '$lib/server/session-cookie';
import * as startup from '$lib/server/startup';

/**
 * Every request passes here once: a request id, the origin check, forms the app cannot read,
 * the database and the session, then SvelteKit; on the way out the API's one error shape, 503
 * for a database outage, the security headers, and one log line (route id, status, duration —
 * never the URL, the query or the client's address).
 */

const isApi = (pathname: string) => pathname.startsWith('/api/') || pathname === '/healthz';

/** Routes answered by +server.ts files, not pages: a POST there is no form (405 from SvelteKit). */
const isEndpoint = (pathname: string) => isApi(pathname) || pathname.startsWith('/admin/export/');

/** Start-up and shutdown live in $lib/server/startup; adapter-node emits `sveltekit:shutdown`. */
export const init: ServerInit = async () => {
	process.once('sveltekit:shutdown', () => {
		startup.stop().catch((err: unknown) => {
			log.error({ err: describeError(err) }, 'closing the database failed');
		});
	});
	await startup.start();
};

// Kept pages were built from data a committed write may have changed (src/lib/server/page-cache.js).
onChange(() => pageCache.invalidate());

const RETRY_AFTER = { 'retry-after': String(RETRY_AFTER_SECONDS) };

/** The answer to a request the app refuses before SvelteKit sees it, in the form the client reads. */
function refused(event: RequestEvent, { status, code, message }: Refusal): Response {
	if (isApi(event.url.pathname)) return apiError(status, code, message);
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		// What an enhanced form expects: an ActionResult of type "error".
		return Response.json({ type: 'error', error: { message, code } }, { status });
	}
	return plainPage(status, {
		title: status === 413 ? 'That was too large to send' : 'We could not read that form',
		paragraphs: [message]
	});
}

function unavailable(event: RequestEvent): Response {
	if (isApi(event.url.pathname)) {
		const response = apiError(503, 'database_unavailable', UNAVAILABLE_MESSAGE);
		response.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
		return response;
	}
	return plainPage(
		503,
		{ title: 'The directory is resting for a moment', paragraphs: [UNAVAILABLE_MESSAGE] },
		RETRY_AFTER
	);
}

/** Everything before SvelteKit's own handling, then SvelteKit. */
async function answer(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']) {
	const from = refusedOrigin(event.request, event.url.origin);
	if (from !== null) return await refusal(event.request, from, event.url.origin);
	const path = event.url.pathname;
	cleanSearch(event.url);
	if (event.request.method === 'POST' && !isEndpoint(path)) {
		const form = await readableForm(event.request, event.url);
		if ('refusal' in form) return refused(event, form.refusal);
		event.request = form.request;
	}
	try {
		const handle = await startup.database();
		event.locals.db = handle.db;
		event.locals.dbKind = handle.kind;
	} catch (err) {
		// Loads and actions meet the outage where they use the database, and answer it there
		// (a 503 page, or a form kept as typed), so the database is a value that says so.
		log.warn({ reqId: event.locals.requestId, err: describeError(err) }, 'database unavailable');
		const cause = err;
		Object.defineProperty(event.locals, 'db', {
			get() {
				throw new DatabaseUnavailableError(cause);
			}
		});
		event.locals.dbKind = startup.configuredKind();
	}
	try {
		event.locals.user = await resolveSession(event);
	} catch (err) {
		if (!isDatabaseUnavailable(err)) throw err;
		// Whose session this is cannot be told: public pages go on without it; staff pages wait.
		event.locals.user = null;
		if (path.startsWith('/admin')) return unavailable(event);
	}
	// Everything under /admin but the sign-in page needs a session, actions included; each page
	// and action still checks the role it needs (requireRole).
	if (path.startsWith('/admin') && path !== '/admin/sign-in' && !event.locals.user) {
		const next = encodeURIComponent(path + event.url.search);
		return new Response(null, {
			status: 303,
			headers: { location: `/admin/sign-in?next=${next}` }
		});
	}
	const enrol = await secondFactorGate(event);
	if (enrol) return enrol;
	return await resolve(event);
}

/** The same answer with another status, or with headers that can be changed. */
function copied(response: Response, status = response.status): Response {
	return new Response(response.body, { status, headers: response.headers });
}

/** Sets headers, on a copy when the response's own are immutable (as fetch's are). */
function withHeaders(response: Response, headers: [string, string, boolean][]): Response {
	let target = response;
	for (const [name, value, replace] of headers) {
		if (!replace && target.headers.has(name)) continue;
		try {
			target.headers.set(name, value);
		} catch {
			target = copied(target);
			target.headers.set(name, value);
		}
	}
	return target;
}

/** The answer to this request from a kept entry: a 304 when the client's copy is current. */
function fromEntry(entry: pageCache.Entry, request: Request): Response {
	const { status, headers, body } = pageCache.answerFor(entry, {
		method: request.method,
		ifNoneMatch: request.headers.get('if-none-match'),
		acceptEncoding: request.headers.get('accept-encoding')
	});
	return new Response(body && new Uint8Array(body), { status, headers });
}

/** Every request's work is counted until it ends, so shutdown waits for it (./lib/server/in-flight.js). */
export const handle: Handle = ({ event, resolve }) => counted(() => handleRequest(event, resolve));

async function handleRequest(
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve']
): Promise<Response> {
	const started = performance.now();
	const requestId = pageCache.requestIdFrom(event.request.headers.get('x-request-id'));
	event.locals.requestId = requestId;
	const api = isApi(event.url.pathname);
	const method = event.request.method;
	// Read before anything runs: an answer built while a write commits is never kept.
	const builtAt = pageCache.version();
	// As sent: SvelteKit's event.url drops the `/__data.json` of a data request.
	const requested = new URL(event.request.url);
	const sent = requested.pathname + requested.search;
	const anonymous = pageCache.cacheableRequest(method, sent, event.request.headers.get('cookie'));

	const key = anonymous && method === 'GET' ? pageCache.keyOf(requested.origin, sent) : null;
	const shared = key ? await pageCache.underway(key, builtAt) : undefined;
	if (shared) {
		// Another request was building this very answer: send its copy.
		const response = fromEntry(shared, event.request);
		response.headers.set('x-request-id', requestId);
		logRequest(event, response.status, started, 'shared');
		return response;
	}
	const built = key ? pageCache.building(key, builtAt) : null;
	try {
		return await respond(event, resolve, { builtAt, key, anonymous, api, started });
	} finally {
		built?.(key ? pageCache.lookup(key) : undefined);
	}
}

interface Circumstances {
	builtAt: number;
	/** The kept-answer key, for an anonymous GET of a public path. */
	key: string | null;
	anonymous: boolean;
	api: boolean;
	started: number;
}

async function respond(
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve'],
	{ builtAt, key, anonymous, api, started }: Circumstances
): Promise<Response> {
	const method = event.request.method;
	const requestId = event.locals.requestId;
	let response = await answer(event, resolve);
	if (event.locals.databaseUnavailable) {
		// Pages, the API and form answers alike (src/lib/server/forms.ts): 503, and when to retry.
		response = api ? unavailable(event) : copied(response, 503);
		response.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
	} else if (api && response.status >= 400) {
		response = await inApiShape(response);
	}

	const https = event.url.protocol === 'https:';
	response = withHeaders(response, [
		// Every 503 (an outage, /healthz saying it is not ready) says when to come back.
		...(response.status === 503
			? [['retry-after', String(RETRY_AFTER_SECONDS), false] as [string, string, boolean]]
			: []),
		['x-request-id', requestId, true],
		...Object.entries(securityHeaders({ https })).map(
			([name, value]): [string, string, boolean] => [name, value, false]
		),
		...(event.url.pathname.startsWith('/admin')
			? [['cache-control', 'no-store', true] as [string, string, boolean]]
			: [])
	]);

	let cache: 'miss' | 'pass' = 'pass';
	if (
		key &&
		!event.locals.user &&
		!event.locals.databaseUnavailable &&
		pageCache.cacheableResponse(response)
	) {
		const entry = await pageCache.toEntry(response, event.route.id);
		pageCache.keep(key, builtAt, entry);
		response = fromEntry(entry, event.request);
		response.headers.set('x-request-id', requestId);
		cache = 'miss';
	} else {
		if (!response.headers.has('cache-control')) {
			// A form's answer, or a page for a session or a precise place: for this client only.
			const mine =
				method !== 'GET' && method !== 'HEAD' ? 'no-store' : anonymous ? null : 'private, no-store';
			if (mine) response = withHeaders(response, [['cache-control', mine, true]]);
		}
		response = compressed(event.request, response);
	}

	logRequest(event, response.status, started, cache);
	return response;
}

/** One line per request: never the URL, the query or the client's address. */
function logRequest(event: RequestEvent, status: number, started: number, cache: string) {
	log.info(
		{
			reqId: event.locals.requestId,
			method: event.request.method,
			route: event.route.id,
			status,
			ms: Math.round(performance.now() - started),
			cache
		},
		'request'
	);
}

/**
 * Errors SvelteKit caught in a load, an action or an endpoint. A database outage is told apart
 * (the handle above turns its answer into a 503); anything else unexpected is logged with its
 * stack, server-side only, and the person sees a calm message that fits the status.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		log.warn(
			{ reqId: event.locals.requestId, route: event.route.id, err: describeError(error) },
			'database unavailable'
		);
		return { message: UNAVAILABLE_MESSAGE, code: 'database_unavailable' };
	}
	if (status >= 500) {
		log.error(
			{ reqId: event.locals.requestId, route: event.route.id, err: describeError(error) },
			'unexpected error'
		);
	}
	return statusError(status);
};

// Rendered answers kept in memory, so a repeat anonymous request for a public page or API list is
// answered without rendering or querying again (docs/decisions/021-rendered-page-cache.md). Plain
// JavaScript, because two places use it: src/hooks.server.ts fills it, and scripts/server-entry.js
// answers from it before adapter-node and SvelteKit see the request (svelte.config.js copies this
// file beside it in build/). The two copies of the module share one store on globalThis.
//
// An entry is dropped when the data it was built from may have changed: every committed write
// announces itself (src/lib/server/events.ts, and through PostgreSQL from other instances), and
// the hook calls `invalidate`. An answer rendered while a write committed is never kept.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** Limits: memory in all, one answer, and how long an entry lives even when nothing changes. */
export const LIMITS = {
	maxBytes: 48 * 1024 * 1024,
	maxEntryBytes: 2 * 1024 * 1024,
	ttlMs: 5 * 60_000
};

/** Cookies that may change what a page shows (the staff session, the rating page's device). */
const APP_COOKIE = /(?:^|;)\s*(?:__Host-)?kd_/;

/** Precise places (the browser's location) are never kept, even in memory. */
const PRECISE_PLACE = /[?&](?:lat|lng)=/;

/** Paths never kept: staff pages, and the health check, which must say what is true now. */
const NEVER = /^\/(?:admin(?:\/|$)|healthz(?:\/|$))/;

/** Content types kept. */
const KEPT_TYPES = /^(?:text\/(?:html|csv|plain)|application\/json)\b/;

/** Below this, gzip costs more than it saves. */
const MIN_GZIP_BYTES = 1024;

/** Every answer the cache gives revalidates, cheaply, through its entity tag. */
export const PUBLIC_CACHING = 'public, max-age=0, must-revalidate';

/**
 * @typedef {object} Entry
 * @property {number} status
 * @property {[string, string][]} headers  what every copy carries (security headers included)
 * @property {Buffer} body
 * @property {Buffer | null} gzip
 * @property {string} etag
 * @property {string | null} route  the route id, for the log line
 * @property {number} storedAt
 */

/**
 * @typedef {object} Store
 * @property {number} version
 * @property {Map<string, Entry>} entries
 * @property {number} bytes
 * @property {Map<string, { version: number, answer: Promise<Entry | undefined> }>} renders
 *   answers being built, by key
 */

const STORE = Symbol.for('ketamine-directory.page-cache');

/** @returns {Store} */
function store() {
	const global = /** @type {Record<symbol, Store | undefined>} */ (
		/** @type {unknown} */ (globalThis)
	);
	return (global[STORE] ??= { version: 0, entries: new Map(), bytes: 0, renders: new Map() });
}

/** The data's version in this process; it moves on every `invalidate`. */
export function version() {
	return store().version;
}

/** Drops every entry: something they were built from may have changed. */
export function invalidate() {
	const s = store();
	s.version++;
	s.entries.clear();
	s.bytes = 0;
}

/**
 * Whether a request may be answered from the cache, or its answer kept: a GET (or HEAD) for a
 * public path, from a client without the app's cookies, that names no precise place.
 * @param {string} method
 * @param {string} pathAndSearch
 * @param {string | null | undefined} cookie
 */
export function cacheableRequest(method, pathAndSearch, cookie) {
	if (method !== 'GET' && method !== 'HEAD') return false;
	if (cookie && APP_COOKIE.test(cookie)) return false;
	return !NEVER.test(pathAndSearch) && !PRECISE_PLACE.test(pathAndSearch);
}

/**
 * The key of a request: the origin the app saw (pages may print it) and the path as sent.
 * @param {string} origin
 * @param {string} pathAndSearch
 */
export const keyOf = (origin, pathAndSearch) => origin + pathAndSearch;

/**
 * The entry for `key`, unless it has expired.
 * @param {string} key
 * @returns {Entry | undefined}
 */
export function lookup(key) {
	const s = store();
	const entry = s.entries.get(key);
	if (!entry) return undefined;
	if (Date.now() - entry.storedAt > LIMITS.ttlMs) {
		s.entries.delete(key);
		s.bytes -= sizeOf(entry);
		return undefined;
	}
	return entry;
}

/**
 * The answer being built for `key` at this version, if one is: a request that finds it waits for
 * it instead of building the same page again (fifty visitors arriving together after a write
 * cost one render, not fifty). Resolves to undefined when that answer could not be kept.
 * @param {string} key
 * @param {number} builtAt
 * @returns {Promise<Entry | undefined> | undefined}
 */
export function underway(key, builtAt) {
	const render = store().renders.get(key);
	return render && render.version === builtAt ? render.answer : undefined;
}

/**
 * Announces that this request builds the answer for `key`; call the returned function with the
 * entry (or undefined) once it is known, whatever happens.
 * @param {string} key
 * @param {number} builtAt
 * @returns {(entry: Entry | undefined) => void}
 */
export function building(key, builtAt) {
	const renders = store().renders;
	/** @type {(entry: Entry | undefined) => void} */
	let settle = () => {};
	/** @type {Promise<Entry | undefined>} */
	const answer = new Promise((resolve) => (settle = resolve));
	const render = { version: builtAt, answer };
	renders.set(key, render);
	return (entry) => {
		if (renders.get(key) === render) renders.delete(key);
		settle(entry);
	};
}

/** @param {Entry} entry */
const sizeOf = (entry) => entry.body.length + (entry.gzip?.length ?? 0) + 512;

/**
 * Whether an answer may be kept: a complete 200 of a kept type that sets no cookie and does not
 * ask to stay private. @param {Response} response
 */
export function cacheableResponse(response) {
	if (response.status !== 200 || !response.body) return false;
	if (response.headers.has('set-cookie') || response.headers.has('content-encoding')) return false;
	if (/no-store|private/.test(response.headers.get('cache-control') ?? '')) return false;
	return KEPT_TYPES.test(response.headers.get('content-type') ?? '');
}

/** Headers that belong to one answer, never to the copies. */
const PER_ANSWER = new Set(['x-request-id', 'content-length', 'content-encoding', 'date']);

/**
 * Reads an answer into an entry, with its gzip copy and an entity tag from its bytes (the same
 * on every instance for the same content).
 * @param {Response} response
 * @param {string | null} route
 * @returns {Promise<Entry>}
 */
export async function toEntry(response, route) {
	const body = Buffer.from(await response.arrayBuffer());
	const etag =
		response.headers.get('etag') ??
		`"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
	/** @type {[string, string][]} */
	const headers = [];
	response.headers.forEach((value, name) => {
		if (!PER_ANSWER.has(name) && name !== 'etag' && name !== 'vary' && name !== 'cache-control')
			headers.push([name, value]);
	});
	headers.push(
		['etag', etag],
		['vary', 'Accept-Encoding'],
		['cache-control', response.headers.get('cache-control') ?? PUBLIC_CACHING]
	);
	const entry = {
		status: response.status,
		headers,
		body,
		gzip: body.length >= MIN_GZIP_BYTES ? gzipSync(body) : null,
		etag,
		route,
		storedAt: Date.now()
	};
	return entry;
}

/**
 * Keeps an entry built at `builtAt` (a `version()`), unless the data changed meanwhile.
 * @param {string} key
 * @param {number} builtAt
 * @param {Entry} entry
 */
export function keep(key, builtAt, entry) {
	const s = store();
	if (builtAt !== s.version || sizeOf(entry) > LIMITS.maxEntryBytes) return;
	const old = s.entries.get(key);
	if (old) {
		s.entries.delete(key);
		s.bytes -= sizeOf(old);
	}
	s.entries.set(key, entry);
	s.bytes += sizeOf(entry);
	// Oldest first (Map keeps insertion order).
	for (const [k, e] of s.entries) {
		if (s.bytes <= LIMITS.maxBytes) break;
		s.entries.delete(k);
		s.bytes -= sizeOf(e);
	}
}

/** @param {string | null | undefined} header */
export function acceptsGzip(header) {
	return (header ?? '')
		.split(',')
		.map((part) => part.trim().toLowerCase())
		.some((part) => (part === 'gzip' || part.startsWith('gzip;')) && !/;\s*q=0(\.0*)?$/.test(part));
}

/**
 * Whether an If-None-Match header names this entity tag (weak comparison, as RFC 9110 asks).
 * @param {string | null | undefined} header
 * @param {string} etag
 */
export function notModified(header, etag) {
	if (!header) return false;
	if (header.trim() === '*') return true;
	const bare = (/** @type {string} */ tag) => tag.trim().replace(/^W\//, '');
	return header.split(',').some((tag) => bare(tag) === bare(etag));
}

/**
 * What to send for an entry: status, headers and body, given the request's headers.
 * @param {Entry} entry
 * @param {{ method: string, ifNoneMatch: string | null | undefined, acceptEncoding: string | null | undefined }} request
 * @returns {{ status: number, headers: [string, string][], body: Buffer | null }}
 */
export function answerFor(entry, { method, ifNoneMatch, acceptEncoding }) {
	if (notModified(ifNoneMatch, entry.etag)) {
		return {
			status: 304,
			headers: entry.headers.filter(([name]) => KEPT_ON_304.has(name)),
			body: null
		};
	}
	const zipped = entry.gzip !== null && acceptsGzip(acceptEncoding);
	const body = zipped ? entry.gzip : entry.body;
	/** @type {[string, string][]} */
	const headers = [...entry.headers, ['content-length', String(body?.length ?? 0)]];
	if (zipped) headers.push(['content-encoding', 'gzip']);
	return { status: entry.status, headers, body: method === 'HEAD' ? null : body };
}

/** What a 304 repeats of the full answer (RFC 9110 15.4.5). */
const KEPT_ON_304 = new Set([
	'etag',
	'vary',
	'cache-control',
	'content-security-policy',
	'strict-transport-security',
	'x-content-type-options',
	'x-frame-options',
	'referrer-policy',
	'permissions-policy',
	'cross-origin-opener-policy'
]);

/** A client's request id is kept when it looks like one; otherwise the server makes its own. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** @param {string | null | undefined} given */
export function requestIdFrom(given) {
	return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

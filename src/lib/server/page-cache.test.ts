import { beforeEach, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import * as pageCache from './page-cache.js';

const page = (body: string, headers: Record<string, string> = {}) =>
	new Response(body, { status: 200, headers: { 'content-type': 'text/html', ...headers } });

const KEY = pageCache.keyOf('http://localhost:3000', '/states');

beforeEach(() => pageCache.invalidate());

describe('which requests the kept pages answer', () => {
	it('answers anonymous GETs and HEADs for public paths', () => {
		expect(pageCache.cacheableRequest('GET', '/states/tx', undefined)).toBe(true);
		expect(pageCache.cacheableRequest('HEAD', '/?near=78701&radius=50', '')).toBe(true);
		expect(pageCache.cacheableRequest('GET', '/api/providers?state=CA', 'theme=dark')).toBe(true);
	});

	it('never answers forms, staff pages, the health check, sessions or precise places', () => {
		expect(pageCache.cacheableRequest('POST', '/states', undefined)).toBe(false);
		expect(pageCache.cacheableRequest('GET', '/admin', undefined)).toBe(false);
		expect(pageCache.cacheableRequest('GET', '/admin/requests?x=1', undefined)).toBe(false);
		expect(pageCache.cacheableRequest('GET', '/healthz', undefined)).toBe(false);
		expect(pageCache.cacheableRequest('GET', '/states', 'kd_session=abc')).toBe(false);
		expect(pageCache.cacheableRequest('GET', '/states', 'a=1; __Host-kd_session=abc')).toBe(false);
		expect(pageCache.cacheableRequest('GET', '/providers/x/rate', 'kd_device=abc')).toBe(false);
		expect(pageCache.cacheableRequest('GET', '/?lat=30.2&lng=-97.7', undefined)).toBe(false);
		expect(pageCache.cacheableRequest('GET', '/api/map?zoom=8&lng=-97', undefined)).toBe(false);
	});

	it('keeps only complete 200s that set no cookie and are not private', () => {
		expect(pageCache.cacheableResponse(page('<p>hi</p>'))).toBe(true);
		expect(pageCache.cacheableResponse(new Response('gone', { status: 404 }))).toBe(false);
		expect(pageCache.cacheableResponse(page('x', { 'set-cookie': 'kd_device=1' }))).toBe(false);
		expect(pageCache.cacheableResponse(page('x', { 'cache-control': 'private, no-store' }))).toBe(
			false
		);
		expect(pageCache.cacheableResponse(page('x', { 'content-type': 'image/png' }))).toBe(false);
	});
});

describe('a kept page', () => {
	it('is answered again, gzipped when accepted, with a 304 for a current copy', async () => {
		const body = '<main>' + 'Texas providers '.repeat(200) + '</main>';
		const entry = await pageCache.toEntry(page(body), '/states');
		pageCache.keep(KEY, pageCache.version(), entry);
		const kept = pageCache.lookup(KEY)!;
		expect(kept).toBeDefined();

		const plain = pageCache.answerFor(kept, {
			method: 'GET',
			ifNoneMatch: null,
			acceptEncoding: null
		});
		expect(plain.status).toBe(200);
		expect(plain.body!.toString()).toBe(body);

		const zipped = pageCache.answerFor(kept, {
			method: 'GET',
			ifNoneMatch: null,
			acceptEncoding: 'gzip, br'
		});
		expect(new Map(zipped.headers).get('content-encoding')).toBe('gzip');
		expect(gunzipSync(zipped.body!).toString()).toBe(body);

		const current = pageCache.answerFor(kept, {
			method: 'GET',
			ifNoneMatch: `W/${kept.etag}`,
			acceptEncoding: null
		});
		expect(current.status).toBe(304);
		expect(current.body).toBeNull();
		expect(new Map(current.headers).get('etag')).toBe(kept.etag);

		const head = pageCache.answerFor(kept, {
			method: 'HEAD',
			ifNoneMatch: null,
			acceptEncoding: null
		});
		expect(head.body).toBeNull();
		expect(new Map(head.headers).get('content-length')).toBe(String(Buffer.byteLength(body)));
	});

	it('has an entity tag that depends on its bytes only', async () => {
		const a = await pageCache.toEntry(page('same'), '/');
		const b = await pageCache.toEntry(page('same'), '/');
		const c = await pageCache.toEntry(page('other'), '/');
		expect(a.etag).toBe(b.etag);
		expect(a.etag).not.toBe(c.etag);
	});

	it('is dropped when the data changes, and one built before the change is never kept', async () => {
		const builtAt = pageCache.version();
		pageCache.keep(KEY, builtAt, await pageCache.toEntry(page('before'), '/states'));
		expect(pageCache.lookup(KEY)).toBeDefined();

		const renderingAt = pageCache.version();
		pageCache.invalidate();
		expect(pageCache.lookup(KEY)).toBeUndefined();
		// A render that started before the write finishes after it: not kept.
		pageCache.keep(KEY, renderingAt, await pageCache.toEntry(page('stale'), '/states'));
		expect(pageCache.lookup(KEY)).toBeUndefined();
	});

	it('keeps memory bounded, dropping the oldest first', async () => {
		const big = 'x'.repeat(pageCache.LIMITS.maxEntryBytes / 2);
		const n = Math.ceil(pageCache.LIMITS.maxBytes / (big.length * 0.5));
		for (let i = 0; i < n; i++) {
			pageCache.keep(`k${i}`, pageCache.version(), await pageCache.toEntry(page(big + i), '/'));
		}
		expect(pageCache.lookup('k0')).toBeUndefined();
		expect(pageCache.lookup(`k${n - 1}`)).toBeDefined();
	});
});

describe('requests arriving together', () => {
	it('wait for the one building the answer, and get its copy', async () => {
		const at = pageCache.version();
		expect(pageCache.underway(KEY, at)).toBeUndefined();
		const done = pageCache.building(KEY, at);
		const waiting = pageCache.underway(KEY, at);
		expect(waiting).toBeDefined();
		const entry = await pageCache.toEntry(page('<p>built once</p>'), '/states');
		pageCache.keep(KEY, at, entry);
		done(pageCache.lookup(KEY));
		expect(await waiting).toBe(entry);
		expect(pageCache.underway(KEY, at)).toBeUndefined();
	});

	it('after a write, build their own answer rather than wait for one from before it', () => {
		const at = pageCache.version();
		const done = pageCache.building(KEY, at);
		pageCache.invalidate();
		expect(pageCache.underway(KEY, pageCache.version())).toBeUndefined();
		done(undefined);
	});
});

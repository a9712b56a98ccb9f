import type { FeedbackBrief } from './domain';
import { expect, test, type Api } from './fixtures';
import { first } from '../helpers/rows';
import { rawGet } from './raw-http';

/**
 * Repeat anonymous requests are answered from a kept copy (src/lib/server/page-cache.js): the
 * same bytes and entity tag, 304 for a current copy — and a write is visible on the very next
 * request. Raw HTTP where the headers matter, so nothing is cached or decompressed on the way.
 */

async function get(path: string, headers: Record<string, string> = {}) {
	const answer = await rawGet(path, headers);
	return { ...answer, body: answer.body.toString('utf8') };
}

async function ratingCount(api: Api, slug: string): Promise<number> {
	return ((await api.provider(slug)) as unknown as { feedback: FeedbackBrief }).feedback.count;
}

test('a repeat request gets the same page and tag, and a current copy gets 304', async () => {
	const one = await get('/states');
	const two = await get('/states');
	expect(one.status).toBe(200);
	expect(two.body).toBe(one.body);
	expect(one.headers.etag).toMatch(/^"[^"]+"$/);
	expect(two.headers.etag).toBe(one.headers.etag);
	expect(two.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
	// Each answer is still its own: its request id, and the security headers on the copy too.
	expect(two.headers['x-request-id']).not.toBe(one.headers['x-request-id']);
	expect(two.headers['content-security-policy']).toBe(one.headers['content-security-policy']);
	expect(two.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
	expect(two.headers['content-security-policy']).not.toContain('nonce-');
	expect(two.headers['x-frame-options']).toBe('DENY');

	const current = await get('/states', { 'if-none-match': one.headers.etag! });
	expect(current.status).toBe(304);
	expect(current.body).toBe('');
	expect(current.headers.etag).toBe(one.headers.etag);

	const json = await get('/api/providers?state=CA&pageSize=100');
	const again = await get('/api/providers?state=CA&pageSize=100', {
		'if-none-match': json.headers.etag!
	});
	expect(again.status).toBe(304);
});

test('what belongs to one visitor is never kept or shared', async () => {
	// The browser's own location: answered, but for this client only.
	const here = await get('/?lat=30.27&lng=-97.74&radius=25');
	expect(here.status).toBe(200);
	expect(here.headers['cache-control']).toBe('private, no-store');
	// A request carrying a session cookie (valid or not) never gets the shared copy's headers.
	const session = await get('/states', { cookie: 'kd_session=not-a-real-session' });
	expect(session.status).toBe(200);
	expect(session.headers['cache-control']).toBe('private, no-store');
});

test('a form with a one-time token is never shared: each visitor gets their own', async () => {
	const token = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1];
	for (const path of ['/list-your-practice', '/providers/anchorpoint-telehealth/update']) {
		const one = await get(path);
		const two = await get(path);
		expect(one.status, path).toBe(200);
		expect(one.headers['cache-control'], path).toBe('private, no-store');
		expect(token(one.body), path).toBeTruthy();
		expect(token(two.body), path).not.toBe(token(one.body));
	}
});

test('a new rating shows on the next request for the profile, the API and the state page', async ({
	api,
	request
}) => {
	const candidates = (await api.allProviders({ state: 'WY' })).filter((p) => p.state === 'WY');
	const provider = first(candidates, 'a Wyoming provider');
	const profile = `/providers/${provider.slug}`;
	const before = await ratingCount(api, provider.slug);
	// Fill the kept copies.
	for (const path of [profile, `/api/providers/${provider.slug}`, '/states/wy']) {
		expect((await get(path)).status).toBe(200);
		expect((await get(path)).headers.etag).toBeDefined();
	}

	const rated = await request.post(`/api/providers/${provider.slug}/ratings`, {
		data: {
			overall: 4,
			ownExperience: true,
			idempotencyKey: `e2e-page-cache-${Date.now()}-${test.info().retry}`
		},
		headers: { 'x-forwarded-for': `10.250.${test.info().retry}.${Date.now() % 250}` }
	});
	expect(rated.status()).toBe(201);

	const after = await ratingCount(api, provider.slug);
	expect(after).toBeGreaterThan(before);
	const page = await get(profile);
	expect(page.body).toContain(`${after} rating${after === 1 ? '' : 's'}`);
});

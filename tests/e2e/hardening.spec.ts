import { test, expect } from '@playwright/test';
import http from 'node:http';

/**
 * Hostile and malformed requests, sent over real HTTP to the production build: each gets a 4xx
 * that says what was wrong (in the API's one error shape on /api), never a 500; every kind of
 * answer carries the security headers and a request id.
 */

const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;
const FORM = 'application/x-www-form-urlencoded';

async function send(path: string, init: RequestInit = {}) {
	const headers = new Headers(init.headers);
	if (init.method === 'POST' && !headers.has('origin')) headers.set('origin', ORIGIN);
	// As a browser's plain form post asks (fetch's */* would get SvelteKit's JSON action result).
	if (!headers.has('accept')) headers.set('accept', 'text/html');
	const response = await fetch(`${ORIGIN}${path}`, { redirect: 'manual', ...init, headers });
	const text = await response.text();
	return { status: response.status, headers: response.headers, text };
}

function expectApiError(answer: { status: number; text: string }, status: number, code: string) {
	expect(answer.status, answer.text).toBe(status);
	const body = JSON.parse(answer.text) as { error: Record<string, unknown> };
	expect(Object.keys(body)).toEqual(['error']);
	expect(body.error.code).toBe(code);
	expect(typeof body.error.message).toBe('string');
	expect(String(body.error.message).length).toBeGreaterThan(10);
}

let slug = '';
test.beforeAll(async () => {
	const list = JSON.parse((await send('/api/providers?pageSize=1')).text) as {
		results: { slug: string }[];
	};
	slug = list.results[0]!.slug;
});

test.describe('slugs that cannot be a provider are a 404 before any query', () => {
	const bad = ['%00', 'a%00b', '%0d%0aX:1', 'a%20b', 'x'.repeat(300), '%E2%80%AE'];
	const pages = (s: string) => [
		`/providers/${s}`,
		`/providers/${s}/rate`,
		`/providers/${s}/report`,
		`/providers/${s}/update`,
		`/providers/${s}/ratings/1/report`
	];

	for (const s of bad) {
		test(`pages and API for “${s.slice(0, 20)}”`, async () => {
			for (const path of pages(s)) {
				const page = await send(path);
				expect(page.status, path).toBe(404);
				const post = await send(path, {
					method: 'POST',
					body: 'a=1',
					headers: { 'content-type': FORM }
				});
				expect(post.status, `POST ${path}`).toBe(404);
			}
			expectApiError(await send(`/api/providers/${s}`), 404, 'not_found');
			const rating = await send(`/api/providers/${s}/ratings`, {
				method: 'POST',
				body: '{}',
				headers: { 'content-type': 'application/json' }
			});
			expectApiError(rating, 404, 'not_found');
		});
	}
});

test.describe('form bodies the app cannot read', () => {
	test('text/plain and JSON sent to a form: 415, saying how forms are sent', async () => {
		for (const type of ['text/plain', 'application/json']) {
			const answer = await send('/list-your-practice', {
				method: 'POST',
				body: 'name=x',
				headers: { 'content-type': type }
			});
			expect(answer.status, type).toBe(415);
			expect(answer.text).toContain('multipart/form-data');
			expect(answer.text).not.toContain('Something went wrong');
		}
	});

	test('a malformed multipart body: 400', async () => {
		const answer = await send(`/providers/${slug}/rate`, {
			method: 'POST',
			body: '--zzz\r\nContent-Disposition: form-data; name="overall"\r\n\r\n5',
			headers: { 'content-type': 'multipart/form-data; boundary=zzz' }
		});
		expect(answer.status).toBe(400);
		expect(answer.text).toContain('could not read that form');
	});

	test('actions named __proto__, constructor, default or nothing the page has: 404', async () => {
		for (const name of ['__proto__', 'constructor', 'default', 'toString', 'nope']) {
			for (const path of ['/list-your-practice', '/admin/sign-in', `/providers/${slug}/rate`]) {
				const answer = await send(`${path}?/${name}`, {
					method: 'POST',
					body: 'a=1',
					headers: { 'content-type': FORM }
				});
				expect(answer.status, `${path}?/${name}`).toBe(404);
			}
		}
		// An enhanced form reads the same refusal as an ActionResult.
		const enhanced = await send('/list-your-practice?/__proto__', {
			method: 'POST',
			body: 'a=1',
			headers: { 'content-type': FORM, 'x-sveltekit-action': 'true', accept: 'application/json' }
		});
		expect(enhanced.status).toBe(404);
		expect(JSON.parse(enhanced.text)).toMatchObject({
			type: 'error',
			error: { code: 'no_such_action' }
		});
	});

	test('a form over the size limit: 413 that says so, not “something went wrong”', async () => {
		const answer = await send('/list-your-practice', {
			method: 'POST',
			body: `name=${'a'.repeat(7 * 1024 * 1024)}`,
			headers: { 'content-type': FORM }
		});
		expect(answer.status).toBe(413);
		expect(answer.text).toContain('larger than we accept');
		expect(answer.text).not.toContain('Something went wrong');
	});

	test('NUL and control characters in listing fields are cleaned, the rest of the form checked', async () => {
		const body = new URLSearchParams({
			name: 'Calm\u0000 Waters\u0007 Clinic',
			city: 'Aus\u0000tin',
			contactName: 'Ana\u0000',
			website: 'https://calm.example\u0000',
			// No email: the form must come back with field messages, nothing written.
			contactEmail: ''
		});
		const answer = await send('/list-your-practice', {
			method: 'POST',
			body: body.toString(),
			headers: { 'content-type': FORM }
		});
		expect(answer.status).toBe(400);
		expect(answer.text).toContain('Calm Waters Clinic');
		expect(answer.text).not.toContain('\u0000');
		expect(answer.text).not.toContain('Something went wrong');
	});
});

test.describe('redirect targets', () => {
	test('a line break or NUL in ?next= never reaches the Location header', async () => {
		for (const next of [
			'/admin/%0d%0aX-Injected:1',
			'/admin/%00',
			'//evil.example',
			'/admin%5C@evil.example'
		]) {
			const answer = await send(`/admin/sign-in?next=${next}`, {
				method: 'POST',
				body: new URLSearchParams({
					email: 'e2e-admin@example.org',
					password: 'e2e admin password long enough'
				}).toString(),
				// The e2e server reads the client's address from this header (ADDRESS_HEADER).
				headers: { 'content-type': FORM, 'x-forwarded-for': '203.0.113.9' }
			});
			expect(answer.status, next).toBe(303);
			// Refused, or (a NUL) cleaned away: either way the admin area, on this site.
			expect(answer.headers.get('location'), next).toMatch(/^\/admin\/?$/);
			expect(answer.headers.get('x-injected')).toBeNull();
		}
	});
});

test.describe('the API’s one error shape', () => {
	test('wrong method: 405 with Allow', async () => {
		for (const [method, path] of [
			['POST', '/api/providers'],
			['DELETE', '/api/states'],
			['PUT', `/api/providers/${slug}`],
			['PATCH', '/api/map']
		] as const) {
			const answer = await send(path, { method, headers: { origin: ORIGIN } });
			expectApiError(answer, 405, 'method_not_allowed');
			expect(answer.headers.get('allow'), `${method} ${path}`).toMatch(/GET/);
		}
	});

	test('bad percent-encoding: 400', async () => {
		expectApiError(await send('/api/providers/%zz'), 400, 'bad_request');
		expectApiError(await send('/api/%E0%A4%A'), 400, 'bad_request');
	});

	test('oversized JSON: 413, not invalid_json', async () => {
		const answer = await send(`/api/providers/${slug}/ratings`, {
			method: 'POST',
			body: JSON.stringify({ comment: 'a'.repeat(7 * 1024 * 1024) }),
			headers: { 'content-type': 'application/json' }
		});
		expectApiError(answer, 413, 'too_large');
	});

	test('malformed JSON: 400 invalid_json', async () => {
		const answer = await send(`/api/providers/${slug}/ratings`, {
			method: 'POST',
			body: '{"overall":',
			headers: { 'content-type': 'application/json' }
		});
		expectApiError(answer, 400, 'invalid_json');
	});

	test('an oversized query: 431 in the same shape', async () => {
		const answer = await send(`/api/providers?q=${'a'.repeat(20_000)}`);
		expectApiError(answer, 431, 'headers_too_large');
	});
});

/** A GET with a Host header of the caller's choosing (fetch does not allow setting it). */
function getWithHost(path: string, host: string): Promise<string> {
	const { port } = new URL(ORIGIN);
	return new Promise((done, fail) => {
		http
			.get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
				let body = '';
				res.on('data', (chunk: Buffer) => (body += chunk.toString()));
				res.on('end', () => done(body));
			})
			.on('error', fail);
	});
}

test('absolute URLs in API answers never come from the Host header', async () => {
	for (const path of ['/api/providers?pageSize=2', `/api/providers/${slug}`]) {
		const body = await getWithHost(path, 'evil.example');
		expect(body, path).toContain(`/providers/${slug}`);
		expect(body, path).not.toContain('evil.example');
	}
});

test.describe('headers on every kind of answer', () => {
	const kinds: [string, () => Promise<{ status: number; headers: Headers }>][] = [
		['a page', () => send('/')],
		['a JSON answer', () => send('/api/states')],
		['an API error', () => send('/api/nothing-here')],
		['SvelteKit’s 404 page', () => send('/no-such-page')],
		['a static file', () => send('/favicon.svg')],
		[
			'a built asset',
			async () => {
				const home = await send('/');
				const asset = /\/_app\/immutable\/[^"]+\.js/.exec(home.text)?.[0];
				expect(asset).toBeTruthy();
				return send(asset!);
			}
		],
		[
			'the cross-origin refusal (403)',
			() =>
				send('/list-your-practice', {
					method: 'POST',
					body: 'a=1',
					headers: { 'content-type': FORM, origin: 'https://evil.example' }
				})
		],
		[
			'a refused form body (415)',
			() =>
				send('/list-your-practice', {
					method: 'POST',
					body: 'a',
					headers: { 'content-type': 'text/plain' }
				})
		]
	];

	for (const [kind, fetchIt] of kinds) {
		test(kind, async () => {
			const { headers } = await fetchIt();
			expect(headers.get('x-content-type-options')).toBe('nosniff');
			expect(headers.get('referrer-policy')).toBe('same-origin');
			expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
			expect(headers.get('permissions-policy')).toContain('geolocation=(self)');
			expect(headers.get('permissions-policy')).toContain('camera=()');
			const csp = headers.get('content-security-policy') ?? '';
			expect(csp).toContain("frame-ancestors 'none'");
			expect(csp).toContain("base-uri 'none'");
			expect(csp).toMatch(/form-action '(self|none)'/);
			// Served over plain HTTP here: no HSTS, which browsers would ignore anyway.
			expect(headers.get('strict-transport-security')).toBeNull();
		});
	}

	test('pages allow forms to post only to this site', async () => {
		const csp = (await send('/')).headers.get('content-security-policy') ?? '';
		expect(csp).toContain("form-action 'self'");
		// Scripts by hash (decision 021): the same policy for every copy of a page.
		expect(csp).toMatch(/script-src 'self' 'sha256-/);
		expect(csp).not.toContain('nonce-');
	});

	test('a request id on every answer: made fresh, or a proxy’s kept', async () => {
		const a = (await send('/api/states')).headers.get('x-request-id');
		const b = (await send('/api/states')).headers.get('x-request-id');
		expect(a).toMatch(/^[0-9a-f-]{36}$/);
		expect(b).not.toBe(a);
		const kept = await send('/api/states', { headers: { 'x-request-id': 'proxy-abc-12345' } });
		expect(kept.headers.get('x-request-id')).toBe('proxy-abc-12345');
		const odd = await send('/api/states', { headers: { 'x-request-id': 'x y' } });
		expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
	});
});

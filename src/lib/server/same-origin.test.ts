import { parse } from 'devalue';
import { describe, expect, it } from 'vitest';
import { ORIGIN_PROBLEM, refusal, refusedOrigin } from './same-origin';

const SITE = 'http://localhost:3000';

function post(headers: Record<string, string>, body = 'a=1', method = 'POST') {
	return new Request(`${SITE}/providers/x/rate`, { method, headers, body });
}

describe('the origin check (SvelteKit’s rule)', () => {
	it('lets same-origin forms through', () => {
		expect(
			refusedOrigin(
				post({ origin: SITE, 'content-type': 'application/x-www-form-urlencoded' }),
				SITE
			)
		).toBeNull();
	});

	it.each([
		'application/x-www-form-urlencoded',
		'multipart/form-data; boundary=x',
		'text/plain;charset=UTF-8',
		'application/x-sveltekit-formdata'
	])('refuses a %s form from another origin, or with no origin', (type) => {
		expect(
			refusedOrigin(post({ origin: 'https://evil.example', 'content-type': type }), SITE)
		).toBe('https://evil.example');
		expect(refusedOrigin(post({ 'content-type': type }), SITE)).toBe('');
	});

	it('refuses the same host over the other scheme', () => {
		const request = post({
			origin: 'https://localhost:3000',
			'content-type': 'application/x-www-form-urlencoded'
		});
		expect(refusedOrigin(request, SITE)).toBe('https://localhost:3000');
	});

	it.each(['PUT', 'PATCH', 'DELETE'])('checks %s like POST', (method) => {
		const request = post(
			{ origin: 'https://evil.example', 'content-type': 'text/plain' },
			'x',
			method
		);
		expect(refusedOrigin(request, SITE)).toBe('https://evil.example');
	});

	it('leaves JSON requests and GETs to the API’s own rules', () => {
		expect(
			refusedOrigin(
				post({ origin: 'https://evil.example', 'content-type': 'application/json' }),
				SITE
			)
		).toBeNull();
		expect(
			refusedOrigin(new Request(`${SITE}/`, { headers: { origin: 'https://evil.example' } }), SITE)
		).toBeNull();
	});
});

describe('the refusal', () => {
	it('answers an enhanced form with a failure that keeps what was typed', async () => {
		const body = new URLSearchParams([
			['comment', 'typed'],
			['conditions', 'ptsd'],
			['conditions', 'trd']
		]).toString();
		const response = await refusal(
			new Request(`${SITE}/admin/providers/1?/save`, {
				method: 'POST',
				headers: {
					origin: 'https://other.example',
					'content-type': 'application/x-www-form-urlencoded',
					'x-sveltekit-action': 'true'
				},
				body
			}),
			'https://other.example',
			SITE
		);
		expect(response.status).toBe(403);
		const result = (await response.json()) as { type: string; data: string };
		expect(result.type).toBe('failure');
		const data = parse(result.data) as Record<string, unknown>;
		expect(data.values).toEqual({ comment: 'typed', conditions: ['ptsd', 'trd'] });
		expect(data.action).toBe('save');
		expect(data[ORIGIN_PROBLEM]).toContain(
			'This form was sent from https://other.example, but this server only accepts forms from http://localhost:3000.'
		);
	});

	it('answers a browser without JavaScript with a page that says what to do, escaping the origin', async () => {
		const response = await refusal(
			post({ origin: 'https://<b>x</b>', 'content-type': 'text/plain', accept: 'text/html' }),
			'https://<b>x</b>',
			SITE
		);
		expect(response.status).toBe(403);
		expect(response.headers.get('content-type')).toContain('text/html');
		const html = await response.text();
		expect(html).toContain('<h1>This form could not be sent</h1>');
		expect(html).toContain('https://&lt;b&gt;x&lt;/b&gt;');
		expect(html).toContain('set ORIGIN to the address people use to reach it');
		expect(html).not.toContain('<b>x</b>');
	});

	it('answers JSON clients in the API’s error shape', async () => {
		const response = await refusal(
			post({
				origin: 'https://other.example',
				'content-type': 'text/plain',
				accept: 'application/json'
			}),
			'https://other.example',
			SITE
		);
		expect(response.status).toBe(403);
		expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
			'cross_origin'
		);
	});
});

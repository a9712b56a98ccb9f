import { test, expect } from '@playwright/test';
import { gunzipSync } from 'node:zlib';
import { rawGet } from './raw-http';

/**
 * Pages, JSON and static files travel compressed when the client accepts it, and as they are when
 * it does not. Raw HTTP, so nothing decompresses on the test's behalf.
 */

const PORT = Number(process.env.E2E_PORT ?? 4173);

const get = (path: string, encoding?: string) =>
	rawGet(path, encoding ? { 'accept-encoding': encoding } : {});

for (const [what, path, marker] of [
	['a page', '/states', '<html'],
	['a JSON answer', '/api/states', '"states"']
] as const) {
	test(`${what} is gzipped for a client that accepts it, and plain otherwise`, async () => {
		const zipped = await get(path, 'gzip, deflate, br');
		expect(zipped.status).toBe(200);
		expect(zipped.headers['content-encoding']).toBe('gzip');
		expect(zipped.headers.vary).toMatch(/accept-encoding/i);
		const text = gunzipSync(zipped.body).toString('utf8');
		expect(text).toContain(marker);

		const plain = await get(path);
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(plain.body.toString('utf8')).toContain(marker);
		expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
	});
}

test('built assets are served precompressed', async () => {
	const home = (await get('/')).body.toString('utf8');
	const asset = /\/_app\/immutable\/[^"]+\.js/.exec(home)?.[0];
	expect(asset).toBeTruthy();
	const zipped = await get(asset!, 'gzip');
	expect(zipped.headers['content-encoding']).toBe('gzip');
	const plain = await get(asset!);
	expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
});

test('/api/states is revalidated, not re-sent, while no listing changes', async () => {
	const first = await fetch(`http://127.0.0.1:${PORT}/api/states`);
	const etag = first.headers.get('etag');
	// From the answer's bytes (decision 021): the same on every instance and after a restart.
	expect(etag).toMatch(/^"[\w-]+"$/);
	expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
	await first.arrayBuffer();

	const again = await fetch(`http://127.0.0.1:${PORT}/api/states`, {
		headers: { 'if-none-match': etag! }
	});
	expect(again.status).toBe(304);
	expect(await again.text()).toBe('');
	expect(again.headers.get('etag')).toBe(etag);
	expect(again.headers.get('x-content-type-options')).toBe('nosniff');

	const other = await fetch(`http://127.0.0.1:${PORT}/api/states`, {
		headers: { 'if-none-match': '"something-else"' }
	});
	expect(other.status).toBe(200);
	expect(((await other.json()) as { states: unknown[] }).states.length).toBeGreaterThan(50);
});

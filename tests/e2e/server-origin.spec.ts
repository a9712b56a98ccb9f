import { expect, test } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { first } from '../helpers/rows';

/**
 * The origin the server believes it has, three ways: started plainly it is http://<Host> (forms
 * work at localhost and 127.0.0.1 alike); behind a proxy with PROTOCOL_HEADER it is whatever the
 * proxy says, and nothing else; with ORIGIN it is exactly that. A client cannot move it by sending
 * the header the plain server uses internally.
 */

const RESULTS = process.env.E2E_RESULTS ?? 'test-results';
let nextPort = 4600 + (Number(process.env.E2E_PORT ?? 4173) % 100) * 10;

async function withServer(
	env: Record<string, string>,
	body: (base: string, port: number) => Promise<void>
) {
	const port = nextPort++;
	const dir = resolve(RESULTS, 'origin', String(port));
	spawnSync('rm', ['-rf', dir]);
	const child = spawn('node', ['build'], {
		env: {
			PATH: process.env.PATH!,
			HOME: process.env.HOME!,
			PORT: String(port),
			DATA_DIR: dir,
			...env
		},
		stdio: 'ignore'
	});
	const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
	try {
		await expect
			.poll(
				() =>
					fetch(`http://127.0.0.1:${port}/healthz`).then(
						(r) => r.status,
						() => 0
					),
				{
					timeout: 60_000
				}
			)
			.toBe(200);
		await body(`http://127.0.0.1:${port}`, port);
	} finally {
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
}

const ACCEPTED = 'accepted (the form re-rendered with its errors)';
const REFUSED = 'refused as cross-site';

/** An empty form post to a provider's rate page: the action answers it, or the origin check refuses it. */
async function post(base: string, headers: Record<string, string>) {
	const { results } = (await (await fetch(`${base}/api/providers?pageSize=1`)).json()) as {
		results: { slug: string }[];
	};
	const slug = first(results, 'a provider').slug;
	const response = await fetch(`${base}/providers/${slug}/rate`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: 'overall=',
		redirect: 'manual'
	});
	if (response.status === 403) return REFUSED;
	expect(response.status).toBeLessThan(500);
	expect(await response.text()).toContain('Choose an overall rating');
	return ACCEPTED;
}

test.describe('the server’s origin', () => {
	test.describe.configure({ mode: 'serial' });
	test.slow();

	test('started plainly: http at whatever host it is reached by; the internal header cannot be spoofed', async () => {
		await withServer({}, async (base, port) => {
			expect(await post(base, { origin: `http://127.0.0.1:${port}` })).toBe(ACCEPTED);
			expect(await post(`http://localhost:${port}`, { origin: `http://localhost:${port}` })).toBe(
				ACCEPTED
			);
			expect(await post(base, { origin: `https://127.0.0.1:${port}` })).toBe(REFUSED);
			expect(
				await post(base, {
					origin: `https://127.0.0.1:${port}`,
					'x-directory-served-protocol': 'https'
				})
			).toBe(REFUSED);
			expect(await post(base, { origin: 'http://evil.example' })).toBe(REFUSED);
		});
	});

	test('behind a proxy (PROTOCOL_HEADER): only the origin the proxy reports', async () => {
		await withServer({ PROTOCOL_HEADER: 'x-forwarded-proto' }, async (base, port) => {
			const https = `https://127.0.0.1:${port}`;
			expect(await post(base, { origin: https, 'x-forwarded-proto': 'https' })).toBe(ACCEPTED);
			expect(
				await post(base, { origin: `http://127.0.0.1:${port}`, 'x-forwarded-proto': 'https' })
			).toBe(REFUSED);
			// Without the header adapter-node assumes https, as it always has.
			expect(await post(base, { origin: https })).toBe(ACCEPTED);
			expect(await post(base, { origin: `http://127.0.0.1:${port}` })).toBe(REFUSED);
		});
	});

	test('with ORIGIN: exactly that origin', async () => {
		await withServer({ ORIGIN: 'https://directory.example.org' }, async (base, port) => {
			expect(await post(base, { origin: 'https://directory.example.org' })).toBe(ACCEPTED);
			expect(await post(base, { origin: `http://127.0.0.1:${port}` })).toBe(REFUSED);
			expect(await post(base, { origin: 'http://directory.example.org' })).toBe(REFUSED);
		});
	});
});

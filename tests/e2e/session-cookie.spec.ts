import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from './fixtures';

/**
 * The session cookie's name and attributes as a browser receives them: `__Host-kd_session`
 * (Secure, Path=/, no Domain) when the site is served over HTTPS, `kd_session` over plain HTTP.
 */

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };
const RESULTS = process.env.E2E_RESULTS ?? 'test-results';
// Beside the suite's own server; the server-origin spec uses 4600 and up.
const HTTPS_PORT = Number(process.env.E2E_PORT ?? 4173) + 13;
const HTTPS_ORIGIN = 'https://directory.example.test';

test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.247.0.1' } });

async function signIn(base: string, origin: string) {
	return fetch(`${base}/admin/sign-in`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin,
			'x-forwarded-for': '10.247.0.2'
		},
		body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }),
		redirect: 'manual'
	});
}

/** The Set-Cookie attributes, lower-cased, without the value. */
function attributes(setCookie: string): string[] {
	return setCookie
		.split(';')
		.slice(1)
		.map((a) => a.trim().toLowerCase())
		.filter((a) => !a.startsWith('expires=') && !a.startsWith('max-age='));
}

test('over plain HTTP the session cookie is kd_session, HttpOnly, not Secure', async ({
	baseURL
}) => {
	const response = await signIn(baseURL!, new URL(baseURL!).origin);
	expect(response.status).toBe(303);
	const [cookie = ''] = response.headers.getSetCookie();
	expect(cookie).toMatch(/^kd_session=[A-Za-z0-9_-]{43};/);
	expect(attributes(cookie).sort()).toEqual(['httponly', 'path=/', 'samesite=lax']);
});

test('over HTTPS it is __Host-kd_session: Secure, Path=/, no Domain; the plain name is not read', async () => {
	test.slow();
	const dir = resolve(RESULTS, 'https-cookie');
	spawnSync('rm', ['-rf', dir]);
	const child = spawn('node', ['build'], {
		env: {
			PATH: process.env.PATH!,
			HOME: process.env.HOME!,
			HOST: '127.0.0.1',
			PORT: String(HTTPS_PORT),
			DATA_DIR: dir,
			SEED_DEMO: 'false',
			// The site's public address is HTTPS (a proxy in front would terminate TLS).
			ORIGIN: HTTPS_ORIGIN,
			ADMIN_EMAIL: ADMIN.email,
			ADMIN_PASSWORD: ADMIN.password,
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1'
		},
		stdio: 'ignore'
	});
	const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
	const base = `http://127.0.0.1:${HTTPS_PORT}`;
	try {
		await expect
			.poll(
				() =>
					fetch(`${base}/healthz`).then(
						(r) => r.status,
						() => 0
					),
				{ timeout: 60_000 }
			)
			.toBe(200);
		const response = await signIn(base, HTTPS_ORIGIN);
		expect(response.status).toBe(303);
		const [cookie = ''] = response.headers.getSetCookie();
		expect(cookie).toMatch(/^__Host-kd_session=[A-Za-z0-9_-]{43};/);
		expect(attributes(cookie).sort()).toEqual(['httponly', 'path=/', 'samesite=lax', 'secure']);
		const token = cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';'));

		const open = (name: string) =>
			fetch(`${base}/admin`, { headers: { cookie: `${name}=${token}` }, redirect: 'manual' });
		const signedIn = await open('__Host-kd_session');
		expect(signedIn.status).toBe(200);
		expect(await signedIn.text()).toContain(`${ADMIN.email} (admin)`);
		expect((await open('kd_session')).status).toBe(303);

		// Signing out clears the same cookie.
		const out = await fetch(`${base}/admin/sign-out`, {
			method: 'POST',
			headers: {
				cookie: `__Host-kd_session=${token}`,
				accept: 'text/html',
				origin: HTTPS_ORIGIN,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: '',
			redirect: 'manual'
		});
		expect(out.status).toBe(303);
		const [cleared = ''] = out.headers.getSetCookie();
		expect(cleared).toMatch(/^__Host-kd_session=;/);
		expect(attributes(cleared)).toEqual(expect.arrayContaining(['path=/', 'secure']));
		expect((await open('__Host-kd_session')).status).toBe(303);
	} finally {
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
});

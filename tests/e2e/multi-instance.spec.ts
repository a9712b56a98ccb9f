import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/**
 * Three `node build` servers on one PostgreSQL behind nginx (decision 020, docs/operations.md):
 * per-address limits hold across them, an approval on one reaches the map of the others within a
 * second, a session works on every one, and stopping one with SIGTERM loses no request.
 */

const E2E_PORT = Number(process.env.E2E_PORT ?? 4173);
const PROXY_PORT = E2E_PORT + 20;
const PORTS = [E2E_PORT + 21, E2E_PORT + 22, E2E_PORT + 23];
const ORIGIN = `http://127.0.0.1:${PROXY_PORT}`;
const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const ADMIN = { email: 'multi-admin@example.org', password: 'multi instance admin password' };

interface Process {
	child: ChildProcess;
	output: () => string;
	exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], env: Record<string, string>): Process {
	let output = '';
	const child = spawn(command, args, {
		detached: true,
		env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env }
	});
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
		child.on('exit', (code, signal) => done({ code, signal }))
	);
	return { child, output: () => output, exit };
}

const running = (p: Process) => p.child.exitCode === null && p.child.signalCode === null;

/** The configuration docs/operations.md shows, with every path inside `dir`. */
function nginxConfig(dir: string): string {
	return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
	access_log off;
	client_body_temp_path ${dir}/client_body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
	upstream directory {
${PORTS.map((port) => `\t\tserver 127.0.0.1:${port} max_fails=1 fail_timeout=10s;`).join('\n')}
		keepalive 16;
	}
	server {
		listen 127.0.0.1:${PROXY_PORT};
		location / {
			proxy_pass http://directory;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $remote_addr;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_next_upstream error timeout;
			proxy_next_upstream_tries 3;
			proxy_connect_timeout 2s;
		}
	}
}
`;
}

async function status(url: string, init: RequestInit = {}): Promise<number> {
	try {
		return (await fetch(url, { redirect: 'manual', ...init })).status;
	} catch {
		return 0;
	}
}

/** What nginx would send: the direct requests to one server name the client as nginx does. */
const direct = { 'x-forwarded-for': '127.0.0.1' };

function listingForm(): URLSearchParams {
	const form = new URLSearchParams({
		name: `Multi Instance Clinic ${randomUUID().slice(0, 8)}`,
		city: 'Austin',
		state: 'TX',
		zip: '78701',
		phone: '(512) 555-0100',
		website: 'https://multi-instance.example.org',
		'routes.iv': 'on',
		acceptingNewPatients: 'yes',
		contactName: 'Multi Tester',
		contactEmail: 'multi-tester@example.org',
		authorised: 'on',
		idempotencyKey: randomUUID()
	});
	form.append('kinds', 'clinic');
	return form;
}

const postForm = (url: string, body: URLSearchParams, cookie?: string) =>
	fetch(url, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin: ORIGIN,
			...(cookie ? { cookie } : {}),
			...(url.startsWith(ORIGIN) ? {} : direct)
		},
		body
	});

async function markers(port: number): Promise<number> {
	const res = await fetch(`http://127.0.0.1:${port}/api/map?bbox=-180,-85,180,85&zoom=3`, {
		headers: direct
	});
	expect(res.status).toBe(200);
	const { features } = (await res.json()) as { features: { properties: { count?: number } }[] };
	return features.reduce((n, f) => n + (f.properties.count ?? 1), 0);
}

/** `total` GETs through nginx from `concurrency` clients; `onAnswer` sees each status in turn. */
async function load(total: number, concurrency: number, onAnswer: (answered: number) => void) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const statuses: (number | string)[] = [];
	let sent = 0;
	const client = async () => {
		while (sent < total) {
			sent += 1;
			const answer = await new Promise<number | string>((done) => {
				const req = http.get(
					{ host: '127.0.0.1', port: PROXY_PORT, agent, path: '/api/providers?pageSize=5' },
					(res) => {
						res.resume();
						res.on('end', () => done(res.statusCode ?? 0));
						res.on('error', (err) => done(err.message));
					}
				);
				req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
				req.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
			});
			statuses.push(answer);
			onAnswer(statuses.length);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, client));
	agent.destroy();
	return statuses;
}

test.describe('several servers behind nginx on one PostgreSQL', () => {
	test.describe.configure({ mode: 'serial', timeout: 60_000 });

	let adminUrl = '';
	let database = '';
	let dir = '';
	let proxy: Process | undefined;
	const servers: Process[] = [];
	let cookie = '';
	const requestIds: number[] = [];

	test.beforeAll(async () => {
		const url = process.env.TEST_DATABASE_URL?.trim();
		const required = !!process.env.REQUIRE_POSTGRES;
		test.skip(!url && !required, 'TEST_DATABASE_URL is not set');
		test.skip(!existsSync(NGINX) && !required, `nginx is not installed at ${NGINX}`);
		expect(url, 'REQUIRE_POSTGRES is set: TEST_DATABASE_URL must be too').toBeTruthy();
		expect(existsSync(NGINX), `REQUIRE_POSTGRES is set: nginx must be at ${NGINX}`).toBe(true);
		adminUrl = url!;

		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		database = `kd_multi_instance_${Date.now().toString(36)}`;
		await admin.unsafe(`create database "${database}"`);
		await admin.end({ timeout: 5 });
		const databaseUrl = new URL(adminUrl);
		databaseUrl.pathname = `/${database}`;

		dir = mkdtempSync(join(tmpdir(), 'kd-nginx-'));
		// nginx's workers may run as another user (root starts them as nobody).
		chmodSync(dir, 0o755);
		writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir));
		proxy = run(
			NGINX,
			['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
			{}
		);
		// All three at once on the new database: one migrates and creates the admin.
		for (const port of PORTS) {
			servers.push(
				run('node', ['build'], {
					PORT: String(port),
					HOST: '127.0.0.1',
					DATABASE_URL: databaseUrl.toString(),
					ORIGIN,
					ADDRESS_HEADER: 'x-forwarded-for',
					XFF_DEPTH: '1',
					ADMIN_EMAIL: ADMIN.email,
					ADMIN_PASSWORD: ADMIN.password
				})
			);
		}
		for (const [i, port] of PORTS.entries()) {
			await expect
				.poll(() => status(`http://127.0.0.1:${port}/healthz`), {
					timeout: 30_000,
					message: servers[i]!.output()
				})
				.toBe(200);
		}
		await expect
			.poll(() => status(`${ORIGIN}/healthz`), {
				timeout: 10_000,
				message: `${proxy.output()} ${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`
			})
			.toBe(200);
	});

	test.afterAll(async () => {
		for (const p of [...servers, ...(proxy ? [proxy] : [])]) {
			if (running(p)) process.kill(-p.child.pid!, 'SIGTERM');
		}
		await Promise.race([
			Promise.all([...servers, ...(proxy ? [proxy] : [])].map((p) => p.exit)),
			new Promise((done) => setTimeout(done, 15_000))
		]);
		for (const p of [...servers, ...(proxy ? [proxy] : [])]) {
			if (running(p)) process.kill(-p.child.pid!, 'SIGKILL');
		}
		if (database) {
			const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
			await admin.unsafe(`drop database if exists "${database}" with (force)`);
			await admin.end({ timeout: 5 });
		}
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	test('a session started through the proxy works on every server', async () => {
		const signedIn = await postForm(
			`${ORIGIN}/admin/sign-in`,
			new URLSearchParams({ email: ADMIN.email, password: ADMIN.password })
		);
		expect(signedIn.status).toBe(303);
		const [setCookie = ''] = signedIn.headers.getSetCookie();
		expect(setCookie).toMatch(/^kd_session=/);
		cookie = setCookie.slice(0, setCookie.indexOf(';'));
		for (const port of PORTS) {
			const page = await fetch(`http://127.0.0.1:${port}/admin`, {
				headers: { cookie, ...direct },
				redirect: 'manual'
			});
			expect(page.status, `GET /admin on :${port}`).toBe(200);
			expect(await page.text()).toContain(`${ADMIN.email} (admin)`);
		}
	});

	test('the listing-request limit holds across the servers: five an hour in all', async () => {
		const answers: number[] = [];
		for (let i = 0; i < 8; i++) {
			const res = await postForm(`${ORIGIN}/list-your-practice`, listingForm());
			answers.push(res.status);
			const ref = /[?&]ref=(\d+)/.exec(res.headers.get('location') ?? '')?.[1];
			if (ref) requestIds.push(Number(ref));
		}
		// Round robin: each server saw at most three, below its own five, yet the sixth is refused.
		expect(answers).toEqual([303, 303, 303, 303, 303, 429, 429, 429]);
		expect(requestIds).toHaveLength(5);
		const handled = servers.map(
			(s) => s.output().match(/"method":"POST","route":"\/list-your-practice"/g)?.length ?? 0
		);
		expect(handled.filter((n) => n > 0).length, `POSTs per server: ${handled.join(', ')}`).toBe(3);
	});

	test('an approval on one server reaches the map of the others within a second', async () => {
		for (const port of PORTS) expect(await markers(port)).toBe(0);
		const approved = await postForm(
			`http://127.0.0.1:${PORTS[0]}/admin/requests/${requestIds[0]}?/approve`,
			new URLSearchParams(),
			cookie
		);
		expect(approved.status).toBe(303);
		const at = Date.now();
		expect(await markers(PORTS[0]!)).toBe(1);
		const delays = await Promise.all(
			PORTS.slice(1).map(async (port) => {
				await expect.poll(() => markers(port), { timeout: 1000, intervals: [10] }).toBe(1);
				return Date.now() - at;
			})
		);
		console.log(`approval on :${PORTS[0]} on the others' maps after ${delays.join(' and ')} ms`);
		for (const delay of delays) expect(delay).toBeLessThan(1000);
	});

	test('stopping one server with SIGTERM under load loses no request', async () => {
		const stopped = servers[1]!;
		let signalled = false;
		const statuses = await load(300, 10, (answered) => {
			if (answered === 100 && !signalled) {
				signalled = true;
				stopped.child.kill('SIGTERM');
			}
		});
		expect(signalled).toBe(true);
		const failed = statuses.filter((s) => s !== 200);
		console.log(`${statuses.length} GETs through nginx, ${failed.length} not 200`);
		expect(failed).toEqual([]);
		expect(statuses).toHaveLength(300);
		const exit = await Promise.race([
			stopped.exit,
			new Promise<null>((done) => setTimeout(() => done(null), 20_000))
		]);
		expect(exit, stopped.output()).toEqual({ code: 0, signal: null });
		// The others carry on.
		for (const port of [PORTS[0]!, PORTS[2]!]) {
			expect(await status(`http://127.0.0.1:${port}/healthz`)).toBe(200);
		}
	});
});

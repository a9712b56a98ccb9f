import { test, expect } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import { resolve } from 'node:path';
import postgres from 'postgres';

/**
 * The server process as an operator meets it: `npm start` (in a checkout of its own, so a new
 * ./data) skips the build when nothing changed, refuses a data directory another server holds,
 * and on SIGTERM finishes the request in flight, closes its database and exits 0 by itself — on
 * PGlite and on PostgreSQL.
 */

const RESULTS = process.env.E2E_RESULTS ?? 'test-results';
let nextPort = 4400 + (Number(process.env.E2E_PORT ?? 4173) % 100) * 10;

interface Server {
	process: ChildProcess;
	port: number;
	dir: string;
	output: () => string;
	exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Every server a test started; whatever a failed test left running is killed after it. */
const started: Server[] = [];
test.afterEach(() => {
	for (const server of started.splice(0)) {
		if (server.process.exitCode === null && server.process.signalCode === null) {
			process.kill(-server.process.pid!, 'SIGKILL');
		}
	}
});

function checkout(name: string): string {
	const dir = resolve(RESULTS, 'lifecycle', name);
	const made = spawnSync('bash', ['tests/e2e/checkout.sh', dir], { encoding: 'utf8' });
	expect(made.status, made.stderr).toBe(0);
	return dir;
}

/** `npm start` in `dir` with a clean environment plus `env`. */
function npmStart(dir: string, env: Record<string, string> = {}): Server {
	const port = nextPort++;
	let output = '';
	const child = spawn('npm', ['start'], {
		cwd: dir,
		// Its own process group, so a test can kill npm and the server it runs at once.
		detached: true,
		env: { PATH: process.env.PATH!, HOME: process.env.HOME!, PORT: String(port), ...env }
	});
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
		(done) => child.on('exit', (code, signal) => done({ code, signal, at: Date.now() }))
	);
	const server = { process: child, port, dir, output: () => output, exit };
	started.push(server);
	return server;
}

async function listening(server: Server): Promise<void> {
	await expect
		.poll(
			async () => {
				if (server.process.exitCode !== null) return `exited: ${server.output()}`;
				try {
					const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
					return res.status;
				} catch {
					return 'not yet';
				}
			},
			{ timeout: 60_000, intervals: [250] }
		)
		.toBe(200);
}

/** Sends the head of a POST and half its body, then lets the caller finish it. */
function slowPost(port: number, path: string, body: string) {
	const half = Math.floor(body.length / 2);
	const req = http.request({
		host: '127.0.0.1',
		port,
		path,
		method: 'POST',
		headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
	});
	const answer = new Promise<number>((done, fail) => {
		req.on('response', (res) => {
			res.resume();
			res.on('end', () => done(res.statusCode ?? 0));
		});
		req.on('error', fail);
	});
	req.write(body.slice(0, half));
	return { answer, finish: () => req.end(body.slice(half)) };
}

async function stopsCleanly(server: Server) {
	const body = JSON.stringify({ overall: 9 });
	const inFlight = slowPost(server.port, '/api/providers/no-such-provider/ratings', body);
	// Let the server read the head, so the request is really in flight.
	await new Promise((r) => setTimeout(r, 300));
	const sent = Date.now();
	server.process.kill('SIGTERM');
	await new Promise((r) => setTimeout(r, 300));
	inFlight.finish();
	// Answered, not reset: the drain waited for it.
	expect([400, 404]).toContain(await inFlight.answer);
	const { code, signal, at } = await server.exit;
	expect({ code, signal }, server.output()).toEqual({ code: 0, signal: null });
	expect(at - sent, 'seconds from SIGTERM to exit').toBeLessThan(5_000);
	// A new connection is refused once it has stopped.
	await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
}

test.describe('the server process', () => {
	test.describe.configure({ mode: 'serial' });
	test.slow();

	test('npm start does not rebuild an up-to-date build', async () => {
		const dir = checkout('no-rebuild');
		const handler = resolve(dir, 'build', 'handler.js');
		const before = statSync(handler).mtimeMs;
		const server = npmStart(dir);
		await listening(server);
		expect(server.output()).toContain('The build matches the sources: no need to rebuild.');
		expect(server.output()).not.toContain('Building the app');
		expect(statSync(handler).mtimeMs).toBe(before);
		await stopsCleanly(server);
	});

	test('a second server on the same data directory refuses to start and says why', async () => {
		const dir = checkout('lock');
		const first = npmStart(dir);
		await listening(first);
		expect(existsSync(resolve(dir, 'data', 'directory.lock'))).toBe(true);

		const second = npmStart(dir);
		const { code } = await second.exit;
		expect(code).not.toBe(0);
		expect(second.output()).toMatch(/The data directory .*data is in use by another process/);
		// The first one is unharmed.
		expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);

		await stopsCleanly(first);
		expect(existsSync(resolve(dir, 'data', 'directory.lock'))).toBe(false);
		// Once it has stopped, the directory is free again.
		const third = npmStart(dir);
		await listening(third);
		await stopsCleanly(third);
	});

	test('a bad setting stops it at start, naming the variable and what it allows', async () => {
		const server = npmStart(checkout('bad-config'), {
			RATING_LIMIT_PER_HOUR: 'lots',
			SEED_DEMO: 'no'
		});
		const { code } = await server.exit;
		expect(code).not.toBe(0);
		expect(server.output()).toContain(
			'RATING_LIMIT_PER_HOUR must be a whole number of at least 1 (got "lots")'
		);
		expect(server.output()).toContain('SEED_DEMO must be "true" or "false" (got "no")');
		// A message for the operator, not a stack trace.
		expect(server.output()).not.toMatch(/^\s+at /m);
	});

	test('a lock left by a process that died is taken over', async () => {
		const dir = checkout('stale-lock');
		const crashed = npmStart(dir);
		await listening(crashed);
		// As a power cut or the OOM killer would: no chance to clean up.
		process.kill(-crashed.process.pid!, 'SIGKILL');
		await crashed.exit;
		await expect
			.poll(() =>
				fetch(`http://127.0.0.1:${crashed.port}/healthz`).then(
					() => 'up',
					() => 'down'
				)
			)
			.toBe('down');
		expect(existsSync(resolve(dir, 'data', 'directory.lock'))).toBe(true);
		const next = npmStart(dir);
		await listening(next);
		await stopsCleanly(next);
	});

	test('SIGTERM stops the server on PostgreSQL too', async () => {
		const adminUrl = process.env.TEST_DATABASE_URL?.trim();
		test.skip(!adminUrl && !process.env.REQUIRE_POSTGRES, 'TEST_DATABASE_URL is not set');
		expect(adminUrl, 'REQUIRE_POSTGRES is set: TEST_DATABASE_URL must be too').toBeTruthy();
		const name = `e2e_lifecycle_${Date.now().toString(36)}`;
		const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${name}"`);
		try {
			const url = new URL(adminUrl!);
			url.pathname = `/${name}`;
			const server = npmStart(checkout('postgres'), { DATABASE_URL: url.toString() });
			await listening(server);
			expect(await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()).toEqual({
				status: 'ok',
				database: 'postgres'
			});
			await stopsCleanly(server);
		} finally {
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
			await admin.end({ timeout: 5 });
		}
	});
});

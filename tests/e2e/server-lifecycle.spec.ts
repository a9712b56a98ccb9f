import { test, expect } from '@playwright/test';
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import { resolve } from 'node:path';
import {
	checkout,
	listening,
	portsFrom,
	postgresServer,
	serve,
	withDatabase,
	type Server
} from './server-process';

/**
 * The server process as an operator meets it: `npm start` (in a checkout of its own, so a new
 * ./data) skips the build when nothing changed, refuses a data directory another server holds,
 * and on SIGTERM finishes the request in flight, closes its database and exits 0 by itself — on
 * PGlite and on PostgreSQL.
 */

const nextPort = portsFrom(1, 6);

const npmStart = (dir: string, env: Record<string, string> = {}) =>
	serve('npm start', dir, nextPort(), env);

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

function parses(json: string): boolean {
	try {
		JSON.parse(json);
		return true;
	} catch {
		return false;
	}
}

/** A GET written whole; `answer` is its status and whether the body arrived whole. */
function get(port: number, path: string, agent: http.Agent | false) {
	const req = http.get({ host: '127.0.0.1', port, path, agent });
	const sent = new Promise<void>((done, fail) => {
		req.on('error', fail);
		// Written to a connection the server's kernel has accepted.
		req.on('finish', () => done());
	});
	const answer = new Promise<string>((done) => {
		req.on('response', (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => {
				const whole = res.headers['content-type']?.startsWith('application/json')
					? parses(body)
					: body.trimEnd().endsWith('</html>');
				done(`${res.statusCode} ${whole ? 'whole' : 'cut short'}`);
			});
			res.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
		});
		req.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
	});
	return { sent, answer };
}

/** Generous: 60 page renders on a busy 2-core CI machine take a few seconds. */
const DRAIN_SECONDS = 30;

const tally = (outcomes: string[]) =>
	outcomes.reduce<Record<string, number>>((t, o) => ({ ...t, [o]: (t[o] ?? 0) + 1 }), {});

/**
 * 60 requests already sent when SIGTERM arrives, while the server is too busy to have read them
 * (SIGSTOP holds it still, as a long render or a GC pause would): 30 on new connections, still in
 * the listen backlog, and 30 on keep-alive connections that had answered one request before.
 * Every one must get its whole answer, and the process must exit 0 by itself within the drain.
 */
async function drainsSixtyRequests(server: Server) {
	const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 30 });
	try {
		const warm = Array.from({ length: 30 }, () => get(server.port, '/healthz', keepAlive).answer);
		expect(tally(await Promise.all(warm))).toEqual({ '200 whole': 30 });

		const pid = server.process.pid!;
		process.kill(pid, 'SIGSTOP');
		const requests = [
			...Array.from({ length: 30 }, () => get(server.port, '/', false)),
			...Array.from({ length: 30 }, () => get(server.port, '/api/providers', keepAlive))
		];
		await Promise.all(requests.map((r) => r.sent));
		process.kill(pid, 'SIGTERM');
		const sent = Date.now();
		process.kill(pid, 'SIGCONT');

		const outcomes = await Promise.all(requests.map((r) => r.answer));
		expect(tally(outcomes), server.output()).toEqual({ '200 whole': 60 });
		const { code, signal, at } = await server.exit;
		expect({ code, signal }, server.output()).toEqual({ code: 0, signal: null });
		// Before SHUTDOWN_TIMEOUT would have cut the connections: it stopped by itself.
		expect(at - sent, 'ms from SIGTERM to exit').toBeLessThan(DRAIN_SECONDS * 1000);
		expect(server.output()).not.toContain('Still running');
	} finally {
		keepAlive.destroy();
	}
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
		const adminUrl = postgresServer();
		await withDatabase(adminUrl!, 'e2e_lifecycle', async (url) => {
			const server = npmStart(checkout('postgres'), { DATABASE_URL: url });
			await listening(server);
			expect(await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()).toEqual({
				status: 'ok',
				database: 'postgres'
			});
			await stopsCleanly(server);
		});
	});

	test('SIGTERM answers every request already sent, then exits (PGlite)', async () => {
		const server = serve('node build', checkout('drain'), nextPort(), {
			HOST: '127.0.0.1',
			SHUTDOWN_TIMEOUT: String(DRAIN_SECONDS)
		});
		await listening(server);
		await drainsSixtyRequests(server);
	});

	test('SIGTERM answers every request already sent, then exits (PostgreSQL)', async () => {
		const adminUrl = postgresServer();
		await withDatabase(adminUrl!, 'e2e_drain', async (url) => {
			const server = serve('node build', checkout('drain-postgres'), nextPort(), {
				HOST: '127.0.0.1',
				SHUTDOWN_TIMEOUT: String(DRAIN_SECONDS),
				DATABASE_URL: url
			});
			await listening(server);
			await drainsSixtyRequests(server);
		});
	});
});

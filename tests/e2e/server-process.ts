import { expect, test } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import postgres from 'postgres';

/**
 * Servers that a test starts and stops itself (server-lifecycle.spec.ts, durability.spec.ts): in a
 * checkout of their own (tests/e2e/checkout.sh, so a new ./data), with a clean environment.
 */

export const RESULTS = process.env.E2E_RESULTS ?? 'test-results';
const E2E_PORT = Number(process.env.E2E_PORT ?? 4173);

/**
 * Ports from E2E_PORT + `first` to E2E_PORT + `last`, in turn. E2E_PORT + 1 to + 9 belong to the
 * lifecycle and durability specs; + 11 to + 14 to the outage, session-cookie and log specs. A spec's tests run one after another, so a port comes round again only after the
 * server on it has stopped.
 */
export function portsFrom(first: number, last: number): () => number {
	let used = 0;
	return () => E2E_PORT + first + (used++ % (last - first + 1));
}

export interface Server {
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

export function checkout(name: string): string {
	const dir = resolve(RESULTS, 'lifecycle', name);
	const made = spawnSync('bash', ['tests/e2e/checkout.sh', dir], { encoding: 'utf8' });
	expect(made.status, made.stderr).toBe(0);
	return dir;
}

/**
 * `npm start` (as the README runs it) or `node build` (as production does, and the process the
 * test signals is the server itself) in `dir`, with a clean environment plus `env`.
 */
export function serve(
	how: 'npm start' | 'node build',
	dir: string,
	port: number,
	env: Record<string, string> = {}
): Server {
	let output = '';
	const [command, ...args] = how.split(' ') as [string, ...string[]];
	const child = spawn(command, args, {
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

export async function listening(server: Server): Promise<void> {
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
			{ timeout: 120_000, intervals: [250] }
		)
		.toBe(200);
}

/**
 * The PostgreSQL server of TEST_DATABASE_URL, or null (the test is skipped) when it is unset; with
 * REQUIRE_POSTGRES set (CI), an unset TEST_DATABASE_URL fails instead.
 */
export function postgresServer(): string | null {
	const adminUrl = process.env.TEST_DATABASE_URL?.trim();
	test.skip(!adminUrl && !process.env.REQUIRE_POSTGRES, 'TEST_DATABASE_URL is not set');
	expect(adminUrl, 'REQUIRE_POSTGRES is set: TEST_DATABASE_URL must be too').toBeTruthy();
	return adminUrl ?? null;
}

/** Runs `body` with the URL of a new database on that server, dropped afterwards. */
export async function withDatabase<T>(
	adminUrl: string,
	prefix: string,
	body: (url: string) => Promise<T>
): Promise<T> {
	// Inside the namespace of TEST_DATABASE_URL's own database when it has one of its own.
	const base = decodeURIComponent(new URL(adminUrl).pathname.slice(1));
	const within = base && base !== 'postgres' ? `${base}_` : '';
	const name = `${within}${prefix}_${Date.now().toString(36)}`.slice(0, 63);
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	try {
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		return await body(url.toString());
	} finally {
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.end({ timeout: 5 });
	}
}

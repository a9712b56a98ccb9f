import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import postgres from 'postgres';

/**
 * What the server writes to its log, read from the built server's own output: one JSON line per
 * request with its id, method, route id, status and duration — and no personal data, even when a
 * write fails with the person's email among its SQL parameters. On PostgreSQL, where a trigger can
 * make the write fail for real.
 */

const base = process.env.TEST_DATABASE_URL?.trim();
// E2E_PORT + 1 to + 9 belong to the lifecycle and durability specs, + 11 to + 13 to others.
const PORT = Number(process.env.E2E_PORT ?? 4173) + 14;
const ORIGIN = `http://127.0.0.1:${PORT}`;

const EMAIL = 'jordan.known+logtest@example.org';
const CONTACT = 'Jordan Logtestperson';
const PRACTICE = 'Quietharbor Logtest Ketamine';
const PLACE = 'Zanzibarville';
const COMMENT_WORD = 'Xylophonically';

interface LogLine {
	level: string;
	msg: string;
	reqId?: string;
	method?: string;
	route?: string | null;
	status?: number;
	ms?: number;
	err?: Record<string, unknown>;
}

test.describe('server logs', () => {
	test.describe.configure({ mode: 'serial' });
	test.skip(!base, 'needs TEST_DATABASE_URL (CI sets it and requires this test to pass)');

	let server: ChildProcess | undefined;
	let output = '';
	let admin: postgres.Sql | undefined;
	let scratch: postgres.Sql | undefined;
	const database = `kd_logs_${Date.now()}_${process.pid}`;

	test.beforeAll(async () => {
		admin = postgres(base!, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database "${database}"`);
		const url = new URL(base!);
		url.pathname = `/${database}`;
		server = spawn('node', ['build'], {
			env: {
				PATH: process.env.PATH!,
				HOME: process.env.HOME!,
				DATABASE_URL: url.toString(),
				PORT: String(PORT),
				HOST: '127.0.0.1',
				ORIGIN
			}
		});
		server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		await expect
			.poll(
				async () => {
					try {
						return (await fetch(`${ORIGIN}/healthz`)).status;
					} catch {
						return 0;
					}
				},
				{ timeout: 60_000, intervals: [250] }
			)
			.toBe(200);
		scratch = postgres(url.toString(), { max: 1, onnotice: () => {} });
		// Every new listing request now fails inside the database, as a full disk or a broken
		// constraint would make it fail.
		await scratch.unsafe(`
			create function refuse_listing_requests() returns trigger language plpgsql as $$
			begin raise exception 'listing requests are refused for this test'; end $$;
			create trigger refuse_listing_requests before insert on listing_requests
			for each row execute function refuse_listing_requests();
		`);
	});

	test.afterAll(async () => {
		await scratch?.end();
		if (server && server.exitCode === null) {
			const exited = new Promise((done) => server!.on('exit', done));
			server.kill('SIGTERM');
			await exited;
		}
		await admin?.unsafe(`drop database if exists "${database}" with (force)`);
		await admin?.end();
	});

	const lines = () =>
		output
			.split('\n')
			.filter((line) => line.startsWith('{'))
			.map((line) => JSON.parse(line) as LogLine);

	test('a failed write is logged with its request id, and nothing the person typed', async () => {
		const response = await fetch(`${ORIGIN}/list-your-practice`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: ORIGIN,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({
				name: PRACTICE,
				kinds: 'clinic',
				city: 'Brandon',
				state: 'VT',
				zip: '05733',
				'routes.iv': 'on',
				description: `${COMMENT_WORD} calm rooms`,
				contactName: CONTACT,
				contactEmail: EMAIL,
				authorised: 'on',
				idempotencyKey: `logs-${Date.now()}`
			}).toString()
		});
		expect(response.status, 'the write failed').toBe(500);
		// The person gets the form back as typed, with a message that it was our fault.
		const page = await response.text();
		expect(page).toContain(PRACTICE);
		expect(page).toContain(EMAIL);
		expect(page).toContain('problem on our side');
		const requestId = response.headers.get('x-request-id');
		expect(requestId).toBeTruthy();

		// A search for a place, which must not be logged either.
		const search = await fetch(`${ORIGIN}/?near=${PLACE}&q=${PLACE}`);
		expect(search.status).toBeLessThan(500);

		await expect
			.poll(() => lines().some((l) => l.reqId === requestId && l.msg === 'request'))
			.toBe(true);
		const ours = lines().filter((l) => l.reqId === requestId);
		const failure = ours.find((l) => l.level === 'error');
		expect(failure, output).toBeTruthy();
		// The database's code for a raised exception, and where it happened — enough to act on.
		expect(failure!.msg).toBe('form action failed');
		expect(JSON.stringify(failure!.err)).toContain('P0001');
		expect(JSON.stringify(failure!.err)).toContain('"stack"');
		const summary = ours.find((l) => l.msg === 'request')!;
		expect(summary).toMatchObject({
			method: 'POST',
			route: '/list-your-practice',
			status: response.status
		});
		expect(typeof summary.ms).toBe('number');

		for (const personal of [
			EMAIL,
			'jordan.known',
			CONTACT,
			'Logtestperson',
			PRACTICE,
			PLACE,
			COMMENT_WORD
		]) {
			expect(output, `the log holds “${personal}”`).not.toContain(personal);
		}
	});

	test('every request is one JSON line with method, route id, status and duration', async () => {
		const before = lines().length;
		const answer = await fetch(`${ORIGIN}/api/states`);
		const requestId = answer.headers.get('x-request-id');
		await expect.poll(() => lines().length).toBeGreaterThan(before);
		const line = lines().find((l) => l.reqId === requestId);
		expect(line).toMatchObject({
			level: 'info',
			msg: 'request',
			method: 'GET',
			route: '/api/states',
			status: 200
		});
	});
	// Last: it breaks this server's database for good.
	test('an unexpected error on the API is a 500 in the API’s shape, its stack in the log only', async () => {
		await scratch!.unsafe('alter table providers rename to providers_gone');
		const answer = await fetch(`${ORIGIN}/api/providers`);
		expect(answer.status).toBe(500);
		const body = (await answer.json()) as unknown;
		expect(body).toEqual({
			error: {
				code: 'internal_error',
				message: 'Something went wrong on our side. Please try again in a moment.'
			}
		});
		const requestId = answer.headers.get('x-request-id');
		await expect
			.poll(() => lines().find((l) => l.reqId === requestId && l.level === 'error'))
			.toBeTruthy();
		const logged = lines().find((l) => l.reqId === requestId && l.level === 'error')!;
		// 42P01: undefined_table — what an operator needs, with where it happened.
		expect(JSON.stringify(logged.err)).toContain('42P01');
		expect(JSON.stringify(logged.err)).toContain('"stack"');
	});
});

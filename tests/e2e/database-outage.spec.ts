import { test, expect, type Browser, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import {
	RETRY_AFTER_SECONDS,
	UNAVAILABLE_FORM_MESSAGE,
	UNAVAILABLE_MESSAGE
} from '../../src/lib/server/outage';
import { keepOffline } from './fixtures';

/**
 * The built app on a PostgreSQL cluster this file starts and stops itself (initdb/pg_ctl on a
 * port of its own): when the database goes away — a fast shutdown, an immediate one (a crash),
 * or the app's connections killed under it — pages answer a calm 503 with Retry-After, the API
 * `database_unavailable`, and a rating form comes back as typed with and without JavaScript;
 * when the database is back, the app answers again by itself, without a restart.
 */

const PG_BIN = '/usr/lib/postgresql/15/bin';
const E2E_PORT = Number(process.env.E2E_PORT ?? 4173);
const PG_PORT = 54330 + (E2E_PORT % 10);
const APP_PORT = E2E_PORT + 11;
const COLD_APP_PORT = E2E_PORT + 12;
/** Generous for a loaded CI machine; what was measured is printed and attached to the report. */
const RECOVERY_BUDGET_MS = 10_000;

/** The PostgreSQL tools refuse to run as root: run them as the postgres user then. */
const asRoot = process.getuid?.() === 0;
function pgTool(tool: string, args: string[]) {
	const [command, argv] = asRoot
		? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args]]
		: [join(PG_BIN, tool), args];
	const run = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
	expect(run.status, `${tool} ${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
}

class Cluster {
	readonly dir = mkdtempSync(join(tmpdir(), 'kd-outage-pg-'));
	readonly url = `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`;

	init() {
		if (asRoot) {
			const { uid, gid } = idOf('postgres');
			chownSync(this.dir, uid, gid);
		}
		pgTool('initdb', ['-D', this.dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	}

	start() {
		const options = `-p ${PG_PORT} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
		pgTool('pg_ctl', ['-D', this.dir, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
	}

	stop(mode: 'fast' | 'immediate') {
		pgTool('pg_ctl', ['-D', this.dir, '-m', mode, '-w', 'stop']);
	}

	/** SIGKILLs the server processes serving the app: its connections end without a goodbye. */
	async killAppBackends(): Promise<number> {
		const admin = postgres(this.url, { max: 1, onnotice: () => {} });
		try {
			const rows = await admin<{ pid: number }[]>`
				select pid from pg_stat_activity
				where backend_type = 'client backend' and pid <> pg_backend_pid()`;
			let killed = 0;
			for (const { pid } of rows) {
				try {
					process.kill(pid, 'SIGKILL');
					killed++;
				} catch {
					// Gone already: after the first, PostgreSQL ends the others itself.
				}
			}
			return killed;
		} finally {
			await admin.end({ timeout: 1 }).catch(() => {});
		}
	}

	remove() {
		spawnSync(join(PG_BIN, 'pg_ctl'), ['-D', this.dir, '-m', 'immediate', 'stop'], {
			...(asRoot ? { uid: idOf('postgres').uid } : {})
		});
		rmSync(this.dir, { recursive: true, force: true });
	}
}

function idOf(user: string) {
	const id = (flag: string) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout);
	return { uid: id('-u'), gid: id('-g') };
}

interface App {
	process: ChildProcess;
	origin: string;
	output: () => string;
	exit: Promise<number | null>;
}

/** `node build` (built beforehand by `node scripts/start.js --build-only`) on the cluster. */
function startApp(databaseUrl: string, port: number): App {
	let output = '';
	const child = spawn('node', ['build'], {
		detached: true,
		env: {
			PATH: process.env.PATH!,
			HOME: process.env.HOME!,
			DATABASE_URL: databaseUrl,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${port}`,
			SHUTDOWN_TIMEOUT: '2',
			RATING_LIMIT_PER_HOUR: '1000',
			RATING_BURST_PER_PROVIDER_PER_HOUR: '1000',
			RATING_BURST_PER_ADDRESS_PER_DAY: '1000'
		}
	});
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
	return { process: child, origin: `http://127.0.0.1:${port}`, output: () => output, exit };
}

async function stopApp(app: App) {
	if (app.process.exitCode !== null || app.process.signalCode !== null) return;
	app.process.kill('SIGTERM');
	const code = await Promise.race([app.exit, new Promise((r) => setTimeout(r, 10_000, 'hung'))]);
	if (code === 'hung') process.kill(-app.process.pid!, 'SIGKILL');
	expect(code, app.output()).toBe(0);
}

let probes = 0;
/**
 * The URL made unique, so no kept copy answers it (decision 021) and the answer says what the
 * database says now. Pages kept before an outage are still answered from their copies.
 */
const fresh = (url: string) => `${url}${url.includes('?') ? '&' : '?'}probe=${++probes}`;

const status = (url: string) =>
	fetch(url).then(
		(res) => res.status,
		() => 'no answer'
	);

/** Milliseconds until `url` answers 200, polling every 100 ms. */
async function msUntilOk(url: string, app: App): Promise<number> {
	const from = Date.now();
	await expect
		.poll(() => status(fresh(url)), { timeout: 30_000, intervals: [100], message: app.output() })
		.toBe(200);
	return Date.now() - from;
}

/** Every page and API answer a person meets while the database is away. */
async function expectCalmOutage(app: App, paths: { profile: string; state: string }) {
	for (const path of ['/', paths.profile, paths.state, '/states']) {
		const res = await fetch(fresh(app.origin + path));
		expect(res.status, `GET ${path}`).toBe(503);
		expect(res.headers.get('retry-after'), `GET ${path}`).toBe(String(RETRY_AFTER_SECONDS));
		expect(res.headers.get('content-type'), `GET ${path}`).toContain('text/html');
		const html = await res.text();
		// The site's own error page, in its frame, with the calm words: not the bare 500 page.
		expect(html, `GET ${path}`).toContain(UNAVAILABLE_MESSAGE);
		expect(html).toContain('Ketamine Provider Directory');
		expect(html).not.toContain('Something went wrong');
	}
	const api = await fetch(fresh(`${app.origin}/api/providers?state=TX`));
	expect(api.status).toBe(503);
	expect(api.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
	expect(await api.json()).toEqual({
		error: { code: 'database_unavailable', message: UNAVAILABLE_MESSAGE }
	});
}

/** A form post as a browser without JavaScript sends it; resolves the answer's status, headers, page. */
async function postForm(app: App, path: string, fields: Record<string, string>) {
	const res = await fetch(app.origin + path, {
		method: 'POST',
		headers: {
			origin: app.origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
	return { status: res.status, retryAfter: res.headers.get('retry-after'), html: await res.text() };
}

/** The other public form and the staff sign-in, without JavaScript, while the database is away. */
async function expectFormsKept(app: App, provider: Provider) {
	const note = 'The phone rings out; the clinic may have moved to a new number.';
	const report = await postForm(app, `/providers/${provider.slug}/report`, {
		reason: 'wrong_phone',
		note
	});
	expect(report.status).toBe(503);
	expect(report.retryAfter).toBe(String(RETRY_AFTER_SECONDS));
	expect(report.html).toContain(UNAVAILABLE_FORM_MESSAGE);
	expect(report.html).toContain(`>${note}</textarea>`);
	expect(report.html).toMatch(/<input[^>]*value="wrong_phone"[^>]*checked/);

	const password = 'a password that must never come back';
	const signIn = await postForm(app, '/admin/sign-in', {
		email: 'moderator@example.org',
		password
	});
	expect(signIn.status).toBe(503);
	expect(signIn.retryAfter).toBe(String(RETRY_AFTER_SECONDS));
	expect(signIn.html).toContain(UNAVAILABLE_FORM_MESSAGE);
	expect(signIn.html).toContain('value="moderator@example.org"');
	expect(signIn.html).not.toContain(password);
}

interface Provider {
	slug: string;
	name: string;
	state: string;
	route: string;
}

const typed = {
	overall: '4',
	support: '2',
	months: '7',
	price: '425',
	condition: 'PTSD / CPTSD',
	comment: 'Calm staff, but the follow-up calls after each infusion never came.'
};

async function fillRating(page: Page, provider: Provider) {
	await page.getByRole('radio', { name: /^4 stars\b/ }).check();
	await page.getByLabel('Support during treatment', { exact: true }).selectOption(typed.support);
	await page.getByLabel('Treatment you received').selectOption(provider.route);
	await page.getByRole('checkbox', { name: typed.condition, exact: true }).check();
	await page.getByLabel('Months in treatment').fill(typed.months);
	await page.getByLabel('Price you paid per session (US $)').fill(typed.price);
	await page.getByLabel('Your experience in your own words').fill(typed.comment);
	await page.getByRole('checkbox', { name: /^This is my own experience as a patient/ }).check();
}

async function expectRatingKept(page: Page, provider: Provider) {
	const alert = page.getByRole('alert').filter({ hasText: UNAVAILABLE_FORM_MESSAGE });
	await expect(alert).toBeVisible();
	// Nothing for the person to correct: the summary says it was not sent, not "check your answers".
	await expect(alert.getByRole('heading')).toHaveText('This was not sent');
	await expect(page.getByRole('radio', { name: /^4 stars\b/ })).toBeChecked();
	await expect(page.getByLabel('Support during treatment', { exact: true })).toHaveValue(
		typed.support
	);
	await expect(page.getByLabel('Treatment you received')).toHaveValue(provider.route);
	await expect(page.getByRole('checkbox', { name: typed.condition, exact: true })).toBeChecked();
	await expect(page.getByLabel('Months in treatment')).toHaveValue(typed.months);
	await expect(page.getByLabel('Price you paid per session (US $)')).toHaveValue(typed.price);
	await expect(page.getByLabel('Your experience in your own words')).toHaveValue(typed.comment);
	await expect(
		page.getByRole('checkbox', { name: /^This is my own experience as a patient/ })
	).toBeChecked();
	// The submit button is there to try again.
	await expect(page.getByRole('button', { name: 'Submit rating' })).toBeEnabled();
}

/** Fills the rating form while the database is up, stops it, sends: the form comes back as typed. */
async function rateDuringOutage(
	browser: Browser,
	app: App,
	provider: Provider,
	javaScript: boolean,
	outage: () => void
) {
	const context = await browser.newContext({ baseURL: app.origin, javaScriptEnabled: javaScript });
	await keepOffline(context, app.origin);
	const page = await context.newPage();
	try {
		const path = `/providers/${provider.slug}/rate`;
		await page.goto(path);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Rate ${provider.name}`);
		if (javaScript) {
			// Hydrated once the character counter follows typing.
			await page.getByLabel('Your experience in your own words').fill('hi');
			await expect(page.locator('#comment-hint')).toContainText('2 / 2,000 characters');
		}
		await fillRating(page, provider);
		outage();
		const answer = page.waitForResponse(
			(r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path
		);
		await page.getByRole('button', { name: 'Submit rating' }).click();
		const res = await answer;
		expect(res.status()).toBe(503);
		if (!javaScript) {
			expect(await res.headerValue('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
			// Without the database the provider's name is unknown; the page says so plainly.
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rate this provider');
		}
		await expectRatingKept(page, provider);
	} finally {
		await context.close();
	}
}

test.describe('the database goes away', () => {
	test.describe.configure({ mode: 'serial' });
	test.skip(!existsSync(join(PG_BIN, 'pg_ctl')), `PostgreSQL 15 is not installed in ${PG_BIN}`);
	test.slow();

	let cluster: Cluster;
	let app: App;
	let provider: Provider;
	let paths: { profile: string; state: string };
	const recovered: Record<string, number> = {};

	test.beforeAll(async () => {
		test.setTimeout(120_000);
		cluster = new Cluster();
		cluster.init();
		cluster.start();
		// The demo set, through the project's own script (it migrates first).
		const seeded = spawnSync('npx', ['tsx', 'scripts/seed.ts'], {
			encoding: 'utf8',
			env: { ...process.env, DATABASE_URL: cluster.url }
		});
		expect(seeded.status, seeded.stderr).toBe(0);
		app = startApp(cluster.url, APP_PORT);
		await msUntilOk(`${app.origin}/healthz`, app);
		const list = (await (await fetch(`${app.origin}/api/providers?pageSize=1`)).json()) as {
			results: { slug: string; name: string; state: string; routes: { code: string }[] }[];
		};
		const first = list.results[0];
		const route = first?.routes[0]?.code;
		if (!first || !route) throw new Error('The demo set has no provider with a treatment.');
		provider = { slug: first.slug, name: first.name, state: first.state, route };
		paths = { profile: `/providers/${provider.slug}`, state: `/states/${provider.state}` };
		for (const path of ['/', paths.profile, paths.state]) {
			expect(await status(app.origin + path), path).toBe(200);
		}
	});

	test.afterAll(async () => {
		if (app) await stopApp(app);
		cluster?.remove();
		console.log(`Recovery after the database came back (ms): ${JSON.stringify(recovered)}`);
		const codes = app?.output().match(/Database unavailable \(\w+\)/g) ?? [];
		console.log(`Outage codes the app logged: ${[...new Set(codes)].join(', ')}`);
	});

	test('a fast shutdown: calm 503 pages and API, the rating form kept as typed, recovery by itself', async ({
		browser
	}) => {
		const before = await fetch(app.origin + paths.state);
		expect(before.status).toBe(200);
		await rateDuringOutage(browser, app, provider, false, () => cluster.stop('fast'));
		await expectCalmOutage(app, paths);
		// A page kept before the outage is still answered from its copy: nothing could change it.
		const kept = await fetch(app.origin + paths.state);
		expect(kept.status).toBe(200);
		expect(kept.headers.get('etag')).toBe(before.headers.get('etag'));
		expect(await kept.text()).toBe(await before.text());
		cluster.start();
		recovered.fast = await msUntilOk(app.origin + paths.profile, app);

		await rateDuringOutage(browser, app, provider, true, () => cluster.stop('fast'));
		cluster.start();
		recovered.fastAgain = await msUntilOk(app.origin + '/', app);
		for (const ms of [recovered.fast, recovered.fastAgain]) {
			expect(ms).toBeLessThan(RECOVERY_BUDGET_MS);
		}
		test.info().annotations.push({ type: 'recovery (ms)', description: JSON.stringify(recovered) });
	});

	test('an immediate shutdown (as in a crash): the same calm answers, forms kept, and recovery', async () => {
		// Connections in the pool first, so the crash cuts open ones.
		expect(await status(fresh(app.origin + paths.state))).toBe(200);
		cluster.stop('immediate');
		await expectCalmOutage(app, paths);
		await expectFormsKept(app, provider);
		cluster.start();
		recovered.immediate = await msUntilOk(app.origin + paths.state, app);
		expect(recovered.immediate).toBeLessThan(RECOVERY_BUDGET_MS);
		test.info().annotations.push({ type: 'recovery (ms)', description: JSON.stringify(recovered) });
	});

	test('connections cut under the app (its server processes killed): no 500, and recovery', async () => {
		expect(await status(fresh(app.origin + paths.profile))).toBe(200);
		const killed = await cluster.killAppBackends();
		expect(killed).toBeGreaterThan(0);
		// PostgreSQL restarts its processes after a SIGKILL; meanwhile every answer is 200 or 503.
		const from = Date.now();
		const seen = new Set<number | string>();
		for (;;) {
			const answer = await status(fresh(app.origin + paths.profile));
			seen.add(answer);
			if (answer === 200) break;
			expect(Date.now() - from, `answers: ${[...seen].join(', ')}`).toBeLessThan(
				RECOVERY_BUDGET_MS
			);
			await new Promise((r) => setTimeout(r, 100));
		}
		recovered.killedBackends = Date.now() - from;
		expect([...seen].filter((s) => s !== 200 && s !== 503)).toEqual([]);
		const api = await fetch(`${app.origin}/api/providers?pageSize=1`);
		expect(api.status).toBe(200);
		test.info().annotations.push({
			type: 'answers while reconnecting',
			description: `${[...seen].join(', ')}; ${recovered.killedBackends} ms`
		});
	});

	test('the database down when the server starts: it starts, answers 503, and recovers', async () => {
		cluster.stop('fast');
		const cold = startApp(cluster.url, COLD_APP_PORT);
		try {
			await expect
				.poll(() => status(`${cold.origin}/healthz`), { timeout: 30_000, message: cold.output() })
				.toBe(503);
			const health = await fetch(`${cold.origin}/healthz`);
			expect(health.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
			const page = await fetch(fresh(cold.origin + paths.profile));
			expect(page.status).toBe(503);
			expect(page.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
			const api = await fetch(`${cold.origin}/api/providers`);
			expect(api.status).toBe(503);
			expect(((await api.json()) as { error: { code: string } }).error.code).toBe(
				'database_unavailable'
			);
			cluster.start();
			recovered.coldStart = await msUntilOk(cold.origin + paths.profile, cold);
			expect(recovered.coldStart).toBeLessThan(RECOVERY_BUDGET_MS);
			// The app that was already running recovers too.
			await msUntilOk(app.origin + '/', app);
		} finally {
			await stopApp(cold);
		}
		// Never a raw driver error (it carries query parameters) in the log.
		for (const server of [cold, app]) {
			expect(server.output()).not.toMatch(/params:/);
			expect(server.output()).not.toContain(typed.comment);
		}
	});
});

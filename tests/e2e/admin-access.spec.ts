import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import ts from 'typescript';
import { expect, keepOffline, test } from './fixtures';
import { missing } from '../helpers/rows';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };
const MODERATOR_PASSWORD = 'moderator password long enough';
const FORBIDDEN = 'Your account cannot do this. Ask an admin if you need access.';

// The test server reads the client address from X-Forwarded-For (playwright.config.ts); sign-in
// is rate-limited per address and email, so this file keeps an address of its own.
const ADDRESS = { 'x-forwarded-for': '10.253.0.1' };
test.use({ extraHTTPHeaders: ADDRESS });

type Access = 'open' | 'staff' | 'admin';

interface AdminRoute {
	/** The URL pattern, with SvelteKit's `[param]`s and without `(group)` folders. */
	route: string;
	access: Access;
	/** Named form actions of its +page.server.ts. */
	actions?: string[];
	/** HTTP methods of its +server.ts (an endpoint, not a page). */
	methods?: string[];
	/** Linked from the admin bar (for whoever may open it). */
	nav?: boolean;
}

/**
 * Every page, endpoint and action under /admin, and who may use it. The first test below fails
 * when a route or action exists that this list does not cover, so none can escape the checks.
 */
const ADMIN_AREA: AdminRoute[] = [
	{ route: '/admin/sign-in', access: 'open', actions: ['default'] },
	{ route: '/admin/sign-out', access: 'open', actions: ['default'] },
	{ route: '/admin', access: 'staff', nav: true },
	{ route: '/admin/account/security', access: 'staff', actions: ['start', 'confirm', 'disable'] },
	{ route: '/admin/requests', access: 'staff', nav: true },
	{ route: '/admin/requests/[id]', access: 'staff', actions: ['approve', 'reject'] },
	{ route: '/admin/ratings', access: 'staff', actions: ['publish', 'hide'], nav: true },
	{
		route: '/admin/reports',
		access: 'staff',
		actions: ['resolve', 'dismiss'],
		nav: true
	},
	{ route: '/admin/providers', access: 'staff', nav: true },
	{
		route: '/admin/providers/[id]',
		access: 'staff',
		actions: [
			'save',
			'suspend',
			'unsuspend',
			'verify',
			'annotate',
			'editAnnotation',
			'retireAnnotation'
		]
	},
	{ route: '/admin/import', access: 'admin', actions: ['check', 'import'], nav: true },
	{ route: '/admin/export/providers.csv', access: 'admin', methods: ['GET'] },
	{ route: '/admin/export/providers.json', access: 'admin', methods: ['GET'] },
	{ route: '/admin/audit', access: 'admin', nav: true },
	{
		route: '/admin/users',
		access: 'admin',
		actions: ['create', 'role', 'disable', 'enable', 'password', 'resetSecondFactor'],
		nav: true
	}
];

const guarded = ADMIN_AREA.filter((r) => r.access !== 'open');
const pages = (access: Access) => ADMIN_AREA.filter((r) => r.access === access);
const actionsOf = (access: Access) =>
	pages(access).flatMap((r) => (r.actions ?? []).map((name) => ({ route: r.route, name })));
const NAV_FOR_STAFF = pages('staff').flatMap((r) => (r.nav ? [r.route] : []));
const NAV_FOR_ADMIN = [
	...NAV_FOR_STAFF,
	...pages('admin').flatMap((r) => (r.nav ? [r.route] : []))
];

/** Where the admin bar's links go, in order. */
const adminBar = (page: Page) =>
	page
		.getByRole('navigation', { name: 'Moderation' })
		.getByRole('link')
		.evaluateAll((links) => links.map((a) => a.getAttribute('href')));

// ---------------------------------------------------------------------------------------------
// What the source tree holds

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_DIR = join(ROOT, 'src/routes/admin');
const ROUTE_FILES = new Set([
	'+page.svelte',
	'+page.ts',
	'+page.js',
	'+page.server.ts',
	'+page.server.js',
	'+server.ts',
	'+server.js'
]);
const HTTP_METHODS = new Set([
	'GET',
	'HEAD',
	'POST',
	'PUT',
	'PATCH',
	'DELETE',
	'OPTIONS',
	'fallback'
]);

function exportedDeclarations(file: string) {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
	const found = new Map<string, ts.Expression | undefined>();
	for (const statement of source.statements) {
		const exported = ts.canHaveModifiers(statement)
			? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
			: false;
		if (ts.isExportDeclaration(statement)) {
			// `export { actions }` / `export { GET } from …`: not read here, so refuse to guess.
			throw new Error(`${file}: re-exports are not understood by this guard; export directly.`);
		}
		if (!exported) continue;
		if (ts.isVariableStatement(statement)) {
			for (const d of statement.declarationList.declarations) {
				if (ts.isIdentifier(d.name)) found.set(d.name.text, d.initializer);
			}
		} else if (ts.isFunctionDeclaration(statement) && statement.name) {
			found.set(statement.name.text, undefined);
		}
	}
	return found;
}

function topLevelConstant(file: string, name: string): ts.Expression | undefined {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
	for (const statement of source.statements) {
		if (!ts.isVariableStatement(statement)) continue;
		for (const d of statement.declarationList.declarations) {
			if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer;
		}
	}
	return undefined;
}

function unwrap(node: ts.Expression): ts.Expression {
	while (
		ts.isSatisfiesExpression(node) ||
		ts.isAsExpression(node) ||
		ts.isParenthesizedExpression(node)
	) {
		node = node.expression;
	}
	return node;
}

/** The names of `export const actions = { … }`, read from the syntax tree. */
function actionNames(file: string): string[] {
	const exports = exportedDeclarations(file);
	if (!exports.has('actions')) return [];
	const value = exports.get('actions');
	let object = value && unwrap(value);
	// keepTyped(actions, keep) (src/lib/server/forms.ts): the actions are its first argument,
	// written in place or a constant of the same file.
	if (
		object &&
		ts.isCallExpression(object) &&
		ts.isIdentifier(object.expression) &&
		object.expression.text === 'keepTyped' &&
		object.arguments[0]
	) {
		object = unwrap(object.arguments[0]);
		if (ts.isIdentifier(object)) {
			const constant = topLevelConstant(file, object.text);
			object = constant && unwrap(constant);
		}
	}
	if (!object || !ts.isObjectLiteralExpression(object)) {
		throw new Error(`${file}: \`actions\` is not an object literal; list its actions by hand.`);
	}
	return object.properties.map((p) => {
		if (ts.isSpreadAssignment(p) || !p.name) {
			throw new Error(`${file}: \`actions\` uses a spread; list its actions by hand.`);
		}
		if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return p.name.text;
		throw new Error(`${file}: an action with a computed name.`);
	});
}

function sourceTree(): AdminRoute[] {
	const routes = new Map<string, AdminRoute>();
	const files = (readdirSync(ADMIN_DIR, { recursive: true }) as string[]).filter((f) =>
		ROUTE_FILES.has(basename(f))
	);
	for (const file of files) {
		const segments = dirname(file)
			.split(sep)
			.filter((s) => s !== '.' && !/^\(.+\)$/.test(s));
		const route = ['/admin', ...segments].join('/');
		const entry = routes.get(route) ?? { route, access: 'open' };
		const full = join(ADMIN_DIR, file);
		if (/^\+page\.server\.[jt]s$/.test(basename(file))) {
			const names = actionNames(full);
			if (names.length) entry.actions = names;
		}
		if (/^\+server\.[jt]s$/.test(basename(file))) {
			entry.methods = [...exportedDeclarations(full).keys()].filter((n) => HTTP_METHODS.has(n));
		}
		routes.set(route, entry);
	}
	return [...routes.values()];
}

const shape = (routes: AdminRoute[]) =>
	Object.fromEntries(
		routes
			.map(
				(r) =>
					[r.route, { actions: [...(r.actions ?? [])].sort(), methods: r.methods ?? [] }] as const
			)
			.sort(([a], [b]) => a.localeCompare(b))
	);

test('the list in this file covers every admin route and action in src/routes/admin', () => {
	const tree = sourceTree();
	expect(tree.length, `route files under ${relative(ROOT, ADMIN_DIR)}`).toBeGreaterThan(10);
	expect(
		shape(ADMIN_AREA),
		'ADMIN_AREA in tests/e2e/admin-access.spec.ts must list every admin route and action, with its access'
	).toEqual(shape(tree));
});

// ---------------------------------------------------------------------------------------------
// Helpers

interface Ids {
	provider: number;
	request: number;
}

/** A concrete URL for a route pattern. */
function pathOf(route: string, ids: Ids): string {
	return route
		.replace('/providers/[id]', `/providers/${ids.provider}`)
		.replace('/requests/[id]', `/requests/${ids.request}`);
}

async function signIn(page: Page, who: { email: string; password: string }, path = '/admin') {
	await page.goto(path);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderator sign-in');
	await page.getByLabel('Email').fill(who.email);
	await page.getByLabel('Password').fill(who.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(path);
}

/** The admin adds a moderator on /admin/users, as a person would. */
async function createModerator(adminPage: Page, email: string) {
	await adminPage.goto('/admin/users');
	await adminPage.getByLabel('Email', { exact: true }).fill(email);
	await adminPage.getByLabel('Role', { exact: true }).selectOption('moderator');
	await adminPage.getByLabel('Initial password').fill(MODERATOR_PASSWORD);
	await adminPage.getByRole('button', { name: 'Create account' }).click();
	await expect(adminPage.getByRole('status')).toHaveText(`Account ${email} created (moderator).`);
	await expect(adminPage.locator(`tr[data-user="${email}"]`)).toContainText('Moderator');
}

/** A browser context of its own (its own cookies), kept off the network like the fixture's. */
async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
	const context = await browser.newContext({ baseURL, extraHTTPHeaders: ADDRESS });
	await keepOffline(context, new URL(baseURL).origin);
	return context;
}

async function signInModerator(browser: Browser, baseURL: string, email: string) {
	const context = await newContext(browser, baseURL);
	const page = await context.newPage();
	await signIn(page, { email, password: MODERATOR_PASSWORD });
	return { context, page };
}

/** The id in /admin/providers/<id> of a published demo provider, found as a moderator would. */
async function providerId(page: Page, name: string): Promise<number> {
	await page.goto(`/admin/providers?q=${encodeURIComponent(name)}`);
	const href = await page.getByRole('link', { name, exact: true }).first().getAttribute('href');
	const id = Number(href?.match(/^\/admin\/providers\/(\d+)$/)?.[1]);
	expect(id, `link to ${name}`).toBeGreaterThan(0);
	return id;
}

/** A pending listing request sent through the public form's action; its id. */
async function listingRequest(request: APIRequestContext, origin: string, name: string) {
	const response = await request.post('/list-your-practice', {
		form: {
			name,
			kinds: 'clinic',
			city: 'Brandon',
			state: 'VT',
			zip: '05733',
			'routes.iv': 'on',
			contactName: 'Access Test',
			contactEmail: 'access-test@example.org',
			authorised: 'on',
			idempotencyKey: `access-${Date.now()}-${Math.random().toString(36).slice(2)}`
		},
		headers: { origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(303);
	const id = Number(/[?&]ref=(\d+)/.exec(response.headers()['location'] ?? '')?.[1]);
	expect(id, 'listing request id').toBeGreaterThan(0);
	return id;
}

const userRow = (page: Page, email: string) => page.locator(`tr[data-user="${email}"]`);
async function userId(adminPage: Page, email: string): Promise<string> {
	await adminPage.goto('/admin/users');
	const id = (await userRow(adminPage, email).getAttribute('id'))?.replace('user-', '');
	expect(id, `row of ${email}`).toMatch(/^\d+$/);
	return id!;
}

/** A CSV that would add one unmistakable provider. */
const importFile = (name: string) => ({
	name: 'access-test.csv',
	mimeType: 'text/csv',
	buffer: Buffer.from(`name,kinds,city,state,zip,routes\n${name},clinic,Sioux Falls,SD,57104,iv\n`)
});

/** Plausible fields for every action, so a missing check would have something to act on. */
function formFor(action: string, stamp: string, ids: { user?: string }): Record<string, string> {
	switch (action) {
		case 'create':
			return {
				email: `unauthorised-${stamp}@example.org`,
				role: 'admin',
				password: 'a password long enough'
			};
		case 'role':
			return { userId: ids.user ?? '1', role: 'admin' };
		case 'disable':
		case 'enable':
		case 'resetSecondFactor':
			return { userId: ids.user ?? '1' };
		case 'password':
			return { userId: ids.user ?? '1', password: 'a password long enough' };
		case 'annotate':
			return { title: `Unauthorised note ${stamp}`, body: 'Should never be shown.' };
		default:
			return {
				reason: `Unauthorised ${stamp}`,
				resolution: 'Unauthorised',
				ratingId: '1',
				reportId: '1',
				annotationId: '1'
			};
	}
}

// ---------------------------------------------------------------------------------------------
// Anonymous visitors

test('anonymous visitors are sent to sign-in from every admin page, endpoint and action, which have no effect', async ({
	page,
	request,
	baseURL,
	api
}) => {
	test.slow();
	const origin = new URL(baseURL!).origin;
	const stamp = `${Date.now()}`;
	const [target = missing()] = (await api.providers({ state: 'SD', pageSize: 1 })).results;
	const before = await api.provider(target.slug);
	const listing = `Anonymous Check Clinic ${stamp}`;

	// The admin finds the ids the anonymous requests aim at.
	await signIn(page, ADMIN);
	const ids: Ids = {
		provider: await providerId(page, target.name),
		request: await listingRequest(request, origin, `Pending Request ${stamp}`)
	};

	for (const r of guarded) {
		const path = pathOf(r.route, ids);
		const response = await request.get(path, { maxRedirects: 0 });
		expect(response.status(), `GET ${path}`).toBe(303);
		expect(response.headers()['location'], `GET ${path}`).toBe(
			`/admin/sign-in?next=${encodeURIComponent(path)}`
		);
	}

	for (const { route, name } of [...actionsOf('staff'), ...actionsOf('admin')]) {
		const url = `${pathOf(route, ids)}?/${name}`;
		const body =
			route === '/admin/import'
				? { multipart: { file: importFile(listing) } }
				: { form: formFor(name, stamp, {}) };
		const response = await request.post(url, {
			...body,
			headers: { origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status(), `POST ${url}`).toBe(303);
		expect(response.headers()['location'], `POST ${url}`).toBe(
			`/admin/sign-in?next=${encodeURIComponent(url)}`
		);
	}

	// Nothing happened: no account, no import, the listing is as it was, the request still pending.
	await page.goto('/admin/users');
	await expect(page.locator('tr[data-user]').first()).toBeVisible();
	await expect(userRow(page, `unauthorised-${stamp}@example.org`)).toHaveCount(0);
	const sd = await api.allProviders({ state: 'SD' });
	expect(sd.map((p) => p.name)).not.toContain(listing);
	const after = await api.provider(target.slug);
	expect(after.lastVerifiedAt).toBe(before.lastVerifiedAt);
	expect(after.phone).toBe(before.phone);
	await page.goto(`/providers/${target.slug}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.name);
	await expect(page.getByText(`Unauthorised note ${stamp}`)).toHaveCount(0);
	await page.goto(`/admin/requests/${ids.request}`);
	await expect(page.getByRole('button', { name: 'Approve and publish' })).toBeVisible();
});

// ---------------------------------------------------------------------------------------------
// Moderators and admins

test('a moderator reaches the moderation pages but no admin-only page or action; an admin reaches them all', async ({
	page,
	browser,
	baseURL,
	api
}) => {
	test.slow();
	const origin = new URL(baseURL!).origin;
	const stamp = `${Date.now()}`;
	const email = `moderator-${stamp}@example.org`;

	await signIn(page, ADMIN);
	await createModerator(page, email);
	const moderatorId = await userId(page, email);
	const adminId = await userId(page, ADMIN.email);
	const [target = missing()] = (await api.providers({ state: 'SD', pageSize: 1 })).results;
	const ids: Ids = {
		provider: await providerId(page, target.name),
		request: await listingRequest(page.request, origin, `Moderator Check Request ${stamp}`)
	};

	const moderator = await signInModerator(browser, baseURL!, email);
	const mod = moderator.context.request;

	// The admin bar offers only what a moderator may use.
	expect(await adminBar(moderator.page)).toEqual(NAV_FOR_STAFF);
	await expect(moderator.page.getByText(`${email} (moderator)`)).toBeVisible();

	for (const r of pages('staff')) {
		const path = pathOf(r.route, ids);
		const response = await mod.get(path, { maxRedirects: 0 });
		expect(response.status(), `moderator GET ${path}`).toBe(200);
	}

	for (const r of pages('admin')) {
		const path = pathOf(r.route, ids);
		// In the browser: the error page, with its message.
		const shown = await moderator.page.goto(path);
		expect(shown?.status(), `moderator opens ${path}`).toBe(403);
		if (r.methods) {
			await expect(moderator.page.getByRole('heading', { level: 1 })).toHaveText(FORBIDDEN);
		} else {
			await expect(moderator.page.getByRole('alert')).toHaveText(FORBIDDEN);
			await expect(moderator.page.getByText('Error 403')).toBeVisible();
		}
		const response = await mod.get(path, { maxRedirects: 0 });
		expect(response.status(), `moderator GET ${path}`).toBe(403);
	}

	const listing = `Moderator Import Clinic ${stamp}`;
	for (const { route, name } of actionsOf('admin')) {
		const url = `${pathOf(route, ids)}?/${name}`;
		const body =
			route === '/admin/import'
				? { multipart: { file: importFile(listing) } }
				: {
						// Aimed where it would hurt: the admin's own account, or making oneself admin.
						form: formFor(name, stamp, { user: name === 'role' ? moderatorId : adminId })
					};
		const response = await mod.post(url, {
			...body,
			headers: { origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status(), `moderator POST ${url}`).toBe(403);
		expect(await response.text(), `moderator POST ${url}`).toContain(FORBIDDEN);
	}

	// Nothing changed: the moderator is still a moderator, the admin still active and signed in,
	// no account added, nothing imported.
	await page.goto('/admin/users');
	await expect(page).toHaveURL('/admin/users');
	await expect(userRow(page, email)).toContainText('Moderator');
	await expect(userRow(page, ADMIN.email)).toContainText('Active');
	await expect(userRow(page, `unauthorised-${stamp}@example.org`)).toHaveCount(0);
	expect((await api.allProviders({ state: 'SD' })).map((p) => p.name)).not.toContain(listing);
	await moderator.page.goto('/admin');
	await expect(moderator.page.getByText(`${email} (moderator)`)).toBeVisible();

	// The admin sees every link and opens every page and endpoint.
	await page.goto('/admin');
	expect(await adminBar(page)).toEqual(NAV_FOR_ADMIN);
	for (const r of guarded) {
		const path = pathOf(r.route, ids);
		const response = await page.request.get(path, { maxRedirects: 0 });
		expect(response.status(), `admin GET ${path}`).toBe(200);
	}

	await moderator.context.close();
});

test('a moderator the admin disables is signed out at once', async ({ page, browser, baseURL }) => {
	const origin = new URL(baseURL!).origin;
	const email = `disabled-${Date.now()}@example.org`;
	await signIn(page, ADMIN);
	await createModerator(page, email);

	const moderator = await signInModerator(browser, baseURL!, email);
	await expect(moderator.page.getByRole('heading', { level: 1 })).toHaveText(
		'Moderation dashboard'
	);

	await page.goto('/admin/users');
	await userRow(page, email)
		.getByRole('button', { name: `Disable and sign out ${email}` })
		.click();
	await expect(page.getByRole('status')).toHaveText(
		`${email} is disabled and signed out everywhere.`
	);
	await expect(userRow(page, email)).toContainText('Disabled');

	// The very next request, a click in the open admin bar, lands on sign-in.
	await moderator.page
		.getByRole('navigation', { name: 'Moderation' })
		.getByRole('link', { name: 'Providers' })
		.click();
	await expect(moderator.page).toHaveURL(
		`/admin/sign-in?next=${encodeURIComponent('/admin/providers')}`
	);
	// An action from the old session is refused too, and the password no longer opens the door.
	const response = await moderator.context.request.post('/admin/reports?/dismiss', {
		form: { reportId: '1', resolution: 'x' },
		headers: { origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(303);
	expect(response.headers()['location']).toMatch(/^\/admin\/sign-in\?next=/);
	await moderator.page.getByLabel('Email').fill(email);
	await moderator.page.getByLabel('Password').fill(MODERATOR_PASSWORD);
	await moderator.page.getByRole('button', { name: 'Sign in' }).click();
	await expect(moderator.page.getByRole('alert')).toHaveText(
		'That email and password do not match an account.'
	);

	await moderator.context.close();
});

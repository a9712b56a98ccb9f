import { readFileSync, writeFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { violations } from './axe';
import { dateText, priceText, ROUTE_CODES } from './domain';
import { expect, test } from './fixtures';
import { first, missing } from '../helpers/rows';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };

// The test server reads the client address from X-Forwarded-For (playwright.config.ts); sign-in
// is rate-limited per address and email, so this file keeps an address of its own.
test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.254.0.1' } });

const EXAMPLE_CSV = 'docs/examples/providers-import.csv';

/** The columns docs/csv.md documents, in its order. */
const CSV_COLUMNS = [
	'slug',
	'name',
	'kinds',
	'description',
	'street',
	'city',
	'state',
	'zip',
	'lat',
	'lng',
	'phone',
	'website',
	'email',
	'routes',
	...ROUTE_CODES.flatMap((r) => [
		`${r}_price_min`,
		`${r}_price_max`,
		`${r}_series_price`,
		`${r}_notes`
	]),
	'consult_fee',
	'accepts_insurance',
	'insurance_notes',
	'offers_psychotherapy',
	'accepting_new_patients',
	'accepting_confirmed_on',
	'telehealth_states',
	'conditions',
	'status',
	'last_verified'
];

async function signIn(page: Page, path: string) {
	await page.goto(path);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderator sign-in');
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(path);
}

const today = () => dateText(new Date().toISOString());

/** One field's line in an audit entry's list of changes. */
const changeOf = (entry: Locator, label: string) =>
	entry
		.locator('.change li')
		.filter({ has: entry.page().locator('.field-name', { hasText: new RegExp(`^${label}$`) }) });

test('an admin edits, suspends, republishes, verifies and annotates a provider; the public profile and the audit log follow', async ({
	page,
	api,
	request
}) => {
	test.slow();
	const stamp = Date.now().toString(36);
	// A demo clinic of this file's own state, with IV prices to change.
	const candidates = (await api.allProviders({ state: 'NE', route: 'iv' })).filter(
		(p) => p.state === 'NE' && !p.kinds.includes('telehealth')
	);
	const provider = first(candidates, 'a Nebraska clinic offering IV');
	const before = await api.provider(provider.slug);
	const profileUrl = `/providers/${provider.slug}`;
	const phone = `(402) 555-0${String(Date.now() % 1000).padStart(3, '0')}`;
	expect(before.phone).not.toBe(phone);
	const reasons = {
		update: `Phone and IV prices confirmed with the clinic (${stamp})`,
		suspend: `Clinic closed for renovation (${stamp})`,
		publish: `Clinic reopened (${stamp})`,
		verify: `Called the front desk (${stamp})`
	};

	// Find it.
	await signIn(page, '/admin/providers');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Providers');
	await page.getByLabel('Name, slug, city or ZIP').fill(provider.name);
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page).toHaveURL(/\/admin\/providers\?q=/);
	const row = page.locator('tr[data-provider]', { hasText: provider.slug });
	await expect(row).toContainText('Published');
	expect(await violations(page)).toEqual([]);
	await row.getByRole('link', { name: provider.name, exact: true }).click();
	await expect(page).toHaveURL(/\/admin\/providers\/\d+$/);
	const providerId = page.url().split('/').pop()!;
	await expect(page.getByRole('heading', { level: 1 })).toContainText(`Edit: ${provider.name}`);
	expect(await violations(page)).toEqual([]);

	// Edit the phone and the IV prices, with a reason.
	await page.getByLabel('Phone', { exact: true }).fill(phone);
	await page.getByLabel('From $ / session (IV)').fill('321');
	await page.getByLabel('To $ / session (IV)').fill('987');
	await page.getByLabel(/^Reason for the change/).fill(reasons.update);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('status')).toHaveText('Your changes are saved.');
	await expect(page.getByLabel('Phone', { exact: true })).toHaveValue(phone);

	await page.goto(profileUrl);
	await expect(page.getByRole('complementary', { name: 'Contact' })).toContainText(
		`Phone: ${phone}`
	);
	await expect(
		page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'IV infusion' }) })
	).toContainText(priceText(321, 987)!);

	// Suspend: off the site and out of the API.
	await page.goto(`/admin/providers/${providerId}`);
	await page.getByRole('button', { name: 'Suspend', exact: true }).click();
	await expect(page.locator('#suspend-reason-error')).toHaveText(
		'Say why the listing is suspended (it goes in the audit log).'
	);
	await page.getByLabel('Reason (required)').fill(reasons.suspend);
	await page.getByRole('button', { name: 'Suspend', exact: true }).click();
	await expect(page.getByRole('status')).toHaveText(
		'The listing is suspended: it is no longer on the site.'
	);
	await expect(page.locator('[data-status]')).toHaveText('Suspended — not on the site');

	const gone = await page.goto(profileUrl);
	expect(gone?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
	expect((await request.get(`/api/providers/${provider.slug}`)).status()).toBe(404);
	expect((await api.allProviders({ state: 'NE' })).map((p) => p.slug)).not.toContain(provider.slug);

	// Unsuspend: back.
	await page.goto(`/admin/providers/${providerId}`);
	await page.getByLabel('Reason (optional)', { exact: true }).fill(reasons.publish);
	await page.getByRole('button', { name: 'Unsuspend and publish' }).click();
	await expect(page.getByRole('status')).toHaveText(
		'The listing is published: it is on the site again.'
	);
	expect((await page.goto(profileUrl))?.status()).toBe(200);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(provider.name);
	expect((await api.allProviders({ state: 'NE' })).map((p) => p.slug)).toContain(provider.slug);

	// Verify: today's date on the profile.
	await page.goto(`/admin/providers/${providerId}`);
	await page.getByLabel(/^How you checked/).fill(reasons.verify);
	await page.getByRole('button', { name: 'Mark verified today' }).click();
	await expect(page.getByRole('status')).toHaveText('The listing is marked verified today.');
	await page.goto(profileUrl);
	await expect(page.locator('.verified')).toHaveText(`Last verified ${today()}`);

	// An editorial note: on the profile as the moderators' note, until it is retired.
	const title = `Moved to a new suite (${stamp})`;
	const body = 'The clinic moved upstairs; the entrance is now on the north side.';
	await page.goto(`/admin/providers/${providerId}`);
	await page.getByLabel('Title (required)').fill(title);
	await page.getByLabel('Note (required)').fill(body);
	await page.getByRole('button', { name: 'Add note' }).click();
	await expect(page.getByRole('status')).toHaveText(
		'The editorial note is added to the public profile.'
	);
	await page.goto(profileUrl);
	const note = page
		.getByRole('list', { name: 'Notes on this provider' })
		.getByRole('listitem')
		.filter({ hasText: title });
	await expect(note).toContainText(`Editorial note: ${title}`);
	await expect(note).toContainText(body);
	await expect(note).toContainText('From our moderators');

	await page.goto(`/admin/providers/${providerId}`);
	const item = page.locator('[data-note]', { hasText: title });
	await item.getByLabel(/^Reason for retiring/).fill('Temporary notice');
	await item.getByRole('button', { name: `Retire the note “${title}”` }).click();
	await expect(page.getByRole('status')).toHaveText(
		'The note is retired: it no longer shows on the public profile.'
	);
	await expect(page.locator('[data-note]', { hasText: title })).toContainText('Retired');
	await page.goto(profileUrl);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(provider.name);
	await expect(page.getByText(title)).toHaveCount(0);

	// The audit log of this listing: each change with who and why.
	await page.goto('/admin/audit');
	await page.getByLabel('About').selectOption('provider');
	await page.getByLabel('Record number').fill(providerId);
	await page.getByRole('button', { name: 'Show entries' }).click();
	await expect(page).toHaveURL(/entityType=provider/);
	await expect(page.locator('.about')).toHaveText(`Entries about listing ${provider.name}`);
	const entries = page.locator('tr[data-entry]');
	for (const [action, label, reason] of [
		['provider.update', 'Listing edited', reasons.update],
		['provider.suspend', 'Listing suspended', reasons.suspend],
		['provider.publish', 'Listing published', reasons.publish],
		['provider.verify', 'Listing marked verified', reasons.verify]
	] as const) {
		const entry = page.locator(`tr[data-entry][data-action="${action}"]`);
		await expect(entry, action).toHaveCount(1);
		await expect(entry, action).toContainText(ADMIN.email);
		await expect(entry.locator('.what'), action).toHaveText(label);
		await expect(entry.locator('.reason'), action).toHaveText(reason);
		// What it is about, by name and linked, never as an internal number.
		await expect(
			entry.locator('.entity').getByRole('link', { name: provider.name, exact: true }),
			action
		).toHaveAttribute('href', `/admin/providers/${providerId}`);
		await expect(entry.locator('.entity'), action).not.toContainText(`provider ${providerId}`);
	}
	// The edit, field by field in words: the phone and the IV prices, no JSON.
	const edit = page.locator('tr[data-entry][data-action="provider.update"]');
	await expect(changeOf(edit, 'Phone').locator('del')).toHaveText(before.phone ?? '—');
	await expect(changeOf(edit, 'Phone').locator('ins')).toHaveText(phone);
	await expect(changeOf(edit, 'IV infusion').locator('ins')).toContainText(priceText(321, 987)!);
	expect(await edit.locator('.change').innerText()).not.toMatch(/[{}"]/);
	// Newest first.
	const order = await entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
	expect(order.filter((a) => a?.startsWith('provider.')).slice(0, 4)).toEqual([
		'provider.verify',
		'provider.publish',
		'provider.suspend',
		'provider.update'
	]);
	expect(await violations(page)).toEqual([]);

	await page.getByLabel('Action').selectOption('provider.suspend');
	await page.getByRole('button', { name: 'Show entries' }).click();
	await expect(page.getByRole('status')).toHaveText('1 entry match these filters.');
	await expect(entries).toHaveCount(1);
	await expect(entries.locator('.reason')).toHaveText(reasons.suspend);

	// A date that does not exist is explained, not a server error.
	const bad = await page.goto('/admin/audit?from=2025-02-30');
	expect(bad?.status()).toBe(200);
	await expect(page.getByRole('alert')).toContainText('These filters could not be used');
	await expect(page.locator('#from-error')).toHaveText('The “from” date is not a real date.');
	await expect(page.getByLabel(/^From/)).toHaveAttribute('aria-invalid', 'true');
	expect(await violations(page)).toEqual([]);
});

test('renaming a listing keeps its old links working, pages and API alike, and capitals are forgiven', async ({
	page,
	api,
	request
}) => {
	test.slow();
	const stamp = Date.now().toString(36);
	const provider = (await api.allProviders({ state: 'WV' })).find(
		(p) => p.state === 'WV' && (p as { feedback?: { count: number } }).feedback!.count > 0
	)!;
	expect(provider, 'a West Virginia listing with ratings').toBeDefined();
	const old = provider.slug;
	const renamed = `${old.slice(0, 60)}-${stamp}`;
	await page.goto(`/providers/${old}#comments`);
	const ratingReport = await page
		.locator('a[href*="/ratings/"][href$="/report"]')
		.first()
		.getAttribute('href');

	await signIn(page, `/admin/providers?q=${old}`);
	await page
		.locator('tr[data-provider]', { hasText: old })
		.getByRole('link', { name: provider.name, exact: true })
		.click();
	await page.getByLabel(/^Slug/).fill(renamed);
	await page.getByLabel(/^Reason for the change/).fill(`Clearer address (${stamp})`);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('status')).toHaveText('Your changes are saved.');
	await expect(page.getByRole('link', { name: `/providers/${renamed}` })).toBeVisible();

	const moved = async (from: string, to: string) => {
		const response = await request.get(from, { maxRedirects: 0 });
		expect(response.status(), from).toBe(308);
		expect(response.headers()['location'], from).toBe(to);
	};
	// The old address and its pages, the query kept.
	await moved(`/providers/${old}`, `/providers/${renamed}`);
	await moved(`/providers/${old}?comments=2`, `/providers/${renamed}?comments=2`);
	for (const sub of ['rate', 'report', 'update']) {
		await moved(`/providers/${old}/${sub}`, `/providers/${renamed}/${sub}`);
	}
	if (ratingReport) {
		await moved(ratingReport, ratingReport.replace(old, renamed));
	}
	// Capitals, in the new address or the old.
	await moved(`/providers/${renamed.toUpperCase()}`, `/providers/${renamed}`);
	await moved(`/providers/${old.toUpperCase()}/rate`, `/providers/${renamed}/rate`);
	// A browser simply arrives.
	await page.goto(`/providers/${old}`);
	await expect(page).toHaveURL(`/providers/${renamed}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(provider.name);

	// The API: a permanent redirect saying where the provider is now; followed, the profile.
	const api308 = await request.get(`/api/providers/${old}`, { maxRedirects: 0 });
	expect(api308.status()).toBe(308);
	expect(api308.headers()['location']).toBe(`/api/providers/${renamed}`);
	expect(((await api308.json()) as { moved: { slug: string } }).moved.slug).toBe(renamed);
	expect((await api.provider(old)).slug).toBe(renamed);

	// An address nobody had is still not found.
	expect((await request.get(`/providers/${old}-${stamp}-nope`)).status()).toBe(404);
	expect((await request.get(`/api/providers/${old}-${stamp}-nope`)).status()).toBe(404);
});

test('an admin checks a CSV, sees the problems of a bad one, imports the good one and exports', async ({
	page,
	api
}, testInfo) => {
	test.slow();
	const stamp = Date.now().toString(36);
	const names = async (state: string) => (await api.allProviders({ state })).map((p) => p.name);

	await signIn(page, '/admin/import');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import and export providers');
	expect(await violations(page)).toEqual([]);

	// Check only: a report, nothing written.
	await page.getByLabel('CSV file', { exact: true }).setInputFiles(EXAMPLE_CSV);
	await page.getByRole('button', { name: 'Check file' }).click();
	await expect(page.getByRole('heading', { name: 'Check of providers-import.csv' })).toBeVisible();
	await expect(page.getByRole('status')).toHaveText(
		'No problems found: 3 providers — 3 would be added and 0 updated. Nothing has been written yet; choose the file again if needed and press Import.'
	);
	expect(await names('TX')).not.toContain('Bluebonnet Infusion Clinic');
	expect(await names('IL')).not.toContain('Lakeshore Spravato Center');

	// A file with a bad row: every problem by row and column, and nothing written.
	const good = `Prairie Wind Ketamine ${stamp}`;
	const badFile = testInfo.outputPath('providers-bad.csv');
	writeFileSync(
		badFile,
		[
			'slug,name,kinds,city,state,zip,routes',
			`,${good},clinic,Omaha,NE,68102,iv`,
			// An unknown route code and a ZIP of another state (New York) on one row…
			`,Wrong Turn Clinic ${stamp},clinic,Omaha,NE,10001,laser`,
			// …and the same ZIP alone on the next.
			`,Far Away Clinic ${stamp},clinic,Omaha,NE,10001,iv`
		].join('\n') + '\n'
	);
	for (const [button, heading, outcome] of [
		['Check file', 'Check of providers-bad.csv', 'found. Fix the file'],
		['Import', 'Import of providers-bad.csv', 'found; nothing was imported.']
	] as const) {
		await page.getByLabel('CSV file', { exact: true }).setInputFiles(badFile);
		await page.getByRole('button', { name: button, exact: true }).click();
		await expect(page.getByRole('heading', { name: heading })).toBeVisible();
		await expect(page.getByRole('alert')).toContainText(outcome);
		const problems = page.getByRole('table', { name: /^Problems in providers-bad\.csv/ });
		const problem = (row: string, column: string) =>
			problems
				.getByRole('row')
				.filter({ has: page.getByRole('cell', { name: row, exact: true }) })
				.filter({ has: page.locator('code', { hasText: new RegExp(`^${column}$`) }) });
		await expect(problem('3', 'routes')).toContainText('Unknown code “laser”');
		await expect(problem('4', 'zip')).toContainText('ZIP 10001 is in New York');
		// docs/csv.md: a check reports every bad cell, so the row with two problems shows both.
		await expect
			.soft(problem('3', 'zip'), 'the ZIP problem of row 3')
			.toContainText('ZIP 10001 is in New York');
		await expect(
			problems.getByRole('row').filter({ has: page.getByRole('cell', { name: '2', exact: true }) })
		).toHaveCount(0);
		expect(await violations(page)).toEqual([]);
	}
	expect(await names('NE')).not.toContain(good);

	// Import the good file: all three providers added, the published ones on the site. Its Austin
	// clinic is moved to Wichita first: other files count Texas and Austin results while this runs.
	const example = readFileSync(EXAMPLE_CSV, 'utf8');
	const moved = example.replace(',Austin,TX,78701,', ',Wichita,KS,67202,');
	expect(moved, 'the Austin row of the example').not.toBe(example);
	const goodFile = testInfo.outputPath('providers-import.csv');
	writeFileSync(goodFile, moved);
	await page.getByLabel('CSV file', { exact: true }).setInputFiles(goodFile);
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByRole('status')).toHaveText('Imported 3 providers (3 new, 0 updated).');
	expect(await names('KS')).toContain('Bluebonnet Infusion Clinic');
	expect(await names('IL')).toContain('Lakeshore Spravato Center');
	// The pending one is on file but not on the site.
	expect(await names('OR')).not.toContain('Evergreen At-Home Ketamine');
	await page.goto('/admin/providers?q=Evergreen+At-Home&status=pending');
	await expect(
		page.locator('tr[data-provider]', { hasText: 'Evergreen At-Home Ketamine' })
	).toContainText('Pending');

	// Exports: the documented columns, published providers only.
	const [published = missing()] = (await api.providers({ state: 'MT', pageSize: 1 })).results;
	const csv = await page.request.get('/admin/export/providers.csv');
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
	expect(csv.headers()['content-disposition']).toMatch(
		/^attachment; filename="providers-\d{4}-\d{2}-\d{2}\.csv"$/
	);
	const text = (await csv.text()).replace(/^\uFEFF/, '');
	const [header = missing()] = text.split(/\r?\n/, 1);
	expect(header.split(',')).toEqual(CSV_COLUMNS);
	expect(text).toContain(`\n${published.slug},`);
	expect(text).not.toContain('Evergreen At-Home Ketamine');

	const json = await page.request.get('/admin/export/providers.json');
	expect(json.status()).toBe(200);
	const rows = (await json.json()) as Record<string, unknown>[];
	expect(Array.isArray(rows)).toBe(true);
	expect(Object.keys(first(rows))).toEqual(CSV_COLUMNS);
	expect(rows.map((r) => r.slug)).toContain(published.slug);
});

test('an admin adds a moderator, fixing a short password, then makes them an admin; the audit log records it', async ({
	page
}) => {
	const email = `new-moderator-${Date.now()}@example.org`;
	await signIn(page, '/admin/users');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
	expect(await violations(page)).toEqual([]);

	await page.getByLabel('Email', { exact: true }).fill(email);
	await page.getByLabel('Role', { exact: true }).selectOption('moderator');
	await page.getByLabel('Initial password').fill('too short');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.locator('#new-password-error')).toHaveText('Use at least 12 characters.');
	await expect(page.getByLabel('Initial password')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Email', { exact: true })).toHaveValue(email);
	await expect(page.getByLabel('Initial password')).toHaveValue('');
	await expect(page.locator(`tr[data-user="${email}"]`)).toHaveCount(0);
	expect(await violations(page)).toEqual([]);

	await page.getByLabel('Initial password').fill('a moderator password long enough');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('status')).toHaveText(`Account ${email} created (moderator).`);
	const row = page.locator(`tr[data-user="${email}"]`);
	await expect(row).toContainText('Moderator');
	await expect(row).toContainText('Active');
	const userId = (await row.getAttribute('id'))!.replace('user-', '');

	await row.getByLabel(`Role for ${email}`).selectOption('admin');
	await row.getByRole('button', { name: 'Change role' }).click();
	await expect(page.getByRole('status')).toHaveText(`${email} is now an admin.`);
	await expect(row.getByRole('cell').first()).toHaveText('Admin');

	await page.goto('/admin/audit');
	await page.getByLabel('Action').selectOption('user.create');
	await page.getByLabel('Record number').fill(userId);
	await page.getByRole('button', { name: 'Show entries' }).click();
	const entry = page.locator('tr[data-entry]');
	await expect(entry).toHaveCount(1);
	await expect(entry.locator('.who')).toHaveText(ADMIN.email);
	await expect(entry.locator('.what')).toHaveText('Account created');
	await expect(entry.locator('.entity')).toContainText(`Account ${email}`);
	await expect(entry.locator('.entity')).not.toContainText(`user ${userId}`);
	await expect(changeOf(entry, 'Email').locator('ins')).toHaveText(email);
	await page.getByLabel('Action').selectOption('user.role');
	await page.getByRole('button', { name: 'Show entries' }).click();
	await expect(entry).toHaveCount(1);
	await expect(changeOf(entry, 'Role').locator('del')).toHaveText('moderator');
	await expect(changeOf(entry, 'Role').locator('ins')).toHaveText('admin');
});

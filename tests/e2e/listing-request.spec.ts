import type { Browser, Page } from '@playwright/test';
import { violations } from './axe';
import { expect, keepOffline, test } from './fixtures';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };

// The test server reads the client address from X-Forwarded-For (playwright.config.ts).
test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.252.0.1' } });

async function signIn(page: Page) {
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderator sign-in');
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A practice's own browser, with its own address: requests are limited per address, and this
 * file's other tests send theirs from the default one.
 */
async function practiceAt(browser: Browser, baseURL: string, address: string): Promise<Page> {
	const context = await browser.newContext({
		baseURL,
		extraHTTPHeaders: { 'x-forwarded-for': address }
	});
	await keepOffline(context, new URL(baseURL).origin);
	return context.newPage();
}

/** Fills the private part of the request form and sends it; returns the request's number. */
async function sendUpdate(practice: Page): Promise<string> {
	await practice.getByLabel(/^Your name/).fill('Office Manager');
	await practice.getByLabel(/^Your email/).fill('office@clinic.example');
	await practice.getByLabel(/I am authorised to list this practice/).check();
	await practice.getByRole('button', { name: 'Send update request' }).click();
	await expect(practice).toHaveURL(/\/list-your-practice\/received\?kind=update&ref=\d+$/);
	return new URL(practice.url()).searchParams.get('ref')!;
}

/** The Total cell of a state's row in the /states matrix. */
async function matrixTotal(page: Page, state: string): Promise<number> {
	await page.goto('/states');
	const cell = page.locator(`tr[data-state="${state}"] td[data-route="total"]`);
	return Number((await cell.innerText()).trim() || '0');
}

test('a provider requests a listing; an admin approves it; it is in search, on the map and in the state matrix', async ({
	page
}) => {
	test.slow();
	const name = `Birch Lake Ketamine ${Date.now().toString(36)}`;
	const before = await matrixTotal(page, 'VT');

	await page.goto('/');
	await page.getByRole('link', { name: 'List your practice' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Request to be added to the directory'
	);
	expect(await violations(page)).toEqual([]);

	// First attempt: mistakes on several fields.
	await page.getByLabel(/^Name of the practice/).fill(name);
	await page.getByLabel('Clinic', { exact: true }).check();
	await page.getByLabel(/^City/).fill('Brandon');
	await page.getByLabel(/^State/).selectOption('VT');
	await page.getByLabel(/^ZIP code/).fill('10001');
	await page.getByLabel('Phone').fill('555-01');
	await page.getByLabel('IV infusion').check();
	await page.getByLabel('From $ / session (IV)').fill('900');
	await page.getByLabel('To $ / session (IV)').fill('500');
	await page.getByLabel(/^Your name/).fill('Dr. Ada Birch');
	await page.getByLabel(/^Your email/).fill('ada@birch.example');
	await page.getByRole('button', { name: 'Send listing request' }).click();

	const summary = page.getByRole('alert').filter({ hasText: 'Please check' });
	await expect(summary).toBeFocused();
	await expect(summary).toContainText('Enter a 10-digit US phone number');
	await expect(summary).toContainText('The highest price must be at least the lowest price.');
	await expect(summary).toContainText('Please confirm you are authorised');
	await expect(page.locator('#f-phone')).toHaveAttribute('aria-invalid', 'true');
	// Everything typed is still there.
	await expect(page.getByLabel(/^Name of the practice/)).toHaveValue(name);
	await expect(page.getByLabel('From $ / session (IV)')).toHaveValue('900');
	await expect(page.getByLabel(/^Your email/)).toHaveValue('ada@birch.example');
	expect(await violations(page)).toEqual([]);

	await page.getByLabel('Phone').fill('(802) 555-0117');
	await page.getByLabel('To $ / session (IV)').fill('950');
	await page.getByLabel(/I am authorised to list this practice/).check();
	await page.getByRole('button', { name: 'Send listing request' }).click();
	// The server's own check: that ZIP is in New York.
	await expect(page.locator('#f-zip-error')).toHaveText(
		'ZIP 10001 is in New York, not Vermont; check the ZIP or the state.'
	);
	await page.getByLabel(/^ZIP code/).fill('05733');
	await page.getByLabel('Spravato (esketamine) nasal spray').check();
	await page.getByLabel('PTSD / CPTSD').check();
	await page.getByRole('button', { name: 'Send listing request' }).click();

	await expect(page).toHaveURL(/\/list-your-practice\/received\?kind=new&ref=\d+$/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('was received');
	await expect(page.getByRole('heading', { name: 'What happens next' })).toBeVisible();
	const ref = new URL(page.url()).searchParams.get('ref');

	// Not public yet.
	const hidden = await page.request.get(`/api/providers?state=VT&pageSize=100`);
	expect(JSON.stringify(await hidden.json())).not.toContain(name);

	await page.goto('/admin');
	await signIn(page);
	await page
		.getByRole('link', { name: /listing requests/ })
		.first()
		.click();
	await page.getByRole('link', { name: `New listing: ${name}` }).click();
	await expect(page).toHaveURL(`/admin/requests/${ref}`);
	await expect(page.locator('tr[data-field="routes.iv"]')).toContainText('$900–$950');
	await expect(page.locator('tr[data-field="phone"]')).toContainText('(802) 555-0117');
	expect(await violations(page)).toEqual([]);
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await expect(page.getByRole('status')).toContainText(`Request #${ref} (${name}) approved.`);
	await page.getByRole('link', { name: 'See the listing' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	await expect(page.getByText(/Last verified/)).toContainText(
		new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date())
	);
	const slug = new URL(page.url()).pathname.split('/').pop()!;

	// In search: the state's results, filtered to IV.
	await page.goto('/?state=VT&route=iv&pageSize=100');
	await expect(page.getByRole('link', { name, exact: true })).toBeVisible();

	// On the map: the point for its ZIP, as the map asks for it.
	const profile = (await (await page.request.get(`/api/providers/${slug}`)).json()) as {
		lat: number;
		lng: number;
	};
	const d = 0.01;
	const bbox = [profile.lng - d, profile.lat - d, profile.lng + d, profile.lat + d].join(',');
	const map = (await (await page.request.get(`/api/map?bbox=${bbox}&zoom=18`)).json()) as {
		features: { properties: { slug?: string } }[];
	};
	expect(map.features.map((f) => f.properties.slug)).toContain(slug);

	// In the state matrix.
	expect(await matrixTotal(page, 'VT')).toBe(before + 1);
});

test('a provider requests an update; the admin sees it beside the listing and approves it', async ({
	page,
	api
}) => {
	test.slow();
	const { results } = await api.providers({ state: 'ND', kind: 'clinic', pageSize: 50 });
	// "Serves ND" includes clinics elsewhere licensed there for telehealth: take one located in ND.
	const provider = results.find((p) => p.state === 'ND')!;
	const phone = `(701) 555-01${String(Date.now() % 100).padStart(2, '0')}`;

	await page.goto(`/providers/${provider.slug}`);
	await page.getByRole('link', { name: 'Request an update' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Request an update to ${provider.name}`
	);
	// Prefilled with the listing as it stands.
	await expect(page.getByLabel(/^Name of the practice/)).toHaveValue(provider.name);
	await expect(page.getByLabel(/^State/)).toHaveValue('ND');
	for (const route of provider.routes) {
		await expect(page.locator(`input[name="routes.${route.code}"]`)).toBeChecked();
	}
	await page.getByLabel('Phone').fill(phone);
	await page.getByLabel(/^Your name/).fill('Office Manager');
	await page.getByLabel(/^Your email/).fill('office@clinic.example');
	await page.getByLabel(/I am authorised to list this practice/).check();
	await page.getByRole('button', { name: 'Send update request' }).click();
	await expect(page).toHaveURL(/\/list-your-practice\/received\?kind=update&ref=\d+$/);
	const ref = new URL(page.url()).searchParams.get('ref');

	await page.goto(`/admin/requests/${ref}`);
	await signIn(page);
	await expect(page).toHaveURL(`/admin/requests/${ref}`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(`Update request #${ref}`);
	const phoneRow = page.locator('tr[data-field="phone"]');
	await expect(phoneRow).toContainText('changed');
	await expect(phoneRow.locator('td').nth(1)).toHaveText(phone);
	await expect(page.locator('tr[data-field="name"]')).not.toContainText('changed');
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await expect(page.getByRole('status')).toContainText('approved');

	const updated = (await (await page.request.get(`/api/providers/${provider.slug}`)).json()) as {
		phone: string;
		name: string;
	};
	expect(updated).toMatchObject({ phone, name: provider.name });
});

test('an older update request does not undo a moderator’s later edit: $300 stays $300', async ({
	page,
	api,
	browser,
	baseURL
}) => {
	test.slow();
	const stamp = Date.now().toString(36);
	const provider = (await api.allProviders({ state: 'SD', kind: 'clinic' })).find(
		(p) => p.state === 'SD'
	)!;
	const phone = `(605) 555-01${String(Date.now() % 100).padStart(2, '0')}`;
	const message = `We moved to a new phone system in March (${stamp}).`;

	// The listing charges $350 for a consultation.
	await page.goto(`/admin/providers?q=${encodeURIComponent(provider.slug)}`);
	await signIn(page);
	await page
		.locator('tr[data-provider]', { hasText: provider.slug })
		.getByRole('link', { name: provider.name, exact: true })
		.click();
	await expect(page).toHaveURL(/\/admin\/providers\/\d+$/);
	const listingPage = page.url();
	await page.getByLabel(/^Consultation fee/).fill('350');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('status')).toHaveText('Your changes are saved.');

	// The practice asks for a new phone number; its form shows the $350 fee, left as it is.
	const practice = await practiceAt(browser, baseURL!, '10.252.1.1');
	await practice.goto(`/providers/${provider.slug}/update`);
	await expect(practice.getByLabel(/^Consultation fee/)).toHaveValue('350');
	await practice.getByLabel('Phone').fill(phone);
	await practice.getByLabel(/^Message to the moderators/).fill(message);
	expect(await violations(practice)).toEqual([]);
	const ref = await sendUpdate(practice);

	// A moderator corrects the fee to $300; the listing's page shows the request waiting.
	await page.goto(listingPage);
	const pending = page.getByRole('region', { name: 'Pending update requests (1)' });
	await expect(pending.getByRole('link', { name: `Update request #${ref}` })).toBeVisible();
	await page.getByLabel(/^Consultation fee/).fill('300');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('status')).toHaveText('Your changes are saved.');
	await expect(pending).toContainText('the listing changed since');
	expect(await violations(page)).toEqual([]);

	// The request's page says what changed since, field by field, and what approval will do.
	await pending.getByRole('link', { name: `Update request #${ref}` }).click();
	await expect(page).toHaveURL(`/admin/requests/${ref}`);
	await expect(
		page.getByRole('note').filter({ hasText: 'The listing changed since this request.' })
	).toBeVisible();
	await expect(page.getByRole('region', { name: 'Message to the moderators' })).toContainText(
		message
	);
	const fee = page.locator('tr[data-field="consultFee"]');
	await expect(fee.getByRole('cell').nth(0)).toContainText('$300');
	await expect(fee.getByRole('cell').nth(0)).toContainText(
		'Changed since the request; the practice saw: $350'
	);
	await expect(fee.getByRole('cell').nth(1)).toHaveText('$350');
	await expect(fee.getByRole('cell').nth(2)).toHaveText('Keeps the listing’s value');
	const phoneRow = page.locator('tr[data-field="phone"]');
	await expect(phoneRow).toContainText('changed');
	await expect(phoneRow.getByRole('cell').nth(2)).toHaveText('Takes the requested value');
	expect(await violations(page)).toEqual([]);
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await expect(page.getByRole('status')).toContainText(`Request #${ref}`);
	await expect(page.getByRole('status')).toContainText('approved');

	expect(await api.provider(provider.slug)).toMatchObject({ consultFee: 300, phone });
	// Decided, the request is a record: no merge to show, nothing to approve.
	await page.goto(`/admin/requests/${ref}`);
	await expect(page.getByText('status approved')).toBeVisible();
	await expect(page.getByRole('columnheader', { name: 'On approval' })).toHaveCount(0);
	await expect(page.getByRole('note').filter({ hasText: 'changed since' })).toHaveCount(0);
	// The message stays with the moderators.
	await practice.goto(`/providers/${provider.slug}`);
	await expect(practice.getByText(message)).toHaveCount(0);
	await practice.context().close();
});

test('where the practice and a moderator both changed a field, the moderator chooses; a page opened before a change cannot approve', async ({
	page,
	api,
	browser,
	baseURL
}) => {
	test.slow();
	const provider = (await api.allProviders({ state: 'MT', kind: 'clinic' })).find(
		(p) => p.state === 'MT'
	)!;
	const feeOf = async () =>
		((await api.provider(provider.slug)) as unknown as { consultFee: number | null }).consultFee;
	const before = await feeOf();
	// Three different fees: as listed, as the practice asks, as the moderator sets.
	const asked = before === 400 ? 410 : 400;
	const set = before === 320 ? 330 : 320;

	// The practice opens its form and types a new fee…
	const practice = await practiceAt(browser, baseURL!, '10.252.1.2');
	await practice.goto(`/providers/${provider.slug}/update`);
	await practice.getByLabel(/^Consultation fee/).fill(String(asked));

	// …while a moderator sets another.
	await page.goto(`/admin/providers?q=${encodeURIComponent(provider.slug)}`);
	await signIn(page);
	await page
		.locator('tr[data-provider]', { hasText: provider.slug })
		.getByRole('link', { name: provider.name, exact: true })
		.click();
	await expect(page).toHaveURL(/\/admin\/providers\/\d+$/);
	const listingPage = page.url();
	await page.getByLabel(/^Consultation fee/).fill(String(set));
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByRole('status')).toHaveText('Your changes are saved.');

	const ref = await sendUpdate(practice);
	await practice.context().close();
	await page.goto(`/admin/requests/${ref}`);
	const fee = page.locator('tr[data-field="consultFee"]');
	await expect(fee.getByRole('cell').nth(0)).toContainText(
		`the practice saw: ${before === null ? '—' : `$${before}`}`
	);
	await expect(fee.getByRole('cell').nth(2)).toHaveText('Your choice, below');
	const choice = page.getByRole('group', {
		name: 'Consultation fee: changed by the practice and on the listing since'
	});
	await expect(choice.getByRole('radio')).toHaveCount(2);
	for (const radio of await choice.getByRole('radio').all()) await expect(radio).not.toBeChecked();
	expect(await violations(page)).toEqual([]);

	// Another moderator marks the listing verified after this page was opened: approving from
	// it is refused, and the page shows the listing as it is now.
	const other = await page.context().newPage();
	await other.goto(listingPage);
	await other.getByRole('button', { name: 'Mark verified today' }).click();
	await expect(other.getByRole('status')).toHaveText('The listing is marked verified today.');
	await other.close();
	await choice.getByLabel(`Use the requested value: $${asked}`).check();
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await expect(page.getByRole('alert').first()).toContainText(
		'after this page was opened. Nothing was saved'
	);
	expect(await feeOf()).toBe(set);

	// No silent default: approving without a choice is refused on the field.
	await page.goto(`/admin/requests/${ref}`);
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await expect(choice.locator('.field-error')).toHaveText('Choose which value the listing keeps.');
	expect(await feeOf()).toBe(set);
	await choice.getByLabel(`Use the requested value: $${asked}`).check();
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await expect(page.getByRole('status')).toContainText('approved');
	expect(await feeOf()).toBe(asked);
});

test('a moderator rejects a request with a reason, which is required', async ({ page }) => {
	const name = `Rejected Place ${Date.now().toString(36)}`;
	await page.goto('/list-your-practice');
	await page.getByLabel(/^Name of the practice/).fill(name);
	await page.getByLabel('Telehealth', { exact: true }).check();
	await page.getByLabel(/^City/).fill('Boise');
	await page.getByLabel(/^State/).selectOption('ID');
	await page.getByLabel(/^ZIP code/).fill('83702');
	await page.getByLabel('Troche / lozenge (sublingual)').check();
	await page.getByLabel('Idaho', { exact: true }).check();
	await page.getByLabel(/^Your name/).fill('Someone');
	await page.getByLabel(/^Your email/).fill('someone@example.org');
	await page.getByLabel(/I am authorised to list this practice/).check();
	await page.getByRole('button', { name: 'Send listing request' }).click();
	await expect(page).toHaveURL(/received/);
	const ref = new URL(page.url()).searchParams.get('ref');

	await page.goto(`/admin/requests/${ref}`);
	await signIn(page);
	await page.getByRole('button', { name: 'Reject' }).click();
	await expect(page.locator('#r-reason-error')).toHaveText(
		'Give the reason, for the record and the provider.'
	);
	await page.getByLabel(/^Reason/).fill('Could not confirm a prescriber licence in Idaho');
	await page.getByRole('button', { name: 'Reject' }).click();
	await expect(page.getByRole('status')).toContainText(`Request #${ref} (${name}) rejected.`);
	await expect(page.locator(`[data-request="${ref}"]`)).toHaveCount(0);
	const search = await page.request.get('/api/providers?state=ID&pageSize=100');
	expect(JSON.stringify(await search.json())).not.toContain(name);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the request form shows every problem, keeps the input, and a resubmission is one request', async ({
		page
	}) => {
		const name = `No Script Clinic ${Date.now().toString(36)}`;
		await page.goto('/list-your-practice');
		await page.getByLabel(/^Name of the practice/).fill(name);
		await page.getByLabel('KAP', { exact: false }).check();
		await page.getByRole('button', { name: 'Send listing request' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'Please check' })).toContainText(
			'Enter the city.'
		);
		await expect(page.locator('#f-routes-error')).toHaveText(
			'Choose at least one treatment you offer.'
		);
		await expect(page.getByLabel(/^Name of the practice/)).toHaveValue(name);
		await expect(page.getByLabel('KAP', { exact: false })).toBeChecked();

		await page.getByLabel(/^City/).fill('Portland');
		await page.getByLabel(/^State/).selectOption('ME');
		await page.getByLabel(/^ZIP code/).fill('04101');
		await page.getByLabel('Intranasal ketamine').check();
		await page.getByLabel(/^Your name/).fill('Sam Doe');
		await page.getByLabel(/^Your email/).fill('sam@example.org');
		await page.getByLabel(/I am authorised to list this practice/).check();
		const token = await page.locator('input[name="idempotencyKey"]').inputValue();
		const sent = new URLSearchParams(
			await page.locator('form.listing-form').evaluate((form: HTMLFormElement) =>
				[...new FormData(form).entries()].map(
					// As String(v) gives it: the text, or "[object File]" for a file.
					([k, v]) =>
						[k, typeof v === 'string' ? v : Object.prototype.toString.call(v)] as [string, string]
				)
			)
		);
		expect(sent.get('idempotencyKey')).toBe(token);
		await page.getByRole('button', { name: 'Send listing request' }).click();
		await expect(page).toHaveURL(/received\?kind=new&ref=\d+$/);
		const ref = new URL(page.url()).searchParams.get('ref');

		// The same submission again (a double click, a resend) answers with the same request.
		const again = await page.request.post('/list-your-practice', {
			headers: {
				origin: new URL(page.url()).origin,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			data: sent.toString(),
			maxRedirects: 0
		});
		expect(again.status()).toBe(303);
		expect(again.headers()['location']).toBe(`/list-your-practice/received?kind=new&ref=${ref}`);

		// A bot that fills the hidden field is thanked, and nothing is stored (no reference).
		sent.set('idempotencyKey', `bot-${Date.now()}`);
		sent.set('fax_number', '555-0100');
		const bot = await page.request.post('/list-your-practice', {
			headers: {
				origin: new URL(page.url()).origin,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			data: sent.toString(),
			maxRedirects: 0
		});
		expect(bot.status()).toBe(303);
		expect(bot.headers()['location']).toBe('/list-your-practice/received?kind=new');
	});
});

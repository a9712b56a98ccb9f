import { violations } from './axe';
import { expect, test } from './fixtures';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };

// Listing requests are limited per address; this file sends its own from its own.
test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.252.7.1' } });

const day = (offsetDays: number) =>
	new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

const shown = (iso: string) =>
	new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-US', {
		timeZone: 'UTC',
		year: 'numeric',
		month: 'short',
		day: 'numeric'
	});

test('a practice says it takes new patients; once approved, the answer and its day show and the filter finds it', async ({
	page
}) => {
	test.slow();
	const name = `Open Door Ketamine ${Date.now().toString(36)}`;
	const confirmed = day(-3);

	await page.goto('/list-your-practice');
	await page.getByLabel(/^Name of the practice/).fill(name);
	await page.getByLabel('Clinic', { exact: true }).check();
	await page.getByLabel(/^City/).fill('Burlington');
	await page.getByLabel(/^State/).selectOption('VT');
	await page.getByLabel(/^ZIP code/).fill('05401');
	await page.getByLabel('IV infusion').check();
	const newPatients = page.getByRole('group', { name: 'New patients' });
	await newPatients.getByLabel('Accepting new patients', { exact: true }).check();
	await page.getByLabel('Last confirmed on').fill(day(30));
	await page.getByLabel(/^Your name/).fill('Dr. Rowan Open');
	await page.getByLabel(/^Your email/).fill('rowan@opendoor.example');
	await page.getByLabel(/I am authorised to list this practice/).check();
	await page.getByRole('button', { name: 'Send listing request' }).click();

	// A day in the future is refused on its own field; the answer and everything else stay.
	await expect(page.locator('#f-acceptingConfirmedOn-error')).toHaveText(
		'The day new patients were last confirmed cannot be in the future.'
	);
	await expect(page.getByLabel('Last confirmed on')).toHaveAttribute('aria-invalid', 'true');
	await expect(newPatients.getByLabel('Accepting new patients', { exact: true })).toBeChecked();
	await expect(page.getByLabel(/^Name of the practice/)).toHaveValue(name);
	expect(await violations(page)).toEqual([]);

	await page.getByLabel('Last confirmed on').fill(confirmed);
	await page.getByRole('button', { name: 'Send listing request' }).click();
	await expect(page).toHaveURL(/\/list-your-practice\/received\?kind=new&ref=\d+$/);

	await page.goto('/admin');
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	// Signed in before going on: a navigation now would cancel the sign-in.
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderation dashboard');
	await page.goto('/admin/requests');
	await page.getByRole('link', { name: `New listing: ${name}` }).click();
	await expect(page.locator('tr[data-field="acceptingNewPatients"]')).toContainText(
		'Accepting new patients'
	);
	await expect(page.locator('tr[data-field="acceptingConfirmedOn"]')).toContainText(
		shown(confirmed)
	);
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await page.getByRole('link', { name: 'See the listing' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	await expect(
		page.getByText(`Accepting new patients (confirmed ${shown(confirmed)})`)
	).toBeVisible();

	// The filter, as a person uses it: Vermont, new patients accepted.
	await page.goto('/');
	await page.getByLabel('State', { exact: true }).selectOption('VT');
	await page.getByLabel('New patients').selectOption('yes');
	await page.getByRole('button', { name: 'Show providers' }).click();
	await expect(page).toHaveURL(/accepting=yes/);
	const card = page.getByRole('article').filter({ hasText: name });
	await expect(card).toContainText(`Accepting new patients (confirmed ${shown(confirmed)})`);
	await expect(page.locator('#results-heading')).toContainText('accepting new patients');
	const api = (await (await page.request.get('/api/providers?state=VT&accepting=yes')).json()) as {
		results: { name: string; acceptingNewPatients: string; acceptingConfirmedOn: string }[];
	};
	expect(api.results.length).toBeGreaterThan(0);
	expect(api.results.every((p) => p.acceptingNewPatients === 'yes')).toBe(true);
	expect(api.results.find((p) => p.name === name)?.acceptingConfirmedOn).toBe(confirmed);
});

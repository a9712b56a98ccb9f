import { violations } from './axe';
import { expect, test } from './fixtures';
import { first } from '../helpers/rows';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };

test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.251.0.1' } });

test('a patient reports a problem, and an admin resolves it and marks the listing verified', async ({
	page,
	api
}) => {
	const { results } = await api.providers({ state: 'WY', pageSize: 1 });
	const provider = first(results, 'a Wyoming provider');
	const note = `E2E report ${Date.now()}: the number rings a bakery.`;

	await page.goto(`/providers/${provider.slug}`);
	await page.getByRole('link', { name: 'Report a problem' }).click();
	expect(await violations(page)).toEqual([]);
	await page.getByRole('button', { name: 'Send report' }).click();
	await expect(page.locator('#reason-error')).toHaveText('Choose what is wrong with this listing.');
	// "Something else" says nothing by itself.
	await page.getByRole('radio', { name: 'Something else' }).check();
	await page.getByRole('button', { name: 'Send report' }).click();
	await expect(page.locator('#note-error')).toHaveText(
		'Say what is wrong: “Something else” needs a few words of detail.'
	);
	await expect(page.getByLabel(/Details/)).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByRole('radio', { name: 'Something else' })).toBeChecked();
	expect(await violations(page)).toEqual([]);
	await page.getByLabel('The phone number is wrong').check();
	await page.getByLabel(/Details/).fill(note);
	await page.getByRole('button', { name: 'Send report' }).click();
	await expect(page).toHaveURL(`/providers/${provider.slug}?reported=1`);
	await expect(page.getByRole('status').first()).toContainText('your report was sent');

	await page.goto('/admin/reports');
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL('/admin/reports');
	const item = page.locator('[data-report]', { hasText: note });
	await expect(item).toContainText(provider.name);
	await expect(item).toContainText('The phone number is wrong');
	await item.getByRole('button', { name: 'Resolve' }).click();
	await expect(item.getByText('Say what you did (or why nothing needs doing).')).toBeVisible();
	await item.getByLabel('What you did').fill('Called the clinic and corrected the number');
	await item.getByLabel('Mark the listing verified today').check();
	// Verified and suspended at once contradict each other: refused, with what was typed kept.
	await item.getByLabel('Suspend the listing').check();
	await item.getByRole('button', { name: 'Resolve' }).click();
	await expect(item.locator('.field-error')).toHaveText(
		'Choose one: “Mark the listing verified” says it is right as it stands, “Suspend the listing” takes it off the site.'
	);
	await expect(item.getByLabel('What you did')).toHaveValue(
		'Called the clinic and corrected the number'
	);
	expect(await violations(page)).toEqual([]);
	expect((await api.provider(provider.slug)).slug).toBe(provider.slug);
	await item.getByLabel('Suspend the listing').uncheck();
	await item.getByRole('button', { name: 'Resolve' }).click();
	await expect(page.getByRole('status')).toHaveText(
		`The report about ${provider.name} is resolved, and the listing is marked verified today.`
	);
	await expect(page.locator('[data-report]', { hasText: note })).toHaveCount(0);

	const profile = (await (await page.request.get(`/api/providers/${provider.slug}`)).json()) as {
		lastVerifiedAt: string;
	};
	expect(profile.lastVerifiedAt.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
});

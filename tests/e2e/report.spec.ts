import { violations } from './axe';
import { expect, test } from './fixtures';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };

test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.251.0.1' } });

test('a patient reports a problem, and an admin resolves it and marks the listing verified', async ({
	page,
	api
}) => {
	const { results } = await api.providers({ state: 'WY', pageSize: 1 });
	const provider = results[0];
	const note = `E2E report ${Date.now()}: the number rings a bakery.`;

	await page.goto(`/providers/${provider.slug}`);
	await page.getByRole('link', { name: 'Report a problem' }).click();
	expect(await violations(page)).toEqual([]);
	await page.getByRole('button', { name: 'Send report' }).click();
	await expect(page.locator('#reason-error')).toHaveText('Choose what is wrong with this listing.');
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
	await item.getByRole('button', { name: 'Resolve' }).click();
	await expect(page.getByRole('status')).toContainText('resolved');
	await expect(page.locator('[data-report]', { hasText: note })).toHaveCount(0);

	const profile = (await (await page.request.get(`/api/providers/${provider.slug}`)).json()) as {
		lastVerifiedAt: string;
	};
	expect(profile.lastVerifiedAt.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
});

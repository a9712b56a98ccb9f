import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { missing } from '../helpers/rows';

const mainPages = [
	'/',
	'/states',
	'/states/tx',
	'/about',
	'/privacy',
	'/methodology',
	'/moderation-policy'
];

test.describe('on every main page', () => {
	const check = async (page: Page, path: string) => {
		await page.goto(path);
		const crisis = page.getByRole('complementary', { name: 'Crisis support' });
		await expect(crisis, `crisis strip on ${path}`).toBeVisible();
		await expect(crisis.locator('a[href="tel:988"]')).toBeVisible();
		await expect(crisis.locator('a[href="sms:988"]')).toBeVisible();
		await expect(crisis).toContainText('988');

		await expect(page.getByRole('note').filter({ hasText: 'Demo data.' })).toBeVisible();

		const footer = page.getByRole('contentinfo');
		await expect(footer).toContainText('Not medical advice');
		await expect(footer.getByRole('link', { name: 'About' })).toHaveAttribute('href', '/about');
		await expect(footer.getByRole('link', { name: 'Privacy' })).toHaveAttribute('href', '/privacy');
		await expect(footer.getByRole('link', { name: 'Moderation policy' })).toHaveAttribute(
			'href',
			'/moderation-policy'
		);
	};

	for (const path of mainPages) {
		test(`${path} shows the crisis line, the demo-data banner and the footer`, async ({ page }) => {
			await check(page, path);
		});
	}

	test('a profile shows the crisis line, the demo-data banner and the footer', async ({
		page,
		api
	}) => {
		const [first = missing()] = (await api.providers({ pageSize: 1 })).results;
		await check(page, `/providers/${first.slug}`);
	});

	test('an error page still shows the crisis line', async ({ page }) => {
		await page.goto('/providers/no-such-provider-e2e');
		await expect(
			page.getByRole('complementary', { name: 'Crisis support' }).locator('a[href="tel:988"]')
		).toBeVisible();
	});
});

import { violations } from './axe';
import { expect, test } from './fixtures';

test.describe('accessibility (axe, WCAG 2.0/2.1/2.2 A and AA)', () => {
	for (const path of [
		'/',
		'/?near=Austin%2C+TX&radius=100',
		'/states',
		'/states/tx',
		'/methodology',
		'/moderation-policy'
	]) {
		test(`${path} has no violations`, async ({ page }) => {
			await page.goto(path);
			expect(await violations(page)).toEqual([]);
		});
	}

	test('a provider profile has no violations', async ({ page, api }) => {
		const [first] = (await api.providers({ pageSize: 1 })).results;
		await page.goto(`/providers/${first.slug}`);
		expect(await violations(page)).toEqual([]);
	});

	test('filtered results and an error page have no violations', async ({ page }) => {
		await page.goto('/?route=iv&telehealth=no&page=2');
		expect(await violations(page)).toEqual([]);
		await page.goto('/?route=xyz');
		expect(await violations(page)).toEqual([]);
	});
});

import { violations } from './axe';
import { expect, test } from './fixtures';
import { first, missing } from '../helpers/rows';

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
		const [first = missing()] = (await api.providers({ pageSize: 1 })).results;
		await page.goto(`/providers/${first.slug}`);
		expect(await violations(page)).toEqual([]);
	});

	test('a clinic profile with contact buttons, on a phone and at 200% zoom, has no violations', async ({
		page,
		api
	}) => {
		const clinics = await api.providers({ kind: 'clinic', pageSize: 1 });
		for (const viewport of [
			{ width: 390, height: 844 },
			{ width: 640, height: 400 }
		]) {
			await page.setViewportSize(viewport);
			await page.goto(`/providers/${first(clinics.results, 'a clinic').slug}`);
			await expect(page.locator('.profile-head .actions')).toBeVisible();
			expect(await violations(page)).toEqual([]);
		}
	});

	test('a profile’s second page of comments has no violations', async ({ page, api }) => {
		const [mostRated = missing()] = (await api.providers({ sort: 'best', pageSize: 1 })).results;
		await page.goto(`/providers/${mostRated.slug}?comments=2#comments`);
		await expect(page.getByRole('navigation', { name: 'Comment pages' })).toContainText(
			'Page 2 of'
		);
		expect(await violations(page)).toEqual([]);
	});

	test('filtered results and an error page have no violations', async ({ page }) => {
		await page.goto('/?route=iv&telehealth=no&page=2');
		expect(await violations(page)).toEqual([]);
		await page.goto('/?route=xyz');
		expect(await violations(page)).toEqual([]);
	});
});

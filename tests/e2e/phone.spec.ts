import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { cards } from './pages';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** How far the page itself scrolls sideways (0 when it fits the screen). */
function sidewaysOverflow(page: Page) {
	return page.evaluate(() => {
		const root = document.documentElement;
		return {
			root: root.scrollWidth - root.clientWidth,
			body: document.body.scrollWidth - root.clientWidth
		};
	});
}

test.describe('on a phone (390×844)', () => {
	test('the provider list fits the screen without sideways scrolling', async ({ page }) => {
		await page.goto('/');
		await expect(cards(page).first()).toBeVisible();
		expect(await sidewaysOverflow(page)).toEqual({ root: 0, body: 0 });
		// Cards sit inside the screen.
		for (const card of await cards(page).all()) {
			const box = await card.boundingBox();
			expect(box, 'card box').not.toBeNull();
			if (box) {
				expect(box.x).toBeGreaterThanOrEqual(0);
				expect(box.x + box.width).toBeLessThanOrEqual(390);
			}
		}
		await expect(page.locator('aside.crisis a[href="tel:988"]')).toBeInViewport();
	});

	for (const path of ['/states', '/states/tx', '/about']) {
		test(`${path} does not scroll sideways`, async ({ page }) => {
			await page.goto(path);
			expect(await sidewaysOverflow(page)).toEqual({ root: 0, body: 0 });
		});
	}

	test('a profile does not scroll sideways', async ({ page, api }) => {
		const [first] = (await api.providers({ pageSize: 1 })).results;
		await page.goto(`/providers/${first.slug}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.name);
		expect(await sidewaysOverflow(page)).toEqual({ root: 0, body: 0 });
	});
});

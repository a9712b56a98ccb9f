import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { first } from '../helpers/rows';

/**
 * The frame around every page: the crisis line, the header and the demo-data notice must leave
 * room for the page on short screens (a laptop at 200% zoom is 640×400 CSS pixels), a jump to an
 * anchor must not end under the sticky crisis line, and paper gets the content, not the controls.
 */

const ZOOMED = { width: 640, height: 400 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function aProfile(page: Page): Promise<string> {
	const response = await page.request.get('/api/providers?pageSize=1');
	const { results } = (await response.json()) as { results: { slug: string }[] };
	return `/providers/${first(results, 'a provider').slug}`;
}

/** Heights of the crisis line, the header and the demo notice, as laid out now. */
function frame(page: Page) {
	return page.evaluate(() => {
		const height = (selector: string) =>
			document.querySelector(selector)?.getBoundingClientRect().height ?? 0;
		return height('aside.crisis') + height('header.site-header') + height('.demo-banner');
	});
}

/** Where the crisis line ends, from the top of the window (0 when it has scrolled away). */
function crisisBottom(page: Page) {
	return page.evaluate(() =>
		Math.max(0, document.querySelector('aside.crisis')!.getBoundingClientRect().bottom)
	);
}

for (const viewport of [ZOOMED, PHONE]) {
	test.describe(`at ${viewport.width}×${viewport.height}`, () => {
		test.use({ viewport });

		for (const path of ['/', '/states', '/methodology', 'a profile']) {
			test(`${path}: the frame takes at most 40% of the first screen, and the page starts in it`, async ({
				page
			}) => {
				await page.goto(path === 'a profile' ? await aProfile(page) : path);
				const crisis = page.getByRole('complementary', { name: 'Crisis support' });
				await expect(crisis.locator('a[href="tel:988"]')).toBeInViewport({ ratio: 1 });
				await expect(page.getByRole('note').filter({ hasText: 'Demo data.' })).toBeInViewport();
				expect(await frame(page)).toBeLessThanOrEqual(viewport.height * 0.4);
				await expect(page.getByRole('heading', { level: 1 })).toBeInViewport({ ratio: 1 });
			});
		}
	});
}

test.describe('where the screen is short (640×400)', () => {
	test.use({ viewport: ZOOMED });

	test('the crisis line scrolls away with the page instead of covering it, and is there at the top', async ({
		page
	}) => {
		await page.goto('/methodology');
		await page.evaluate(() => window.scrollTo(0, 800));
		await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(700);
		expect(await crisisBottom(page)).toBe(0);
		await page.evaluate(() => window.scrollTo(0, 0));
		await expect(page.locator('aside.crisis a[href="tel:988"]')).toBeInViewport({ ratio: 1 });
	});

	test('an anchor lands at its heading, with nothing over it', async ({ page }) => {
		await page.goto('/methodology#cautions');
		const heading = page.locator('#cautions');
		await expect(heading).toBeInViewport({ ratio: 1 });
		const top = (await heading.boundingBox())!.y;
		expect(top).toBeGreaterThanOrEqual(await crisisBottom(page));
		expect(top).toBeLessThan(40);
	});
});

for (const viewport of [DESKTOP, PHONE]) {
	test.describe(`with the sticky crisis line (${viewport.width}×${viewport.height})`, () => {
		test.use({ viewport });

		test('it stays on screen while the page scrolls', async ({ page }) => {
			await page.goto('/methodology');
			await page.evaluate(() => window.scrollTo(0, 1200));
			await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
			await expect(page.locator('aside.crisis a[href="tel:988"]')).toBeInViewport({ ratio: 1 });
		});

		test('jumps to an anchor land with the heading below it', async ({ page }) => {
			for (const [path, id] of [
				['/methodology#cautions', 'cautions'],
				['/methodology#integrity', 'integrity'],
				[`${await aProfile(page)}#feedback`, 'feedback-h']
			] as const) {
				await page.goto(path);
				const heading = page.locator(`#${id}`);
				await expect(heading, path).toBeInViewport({ ratio: 1 });
				const top = (await heading.boundingBox())!.y;
				const covered = await crisisBottom(page);
				expect(covered, path).toBeGreaterThan(0);
				expect(top, `${path}: heading top vs the crisis line's bottom`).toBeGreaterThanOrEqual(
					covered
				);
			}
		});

		test('the skip link lands on the content, not under the crisis line', async ({ page }) => {
			await page.goto('/methodology');
			await page.evaluate(() => window.scrollTo(0, 600));
			await page.keyboard.press('Tab');
			const skip = page.getByRole('link', { name: 'Skip to content' });
			await expect(skip).toBeFocused();
			await page.keyboard.press('Enter');
			await expect(page.locator('main')).toBeFocused();
			const h1 = page.getByRole('heading', { level: 1 });
			await expect(h1).toBeInViewport({ ratio: 1 });
			expect((await h1.boundingBox())!.y).toBeGreaterThanOrEqual(await crisisBottom(page));
		});
	});
}

test.describe('printed', () => {
	test('a profile prints as one page: the provider, its contact and prices, without controls', async ({
		page
	}) => {
		const path = await aProfile(page);
		await page.goto(path);
		await page.emulateMedia({ media: 'print' });

		await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
		await expect(page.getByRole('link', { name: 'Skip to content' })).toBeHidden();
		const crisis = page.locator('aside.crisis');
		await expect(crisis).toBeVisible();
		await expect(crisis).toHaveCSS('position', 'static');
		await expect(crisis).toContainText('988');
		for (const control of await page.locator('button, .button, form, input, select').all()) {
			await expect(control).toBeHidden();
		}
		const rateLinks = page.locator(`a[href="${path}/rate"]`);
		await expect(rateLinks).toHaveCount(2);
		for (const rate of await rateLinks.all()) await expect(rate).toBeHidden();
		await expect(page.locator('ol.comments')).toBeHidden();

		// What one needs on paper: the name, where, how to reach it, and what it costs.
		const profile = (await (await page.request.get(`/api${path}`)).json()) as {
			name: string;
			phone: string | null;
			website: string | null;
		};
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(profile.name);
		const contact = page.getByRole('complementary', { name: 'Contact' });
		if (profile.phone) await expect(contact).toContainText(profile.phone);
		if (profile.website) {
			const link = contact.getByRole('link', { name: 'Website' });
			await expect(link).toBeVisible();
			// Its address is printed after it.
			expect(await link.evaluate((a) => getComputedStyle(a, '::after').content)).toBe(
				`" (${profile.website})"`
			);
		}
		await expect(page.getByRole('region', { name: 'Treatments and prices' })).toBeVisible();
		await expect(page.locator('main .notice-box')).toContainText('Not medical advice.');

		const pdf = await page.pdf({ format: 'Letter' });
		const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
		expect(pages.length, 'printed pages').toBe(1);
	});

	test('the provider list prints without the search form or the map', async ({ page }) => {
		await page.goto('/');
		const controls = page.locator('form, .map-toggle, .map-wrap');
		await expect(controls.first()).toBeVisible();
		// The map's toggle is drawn once the page is interactive; count after it is there.
		await expect(page.locator('.map-toggle, .map-wrap').first()).toBeVisible();
		expect(await controls.count()).toBeGreaterThanOrEqual(2);
		await page.emulateMedia({ media: 'print' });
		for (const control of await controls.all()) await expect(control).toBeHidden();
		await expect(page.locator('article.card').first()).toBeVisible();
	});
});

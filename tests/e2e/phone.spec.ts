import type { Locator, Page } from '@playwright/test';
import { expect, test, type Api } from './fixtures';
import type { ApiProviderProfile } from './domain';
import { cards } from './pages';
import { missing } from '../helpers/rows';

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

/** A target at least 44 CSS pixels each way, wholly in the first screen. */
async function expectFirstScreenTarget(target: Locator, what: string) {
	await expect(target, what).toBeInViewport({ ratio: 1 });
	const box = await target.boundingBox();
	expect(box, what).not.toBeNull();
	expect(box!.height, `${what}: height`).toBeGreaterThanOrEqual(44);
	expect(box!.width, `${what}: width`).toBeGreaterThanOrEqual(44);
}

/** The first published profile the predicate accepts. */
async function profileWhere(api: Api, wanted: (p: ApiProviderProfile) => boolean) {
	for (const summary of await api.allProviders()) {
		const profile = await api.provider(summary.slug);
		if (wanted(profile)) return profile;
	}
	throw new Error('no such provider');
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
		const [first = missing()] = (await api.providers({ pageSize: 1 })).results;
		await page.goto(`/providers/${first.slug}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.name);
		expect(await sidewaysOverflow(page)).toEqual({ root: 0, body: 0 });
	});

	test('a profile offers call, website and directions, with the address, in its first screen', async ({
		page,
		api,
		externalRequests
	}) => {
		const p = await profileWhere(
			api,
			(p) => p.kinds.includes('clinic') && !!p.phone && !!p.website && !!p.street
		);
		await page.goto(`/providers/${p.slug}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.name);

		const address = `${p.street}, ${p.city}, ${p.state} ${p.zip}`;
		await expect(page.locator('.profile-head').getByText(address)).toBeInViewport({ ratio: 1 });
		const actions = page.getByRole('list', { name: `Contact ${p.name}` });
		const call = actions.getByRole('link', { name: `Call ${p.phone}` });
		await expect(call).toHaveAttribute('href', `tel:${p.phone!.replace(/[^\d+]/g, '')}`);
		await expectFirstScreenTarget(call, 'call');
		const website = actions.getByRole('link', { name: `Website of ${p.name}` });
		await expect(website).toHaveAttribute('href', p.website!);
		await expectFirstScreenTarget(website, 'website');
		const directions = actions.getByRole('link', { name: /^Directions/ });
		await expectFirstScreenTarget(directions, 'directions');
		const href = new URL((await directions.getAttribute('href')) ?? '');
		expect(`${href.origin}${href.pathname}`).toBe('https://www.google.com/maps/dir/');
		expect(Object.fromEntries(href.searchParams)).toEqual({ api: '1', destination: address });

		// A plain link: nothing was fetched from a map service to draw the page.
		expect(externalRequests).toEqual([]);
	});

	test('a telehealth-only profile says it treats patients at home, and offers no directions', async ({
		page,
		api
	}) => {
		const p = await profileWhere(
			api,
			(p) => p.kinds.length === 1 && p.kinds[0] === 'telehealth' && p.telehealthStates.length > 1
		);
		await page.goto(`/providers/${p.slug}`);
		const where = page.locator('.profile-head .where');
		await expect(where).toHaveText(
			`Telehealth only — no office to visit. Treats patients at home in the ${p.telehealthStates.length} states where its clinicians are licensed (which states).`
		);
		await expect(where).toBeInViewport({ ratio: 1 });
		await expect(where.getByRole('link', { name: 'which states' })).toHaveAttribute(
			'href',
			'#tele-h'
		);
		await expect(page.getByRole('link', { name: /^Directions/ })).toHaveCount(0);
		const actions = page.getByRole('list', { name: `Contact ${p.name}` });
		if (p.phone)
			await expectFirstScreenTarget(actions.getByRole('link', { name: `Call ${p.phone}` }), 'call');
	});
});

import type { Locator, Page } from '@playwright/test';
import { expect, test, type Api } from './fixtures';
import { violations } from './axe';
import { cardNames, cards, leadingNumber } from './pages';
import { first } from '../helpers/rows';

/** The home page when a search needs help: no result, a place we cannot name, a broken address. */

function results(page: Page): Locator {
	return page.locator('section[aria-labelledby="results-heading"]');
}
const heading = (page: Page) => page.locator('h2#results-heading');

/** Opens a page and waits until it runs (the location button appears once it does). */
async function hydrated(page: Page, path: string) {
	await page.goto(path);
	await expect(page.getByRole('button', { name: 'Use my location' })).toBeVisible();
}

interface NearAnswer {
	total: number;
	totalCapped?: boolean;
	licensedIn?: string | null;
	results: { name: string; distanceMiles?: number }[];
}

async function nearApi(api: Api, params: Record<string, string | number>) {
	return (await api.providers(params)) as unknown as NearAnswer;
}

/** A ZIP with no in-person provider within 10 miles but some within 250 (the demo data is fixed). */
async function lonelyZip(api: Api): Promise<string> {
	for (const zip of ['79830', '59001', '97901', '88001', '69101', '82901']) {
		const close = await nearApi(api, { near: zip, radius: 10, pageSize: 1 });
		const far = await nearApi(api, { near: zip, radius: 250, pageSize: 1 });
		if (close.total === 0 && far.total > 0) return zip;
	}
	throw new Error('no ZIP without a provider within 10 miles');
}

test.describe('a place with “Telehealth only”', () => {
	test('lists the telehealth services licensed in the place’s state, with the form kept', async ({
		page,
		api
	}) => {
		const licensed = await api.providers({ state: 'TX', telehealth: 'yes' });
		expect(licensed.total).toBeGreaterThan(0);
		// The API answers the same query the same way.
		const viaPlace = await nearApi(api, { near: '78701', telehealth: 'yes' });
		expect(viaPlace.licensedIn).toBe('TX');
		expect(viaPlace.total).toBe(licensed.total);
		expect(viaPlace.results.map((p) => p.name)).toEqual(licensed.results.map((p) => p.name));

		await page.goto('/');
		await page.getByLabel('ZIP code or city').fill('78701');
		await page.getByLabel('Telehealth (at-home treatment)').selectOption('yes');
		await page.getByRole('button', { name: 'Show providers' }).click();
		await expect(page).toHaveURL(/[?&]telehealth=yes/);
		await expect(heading(page)).toHaveText(
			`${licensed.total} telehealth ${licensed.total === 1 ? 'service' : 'services'} licensed in Texas`
		);
		await expect(results(page)).toContainText('distance does not apply');
		expect(await cardNames(results(page))).toEqual(licensed.results.map((p) => p.name));
		await expect(cards(results(page)).locator('strong.distance')).toHaveCount(0);
		await expect(page.getByLabel('ZIP code or city')).toHaveValue('78701');
		await expect(page.getByLabel('Telehealth (at-home treatment)')).toHaveValue('yes');
		// One click back to the in-person providers around the place.
		await results(page)
			.getByRole('link', { name: /^In-person providers within 50 miles/ })
			.click();
		await expect(heading(page)).toContainText('in-person providers within 50 miles of 78701');
	});
});

test.describe('no result', () => {
	test('near a place: wider radii with their counts, the nearest providers and telehealth', async ({
		page,
		api
	}) => {
		const zip = await lonelyZip(api);
		await page.goto(`/?near=${zip}&radius=10`);
		await expect(heading(page)).toHaveText(/^0 in-person providers within 10 miles of /);
		const help = page.getByTestId('no-results');

		const wider = help.getByRole('list', { name: 'Search farther:' }).getByRole('link');
		const offered: number[] = [];
		for (const link of await wider.all()) {
			const match = /^Within (\d+) miles: (\d+) providers?$/.exec((await link.innerText()).trim());
			expect(match, await link.innerText()).not.toBeNull();
			if (!match) continue;
			const [radius, count] = [Number(match[1]), Number(match[2])];
			const answer = await nearApi(api, { near: zip, radius, pageSize: 1 });
			expect(count, `${radius} miles`).toBe(answer.total);
			expect(count).toBeGreaterThan(0);
			offered.push(radius);
		}
		expect(offered.length).toBeGreaterThan(0);
		// Every larger choice of the form that has a result is offered.
		for (const radius of [25, 50, 100, 250]) {
			const answer = await nearApi(api, { near: zip, radius, pageSize: 1 });
			expect(offered.includes(radius), `${radius} miles: ${answer.total}`).toBe(answer.total > 0);
		}

		// The nearest in-person providers, farther than the radius, nearest first.
		const nearest = help.locator('article.card');
		await expect(nearest.first()).toBeVisible();
		const distances = (await nearest.locator('strong.distance').allInnerTexts()).map((t) =>
			Number(t.replace(' mi', ''))
		);
		expect(distances.length).toBeGreaterThan(0);
		expect(distances).toEqual([...distances].sort((a, b) => a - b));
		for (const d of distances) expect(d).toBeGreaterThan(10);
		const everyone = await nearApi(api, { near: zip, radius: 500, pageSize: distances.length });
		expect(await cardNames(help)).toEqual(everyone.results.map((p) => p.name));

		expect(await violations(page)).toEqual([]);

		await wider.first().click();
		await expect(page).toHaveURL(new RegExp(`[?&]radius=${offered[0]}(&|$)`));
		const answer = await nearApi(api, { near: zip, radius: first(offered), pageSize: 1 });
		expect(leadingNumber(await heading(page).innerText())).toBe(answer.total);
		await expect(page.locator('#f-radius')).toHaveValue(String(offered[0]));
	});

	test('without a place: a link per filter that removes it, with the count it gives', async ({
		page,
		api
	}) => {
		const params = { state: 'VT', kind: 'spravato', psychotherapy: 'yes', route: 'iv' };
		const none = await api.providers(params);
		expect(none.total, 'no match for all four filters').toBe(0);
		await page.goto(`/?${new URLSearchParams(params)}`);
		await expect(heading(page)).toHaveText(/^0 /);
		const links = page.getByTestId('no-results').getByRole('list').getByRole('link');
		const seen: string[] = [];
		for (const link of await links.all()) {
			const text = (await link.innerText()).trim();
			const href = new URL((await link.getAttribute('href')) ?? '', page.url());
			const removed = Object.keys(params).find((k) => !href.searchParams.has(k));
			expect(removed, text).toBeDefined();
			if (!removed) continue;
			seen.push(removed);
			const rest = Object.fromEntries(Object.entries(params).filter(([k]) => k !== removed));
			const answer = await api.providers(rest);
			expect(text).toMatch(new RegExp(`: ${answer.total} providers?$`));
			expect(answer.total).toBeGreaterThan(0);
		}
		// Every filter whose removal finds someone is offered.
		for (const name of Object.keys(params)) {
			const rest = Object.fromEntries(Object.entries(params).filter(([k]) => k !== name));
			expect(seen.includes(name), name).toBe((await api.providers(rest)).total > 0);
		}
		expect(seen.length).toBeGreaterThan(0);
	});
});

test.describe('what was typed or edited', () => {
	test('a broken address keeps the page, the form and the rest of the search', async ({
		page,
		api
	}) => {
		const expected = await api.providers({ route: 'iv' });
		const response = await page.goto('/?radius=abc&page=0&route=iv&sort=cheapest');
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('form', { name: 'Filter providers' })).toBeVisible();
		const notice = page.getByTestId('ignored-params');
		await expect(notice).toContainText('radius=abc');
		await expect(notice).toContainText('Radius must be a whole number');
		await expect(notice).toContainText('page=0');
		await expect(notice).toContainText('sort=cheapest');
		expect(leadingNumber(await heading(page).innerText())).toBe(expected.total);
		await expect(page.getByLabel('Route of administration')).toHaveValue('iv');
	});

	test('“NYC” is New York, and an ambiguous city offers its largest namesakes first', async ({
		page
	}) => {
		await page.goto('/?near=NYC');
		await expect(heading(page)).toContainText('within 50 miles of New York, NY');

		await page.goto('/?near=Austin&route=iv');
		await expect(page.locator('#f-near-error')).toContainText(
			'“Austin” is the name of a place in 8 states'
		);
		await expect(page.locator('#f-near-error')).not.toContainText('a Austin');
		const choices = page.getByRole('list', { name: 'Places to search instead' }).getByRole('link');
		await expect(choices.first()).toHaveText('Search near Austin, TX');
		await choices.first().click();
		await expect(heading(page)).toContainText(
			'within 50 miles of Austin, TX, offering IV infusion'
		);
	});

	test('a page past the end says so and offers the last page', async ({ page, api }) => {
		const { total } = await api.providers();
		const pages = Math.ceil(total / 20);
		await page.goto('/?page=999');
		const nav = page.getByRole('navigation', { name: 'Pages' });
		await expect(nav).not.toContainText('Page 999');
		await expect(nav).toContainText(`there are ${pages} pages`);
		await results(page)
			.getByRole('link', { name: `go to the last page (page ${pages})` })
			.click();
		await expect(page).toHaveURL(new RegExp(`[?&]page=${pages}$`));
		await expect(nav).toContainText(`Page ${pages} of ${pages}`);
		await expect(cards(page)).toHaveCount(total - (pages - 1) * 20);
	});
});

test.describe('a search in progress and after', () => {
	test('says “Searching…” while it loads, then puts focus on the results', async ({ page }) => {
		await hydrated(page, '/');
		// A slow network: the search's data arrives after a second and a half.
		let release: () => void = () => undefined;
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/__data.json*', async (route) => {
			await held;
			await route.continue();
		});
		await page.getByLabel('ZIP code or city').fill('78701');
		await page.getByRole('button', { name: 'Show providers' }).click();
		await expect(page.getByRole('button', { name: 'Searching…' })).toBeVisible();
		await expect(page.getByRole('status').filter({ hasText: 'Searching…' })).toHaveCount(1);
		await expect(page.locator('.list-col')).toHaveAttribute('aria-busy', 'true');
		release();
		await expect(heading(page)).toContainText('within 50 miles of 78701');
		await expect(page.getByRole('button', { name: 'Show providers' })).toBeVisible();
		await expect(page.locator('.list-col')).not.toHaveAttribute('aria-busy', 'true');
		await expect(heading(page)).toBeFocused();
		// The next Tab reaches the first result.
		await page.keyboard.press('Tab');
		await expect(cards(results(page)).first().getByRole('heading').getByRole('link')).toBeFocused();
	});

	test('after turning a page, focus is on the results', async ({ page }) => {
		await hydrated(page, '/');
		await page.getByRole('navigation', { name: 'Pages' }).locator('a[rel="next"]').click();
		await expect(page).toHaveURL(/[?&]page=2/);
		await expect(heading(page)).toBeFocused();
		await page.keyboard.press('Tab');
		await expect(cards(results(page)).first().getByRole('heading').getByRole('link')).toBeFocused();
	});
});

test.describe('“Use my location” moves focus to the results', () => {
	test.use({ permissions: ['geolocation'], geolocation: { latitude: 30.27, longitude: -97.74 } });

	test('focus follows the search', async ({ page }) => {
		await page.goto('/');
		await page.getByRole('button', { name: 'Use my location' }).click();
		await expect(heading(page)).toContainText('of your location');
		await expect(heading(page)).toBeFocused();
	});
});

test.describe('sorting with a place', () => {
	test('nearest by default, best rated or lowest price on request', async ({ page, api }) => {
		await page.goto('/?near=78701&radius=100');
		const sort = page.getByLabel('Sort by');
		await expect(sort.locator('option')).toHaveText(['Nearest', 'Best rated', 'Lowest price']);
		await expect(sort).toHaveValue('');
		for (const [value, words] of [
			['best', 'best rated first'],
			['price', 'lowest price per session first; providers without a listed price last']
		] as const) {
			const expected = await nearApi(api, { near: '78701', radius: 100, sort: value });
			await page.getByLabel('Sort by').selectOption(value);
			await page.getByRole('button', { name: 'Show providers' }).click();
			await expect(page).toHaveURL(new RegExp(`[?&]sort=${value}(&|$)`));
			await expect(results(page)).toContainText(words);
			expect(await cardNames(results(page))).toEqual(expected.results.map((p) => p.name));
			await expect(page.getByLabel('Sort by')).toHaveValue(value);
		}
	});
});

test.describe('on a phone', () => {
	test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

	test('the help for no result and the telehealth answer pass axe', async ({ page, api }) => {
		const zip = await lonelyZip(api);
		for (const path of [
			`/?near=${zip}&radius=10`,
			'/?near=78701&telehealth=yes',
			'/?near=Austin'
		]) {
			await page.goto(path);
			await expect(heading(page)).toBeVisible();
			expect(await violations(page), path).toEqual([]);
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow, `${path}: no sideways scrolling`).toBeLessThanOrEqual(0);
		}
	});
});

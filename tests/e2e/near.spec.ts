import type { Locator, Page, Request } from '@playwright/test';
import { expect, test, type Api } from './fixtures';
import { ROUTE_CODES, ROUTE_LABELS, type ApiProviderSummary, type RouteCode } from './domain';
import { cardNames, cards, leadingNumber, routeLabelsOf } from './pages';
import { first } from '../helpers/rows';

/** GET /api/providers with a place: the list plus the resolved origin and each distance. */
interface ApiNearList {
	total: number;
	page: number;
	pageSize: number;
	origin: { label: string; state: string | null; radiusMiles: number };
	results: (ApiProviderSummary & { distanceMiles: number })[];
}

async function near(api: Api, params: Record<string, string | number>): Promise<ApiNearList> {
	const list = (await api.providers(params)) as unknown as ApiNearList;
	expect(list.origin, `origin in /api/providers for ${JSON.stringify(params)}`).toBeDefined();
	return list;
}

const PAGE_SIZE = 20;

function results(page: Page): Locator {
	return page.locator('section[aria-labelledby="results-heading"]');
}

function telehealthSection(page: Page): Locator {
	return page.locator('section[aria-labelledby="telehealth-heading"]');
}

/** The distances the result cards print, in order ("12.4 mi"). */
async function distanceTexts(page: Page): Promise<string[]> {
	const texts = await cards(results(page)).locator('strong.distance').allInnerTexts();
	return texts.map((t) => t.trim());
}

const miles = (text: string) =>
	text === 'under 0.1 mi' ? 0 : Number(/^([\d.]+) mi$/.exec(text)?.[1] ?? NaN);

/** How a card prints a distance: one decimal, and never "0.0 mi". */
const distanceText = (d: number) => (d < 0.05 ? 'under 0.1 mi' : `${d.toFixed(1)} mi`);

/** The list the page shows for a place matches the API's answer to the same query. */
async function expectNearResults(page: Page, expected: ApiNearList) {
	const heading = page.locator('h2#results-heading');
	await expect(heading).toContainText(
		`within ${expected.origin.radiusMiles} miles of ${expected.origin.label}`
	);
	expect(leadingNumber(await heading.innerText())).toBe(expected.total);
	const shown = cards(results(page));
	await expect(shown).toHaveCount(Math.min(PAGE_SIZE, expected.total));
	expect(await cardNames(results(page))).toEqual(expected.results.map((p) => p.name));
	const distances = await distanceTexts(page);
	expect(distances).toEqual(expected.results.map((p) => distanceText(p.distanceMiles)));
	const numbers = distances.map(miles);
	expect(numbers, 'nearest first').toEqual([...numbers].sort((a, b) => a - b));
	for (const d of numbers) expect(d).toBeLessThanOrEqual(expected.origin.radiusMiles);
}

async function search(page: Page, place: string, radius?: number) {
	await page.getByLabel('ZIP code or city').fill(place);
	if (radius !== undefined) await page.locator('#f-radius').selectOption(String(radius));
	await page.getByRole('button', { name: 'Show providers' }).click();
}

const ZIP = '78701';

test.describe('near-you search', () => {
	test('a ZIP code lists in-person providers nearest first, and a larger radius finds more', async ({
		page,
		api
	}) => {
		const at50 = await near(api, { near: ZIP, radius: 50 });
		const at250 = await near(api, { near: ZIP, radius: 250 });
		expect(at50.total, 'some provider within 50 miles of the ZIP').toBeGreaterThan(0);
		expect(at250.total).toBeGreaterThanOrEqual(at50.total);

		await page.goto('/');
		await expect(page.locator('#f-radius')).toHaveValue('50');
		await search(page, ZIP);
		await expect(page).toHaveURL(new RegExp(`[?&]near=${ZIP}(&|$)`));
		await expect(page).toHaveURL(/[?&]radius=50(&|$)/);
		await expectNearResults(page, at50);
		await expect(page.getByLabel('ZIP code or city')).toHaveValue(ZIP);
		await expect(page.getByText('nearest first')).toBeVisible();

		await page.locator('#f-radius').selectOption('250');
		await page.getByRole('button', { name: 'Show providers' }).click();
		await expect(page).toHaveURL(/[?&]radius=250(&|$)/);
		await expectNearResults(page, at250);
		await expect(page.locator('#f-radius')).toHaveValue('250');
	});

	test('a route filter with a place keeps only providers offering that route', async ({
		page,
		api
	}) => {
		const everyone = await api.allProviders({ near: ZIP, radius: 250 });
		// The route most of the nearby providers offer, but not all of them: the filter must drop some.
		const offering = (code: RouteCode) =>
			everyone.filter((p) => p.routes.some((r) => r.code === code)).length;
		const route = first(
			ROUTE_CODES.filter((c) => offering(c) > 0 && offering(c) < everyone.length).sort(
				(a, b) => offering(b) - offering(a)
			),
			'a route offered by some nearby providers but not all'
		);
		const expected = await near(api, { near: ZIP, radius: 250, route });
		expect(expected.total).toBe(offering(route));

		await page.goto(`/?near=${ZIP}&radius=250`);
		await page.getByLabel('Route of administration').selectOption(route);
		await page.getByRole('button', { name: 'Show providers' }).click();
		await expect(page).toHaveURL(new RegExp(`[?&]route=${route}(&|$)`));
		await expect(page.locator('h2#results-heading')).toContainText(
			`offering ${ROUTE_LABELS[route]}`
		);
		await expectNearResults(page, expected);
		for (const card of await cards(results(page)).all()) {
			expect(await routeLabelsOf(card)).toContain(ROUTE_LABELS[route]);
		}
	});

	test('the telehealth section lists the services licensed in the searched state', async ({
		page,
		api
	}) => {
		const place = await near(api, { near: ZIP, radius: 50, pageSize: 1 });
		expect(place.origin.state).toBe('TX');
		const telehealth = await api.providers({ state: 'TX', telehealth: 'yes' });
		expect(telehealth.total, 'telehealth services licensed in Texas').toBeGreaterThan(0);

		await page.goto(`/?near=${ZIP}`);
		await expect(page.locator('h2#telehealth-heading')).toHaveText('Telehealth available in Texas');
		const section = telehealthSection(page);
		await expect(section).toContainText(
			`${telehealth.total} ${telehealth.total === 1 ? 'service is' : 'services are'} licensed`
		);
		const names = await cardNames(section);
		expect(names.length).toBeGreaterThan(0);
		expect(names.length).toBeLessThanOrEqual(telehealth.total);
		expect(names).toEqual(telehealth.results.slice(0, names.length).map((p) => p.name));
		// Telehealth cards have no distance: it does not apply.
		await expect(cards(section).locator('strong.distance')).toHaveCount(0);
		const seeAll = section.getByRole('link', {
			name: `See all ${telehealth.total} telehealth services licensed in Texas`
		});
		if (names.length < telehealth.total) {
			// The same search with “Telehealth only”: every service licensed in the place's state.
			await expect(seeAll).toHaveAttribute('href', `/?near=${ZIP}&telehealth=yes`);
			await seeAll.click();
			await expect(page.locator('h2#results-heading')).toHaveText(
				`${telehealth.total} telehealth services licensed in Texas`
			);
			await expect(page.getByLabel('Telehealth (at-home treatment)')).toHaveValue('yes');
			expect(await cardNames(results(page))).toEqual(telehealth.results.map((p) => p.name));
		} else {
			await expect(seeAll).toHaveCount(0);
		}
	});

	test('“City, ST” works like a ZIP code', async ({ page, api }) => {
		const expected = await near(api, { near: 'Austin, TX', radius: 50 });
		expect(expected.origin.label).toBe('Austin, TX');

		await page.goto('/');
		await search(page, 'Austin, TX');
		await expect(page).toHaveURL(/[?&]near=Austin(%2C|,)(\+|%20)TX(&|$)/);
		await expectNearResults(page, expected);
	});

	test('an unknown ZIP code or a misspelt city is explained next to the box', async ({
		page,
		request
	}) => {
		const apiMessage = async (place: string) => {
			const response = await request.get(`/api/providers?near=${encodeURIComponent(place)}`);
			expect(response.status(), `GET /api/providers?near=${place}`).toBe(400);
			const body = (await response.json()) as { error: { fields: { near: string } } };
			return body.error.fields.near;
		};
		const box = page.getByLabel('ZIP code or city');
		const error = page.locator('#f-near-error');

		await page.goto('/');
		await search(page, '00000');
		await expect(page).toHaveURL(/[?&]near=00000(&|$)/);
		await expect(error).toHaveText(await apiMessage('00000'));
		await expect(error).toContainText('00000');
		await expect(box).toHaveValue('00000');
		await expect(box).toHaveAttribute('aria-invalid', 'true');
		await expect(box).toHaveAttribute('aria-describedby', 'f-near-error');
		await expect(page.locator('h2#results-heading')).toHaveText('We could not find that place');
		await expect(cards(page)).toHaveCount(0);

		await search(page, 'Austn, TX');
		await expect(error).toHaveText(await apiMessage('Austn, TX'));
		await expect(error).toContainText('Did you mean Austin, TX?');
		await expect(box).toHaveValue('Austn, TX');
		await expect(cards(page)).toHaveCount(0);

		await search(page, 'Springfield');
		await expect(error).toHaveText(await apiMessage('Springfield'));
		await expect(error).toContainText('Add the state');
		await expect(box).toHaveValue('Springfield');
		await expect(cards(page)).toHaveCount(0);
	});
});

test.describe('“Use my location”', () => {
	// Downtown Austin, with more precision than the app may send.
	const here = { latitude: 30.26715, longitude: -97.74306 };
	test.use({ permissions: ['geolocation'], geolocation: here });

	test('searches around the browser’s position, rounded to two decimals', async ({ page, api }) => {
		const lat = Math.round(here.latitude * 100) / 100;
		const lng = Math.round(here.longitude * 100) / 100;
		const expected = await near(api, { lat, lng, radius: 50 });
		expect(expected.origin.label).toBe('your location');
		expect(expected.total, 'providers near the mocked position').toBeGreaterThan(0);

		await page.goto('/');
		await page.getByRole('button', { name: 'Use my location' }).click();
		await expect(page).toHaveURL(/[?&]lat=/);
		const url = new URL(page.url());
		expect(url.searchParams.get('lat')).toBe(String(lat));
		expect(url.searchParams.get('lng')).toBe(String(lng));
		expect(url.searchParams.get('near') ?? '').toBe('');
		await expectNearResults(page, expected);
		await expect(page.locator('h2#results-heading')).toContainText('of your location');
		await expect(page.getByLabel('ZIP code or city')).toHaveValue('');
	});
});

test.describe('near-you search without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the ZIP code search is a plain form submission', async ({ page, api }) => {
		const expected = await near(api, { near: ZIP, radius: 100 });
		const requests: Request[] = [];
		page.on('request', (r) => requests.push(r));

		await page.goto('/');
		// The location button needs JavaScript, so it is not offered.
		await expect(page.getByRole('button', { name: 'Use my location' })).toHaveCount(0);
		await search(page, ZIP, 100);
		await expect(page).toHaveURL(new RegExp(`[?&]near=${ZIP}(&|$)`));
		expect(
			requests.filter((r) => r.resourceType() === 'document' && r.url().includes(`near=${ZIP}`))
		).toHaveLength(1);
		await expectNearResults(page, expected);
		await expect(page.locator('h2#telehealth-heading')).toHaveText('Telehealth available in Texas');
	});
});

import { expect, test } from './fixtures';
import { ROUTE_CODES, ROUTE_LABELS, type RouteCode } from './domain';
import { cardNames, cards, leadingNumber, routeLabelsOf, stateTotal } from './pages';
import { first } from '../helpers/rows';

test.describe('filter by route of administration', () => {
	test('on the home page, every listed provider offers the chosen route', async ({ page, api }) => {
		const { nation } = await api.states();
		// The most widely offered route that not every provider offers: the filter must drop some.
		const route = first(
			ROUTE_CODES.filter(
				(code) => nation.byRoute[code] > 0 && nation.byRoute[code] < nation.total
			).sort((a, b) => nation.byRoute[b] - nation.byRoute[a]),
			'a route offered by some providers but not all'
		);
		const expected = await api.providers({ route });
		expect(expected.total).toBe(nation.byRoute[route]);

		await page.goto('/');
		await page.getByLabel('Route of administration').selectOption(route);
		await page.getByRole('button', { name: 'Show providers' }).click();
		await expect(page).toHaveURL(new RegExp(`[?&]route=${route}(&|$)`));

		const heading = page.locator('h2#results-heading');
		await expect(heading).toContainText(`offering ${ROUTE_LABELS[route]}`);
		expect(leadingNumber(await heading.innerText())).toBe(expected.total);
		await expect(page.getByLabel('Route of administration')).toHaveValue(route);

		const shown = cards(page);
		await expect(shown).toHaveCount(Math.min(20, expected.total));
		for (const card of await shown.all()) {
			expect(await routeLabelsOf(card)).toContain(ROUTE_LABELS[route]);
		}
		expect(await cardNames(page)).toEqual(expected.results.map((p) => p.name));
	});

	test('on a state page, choosing a route narrows both groups', async ({ page, api }) => {
		const { states } = await api.states();
		const texas = states.find((s) => s.code === 'TX');
		if (!texas) throw new Error('Texas missing from /api/states');
		// The least-offered route available in Texas, so the whole result fits on one page.
		const route = (Object.entries(texas.byRoute) as [RouteCode, number][])
			.filter(([, n]) => n > 0 && n < texas.total)
			.sort((a, b) => a[1] - b[1])[0]?.[0];
		expect(route, 'a route offered by some Texas providers but not all').toBeDefined();
		if (!route) return;
		const label = ROUTE_LABELS[route];
		const inPerson = await api.allProviders({ state: 'TX', telehealth: 'no', route });
		const telehealth = await api.allProviders({ state: 'TX', telehealth: 'yes', route });

		await page.goto('/states/tx');
		await page.getByLabel('Route of administration').selectOption(route);
		await page.getByRole('button', { name: 'Show providers' }).click();
		await expect(page).toHaveURL(new RegExp(`/states/tx\\?(.*&)?route=${route}(&|$)`));

		expect(await stateTotal(page)).toBe(texas.byRoute[route]);
		await expect(page.getByTestId('state-total')).toContainText(`offering ${label}`);
		await expect(page.getByRole('heading', { level: 2, name: /^In person in Texas/ })).toHaveText(
			`In person in Texas (${inPerson.length})`
		);
		await expect(
			page.getByRole('heading', { level: 2, name: /^Telehealth licensed in Texas/ })
		).toHaveText(`Telehealth licensed in Texas (${telehealth.length})`);
		const shown = cards(page);
		await expect(shown).toHaveCount(
			Math.min(20, inPerson.length) + Math.min(20, telehealth.length)
		);
		for (const card of await shown.all()) {
			expect(await routeLabelsOf(card)).toContain(label);
		}
	});
});

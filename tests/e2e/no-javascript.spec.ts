import type { Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { ROUTE_LABELS, ROUTE_CODES } from './domain';
import { cardNames, cards, leadingNumber, routeLabelsOf, stateTotal } from './pages';

test.use({ javaScriptEnabled: false });

test.describe('with JavaScript disabled', () => {
	test('the filter form submits and shows filtered results', async ({ page, api }) => {
		const { nation } = await api.states();
		// The least-offered route that some provider offers in person.
		let route: (typeof ROUTE_CODES)[number] | undefined;
		for (const code of [...ROUTE_CODES].sort((a, b) => nation.byRoute[a] - nation.byRoute[b])) {
			if (nation.byRoute[code] === 0) continue;
			if ((await api.providers({ route: code, telehealth: 'no', pageSize: 1 })).total > 0) {
				route = code;
				break;
			}
		}
		if (!route) throw new Error('no route is offered in person');
		const expected = await api.providers({ route, telehealth: 'no' });

		const requests: Request[] = [];
		page.on('request', (request) => requests.push(request));

		await page.goto('/');
		await page.getByLabel('Route of administration').selectOption(route);
		await page.getByLabel('Telehealth (at-home treatment)').selectOption('no');
		await page.getByRole('button', { name: 'Show providers' }).click();
		await expect(page).toHaveURL(new RegExp(`[?&]route=${route}(&|$)`));
		await expect(page).toHaveURL(/[?&]telehealth=no(&|$)/);

		// A real form submission (a document load), not the client-side router.
		expect(
			requests.filter((r) => r.resourceType() === 'document' && r.url().includes(`route=${route}`))
		).toHaveLength(1);
		expect(requests.filter((r) => r.url().includes('__data.json'))).toEqual([]);

		const heading = page.locator('h2#results-heading');
		expect(leadingNumber(await heading.innerText())).toBe(expected.total);
		await expect(heading).toContainText(`offering ${ROUTE_LABELS[route]}`);
		await expect(heading).toContainText('in-person providers');
		await expect(cards(page)).toHaveCount(Math.min(20, expected.total));
		for (const card of await cards(page).all()) {
			expect(await routeLabelsOf(card)).toContain(ROUTE_LABELS[route]);
		}
		expect(await cardNames(page)).toEqual(expected.results.map((p) => p.name));
		// The form remembers the choices.
		await expect(page.getByLabel('Route of administration')).toHaveValue(route);
		await expect(page.getByLabel('Telehealth (at-home treatment)')).toHaveValue('no');
	});

	test('links to a state, a filtered state and a profile work', async ({ page, api }) => {
		const { states } = await api.states();
		const texas = states.find((s) => s.code === 'TX');
		if (!texas) throw new Error('Texas missing from /api/states');

		await page.goto('/states');
		await page.locator('tr[data-state="TX"] th').getByRole('link').click();
		await expect(page).toHaveURL(/\/states\/tx$/);
		expect(await stateTotal(page)).toBe(texas.total);

		await cards(page).first().getByRole('heading').getByRole('link').click();
		await expect(page).toHaveURL(/\/providers\/[^/]+$/);
		await expect(page.getByRole('heading', { name: 'Treatments and prices' })).toBeVisible();
	});
});

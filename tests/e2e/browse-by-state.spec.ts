import { expect, test } from './fixtures';
import { cardNames, cards, stateTotal } from './pages';

test.describe('browse by state', () => {
	test('Texas shows its in-person and telehealth groups and a distinct total', async ({
		page,
		api
	}) => {
		const { states } = await api.states();
		const texas = states.find((s) => s.code === 'TX');
		expect(texas, 'Texas in /api/states').toBeDefined();
		const inPerson = await api.allProviders({ state: 'TX', telehealth: 'no' });
		const telehealth = await api.allProviders({ state: 'TX', telehealth: 'yes' });
		const distinct = new Set([...inPerson, ...telehealth].map((p) => p.slug)).size;
		// The API agrees with itself before the page is compared with it.
		expect((await api.providers({ state: 'TX' })).total).toBe(distinct);
		expect(texas?.total).toBe(distinct);

		await page.goto('/states');
		await page
			.locator('tr[data-state="TX"]')
			.getByRole('link', { name: 'Texas', exact: true })
			.click();
		await expect(page).toHaveURL(/\/states\/tx$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Ketamine therapy providers in Texas'
		);
		expect(await stateTotal(page)).toBe(distinct);

		const inPersonGroup = page.getByRole('region', { name: /^In person in Texas/ });
		const telehealthGroup = page.getByRole('region', { name: /^Telehealth licensed in Texas/ });
		await expect(inPersonGroup.getByRole('heading', { level: 2 })).toHaveText(
			`In person in Texas (${inPerson.length})`
		);
		await expect(telehealthGroup.getByRole('heading', { level: 2 })).toHaveText(
			`Telehealth licensed in Texas (${telehealth.length})`
		);
		// Each group shows its first page of 20, in the API's order.
		expect(await cardNames(inPersonGroup)).toEqual(inPerson.slice(0, 20).map((p) => p.name));
		expect(await cardNames(telehealthGroup)).toEqual(telehealth.slice(0, 20).map((p) => p.name));
		for (const provider of inPerson) expect(provider.state, provider.slug).toBe('TX');
		for (const provider of telehealth)
			expect(provider.telehealthStates, provider.slug).toContain('TX');
		await expect(cards(inPersonGroup).first()).toContainText(', TX');
	});

	test('an upper-case state code redirects permanently to the lower-case page', async ({
		page,
		request
	}) => {
		const response = await request.get('/states/TX?route=iv', { maxRedirects: 0 });
		expect(response.status()).toBe(308);
		expect(response.headers()['location']).toBe('/states/tx?route=iv');

		await page.goto('/states/TX');
		await expect(page).toHaveURL(/\/states\/tx$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Ketamine therapy providers in Texas'
		);
	});
});

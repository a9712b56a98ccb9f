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
		// The sentence adds up: a provider in both groups is counted once, and said so.
		const both = inPerson.filter((p) => telehealth.some((t) => t.slug === p.slug)).length;
		expect(inPerson.length + telehealth.length - both).toBe(distinct);
		const lede = page.getByTestId('state-total');
		await expect(lede).toContainText(
			`${distinct} providers serve patients in Texas: ${inPerson.length} in person and ${telehealth.length} by telehealth`
		);
		if (both > 0) await expect(lede).toContainText(`; ${both} of them`);
		else await expect(lede).not.toContainText('both lists');

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

	test('IV in a state: clinics only, never a telehealth service', async ({ page, api }) => {
		const telehealthIv = await api.allProviders({ state: 'TX', route: 'iv', telehealth: 'yes' });
		expect(telehealthIv).toEqual([]);
		const iv = await api.allProviders({ state: 'TX', route: 'iv' });
		expect(iv.length).toBeGreaterThan(0);
		await page.goto('/states/tx?route=iv');
		await expect(page.getByTestId('state-total')).toContainText(
			`${iv.length} providers serve patients in Texas offering IV infusion: ${iv.length} in person and 0 by telehealth.`
		);
		const telehealthGroup = page.getByRole('region', { name: /^Telehealth licensed in Texas/ });
		await expect(telehealthGroup.locator('article.card')).toHaveCount(0);
		await expect(telehealthGroup).toContainText(
			'IV infusion is given in an office, so no telehealth service offers it.'
		);

		// The same answer near a place: telehealth only, IV.
		await page.goto('/?near=78701&telehealth=yes&route=iv');
		await expect(page.getByTestId('no-results')).toContainText(
			'IV infusion is given in an office, so no telehealth service offers it.'
		);
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

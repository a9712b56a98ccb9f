import { expect, test } from './fixtures';

test.describe('the choropleth on /states', () => {
	test('one shape per state, each with the same total as the table and the API', async ({
		page,
		api
	}) => {
		const { states } = await api.states();
		expect(states).toHaveLength(51);
		await page.goto('/states');

		const figure = page.locator('figure.choropleth');
		const shapes = figure.locator('path[data-state]');
		await expect(shapes).toHaveCount(51);
		const shown = await shapes.evaluateAll((paths) =>
			paths.map((p) => ({
				code: p.getAttribute('data-state') ?? '',
				total: Number(p.getAttribute('data-total')),
				href: p.closest('a')?.getAttribute('href') ?? '',
				label: p.closest('a')?.getAttribute('aria-label') ?? ''
			}))
		);
		expect(new Set(shown.map((s) => s.code)).size).toBe(51);
		expect(shown.map((s) => s.code).sort()).toEqual(states.map((s) => s.code).sort());

		const matrix = await page
			.locator('tbody tr[data-state]')
			.evaluateAll((rows) =>
				Object.fromEntries(
					rows.map((row) => [
						row.getAttribute('data-state') ?? '',
						Number(row.querySelector('td[data-route="total"]')?.textContent?.trim())
					])
				)
			);
		for (const state of states) {
			const shape = shown.find((s) => s.code === state.code);
			expect(shape, `shape for ${state.code}`).toBeDefined();
			if (!shape) continue;
			expect(shape.total, `${state.code}: shape vs /api/states`).toBe(state.total);
			expect(matrix[state.code], `${state.code}: matrix Total cell`).toBe(state.total);
			expect(shape.href).toBe(`/states/${state.code.toLowerCase()}`);
			expect(shape.label).toBe(`${state.name}: ${state.total} providers`);
		}
	});

	test('clicking Texas opens the Texas page', async ({ page, api }) => {
		const texas = (await api.states()).states.find((s) => s.code === 'TX');
		if (!texas) throw new Error('Texas missing from /api/states');
		await page.goto('/states');
		const link = page
			.locator('figure.choropleth')
			.getByRole('link', { name: `Texas: ${texas.total} providers` });
		await expect(link.locator('path[data-state="TX"]')).toHaveCount(1);
		await link.click();
		await expect(page).toHaveURL(/\/states\/tx$/);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Texas');
	});

	test('the map is one Tab stop: arrow keys move from state to state A–Z, Enter opens one', async ({
		page
	}) => {
		await page.goto('/states');
		const focused = () =>
			page.evaluate(() => {
				const active = document.activeElement;
				return {
					inMap: !!active?.closest('figure.choropleth'),
					inTable: !!active?.closest('table.matrix'),
					href: active?.getAttribute('href') ?? null
				};
			});
		// Wait for hydration: the map then offers a single Tab stop.
		await expect(page.locator('figure.choropleth a[tabindex="0"]')).toHaveCount(1);
		let stops = 0;
		let at = await focused();
		while (!at.inMap && stops < 40) {
			await page.keyboard.press('Tab');
			stops++;
			at = await focused();
		}
		expect(at.href, 'Tab reaches the map at its first state, Alabama').toBe('/states/al');
		await page.keyboard.press('ArrowRight');
		expect((await focused()).href).toBe('/states/ak');
		await page.keyboard.press('ArrowRight');
		expect((await focused()).href).toBe('/states/az');
		await page.keyboard.press('ArrowLeft');
		expect((await focused()).href).toBe('/states/ak');
		await page.keyboard.press('End');
		expect((await focused()).href).toBe('/states/wy');
		await page.keyboard.press('Home');
		expect((await focused()).href).toBe('/states/al');

		// One more Tab leaves the map: its other 50 states are not Tab stops.
		await page.keyboard.press('Tab');
		expect((await focused()).inMap).toBe(false);
		// Shift+Tab comes back to the state last visited.
		await page.keyboard.press('Shift+Tab');
		expect((await focused()).href).toBe('/states/al');
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/\/states\/ak$/);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Alaska');
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });
		test('every state on the map is a link in A–Z order', async ({ page }) => {
			await page.goto('/states');
			const hrefs = await page
				.locator('figure.choropleth a')
				.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
			expect(hrefs).toHaveLength(51);
			expect(hrefs.slice(0, 3)).toEqual(['/states/al', '/states/ak', '/states/az']);
		});
	});
});

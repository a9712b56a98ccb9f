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

	test('the state shapes can be reached and followed with the keyboard', async ({ page }) => {
		await page.goto('/states');
		const inMap = () =>
			page.evaluate(() => {
				const active = document.activeElement;
				return active?.closest('figure.choropleth') ? active.getAttribute('href') : null;
			});
		let href: string | null = null;
		for (let i = 0; i < 40 && href === null; i++) {
			await page.keyboard.press('Tab');
			href = await inMap();
		}
		expect(href, 'Tab reaches a state shape').toMatch(/^\/states\/[a-z]{2}$/);
		await expect(page.locator('figure.choropleth a:focus')).toHaveCount(1);

		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(new RegExp(`${href}$`));
	});
});

import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ROUTE_CODES, ROUTE_LABELS, type ApiStates, type RouteCode } from './domain';
import { leadingNumber, stateTotal } from './pages';
import { at, missing } from '../helpers/rows';

/** The matrix as the page shows it: state code → route (and "total") → number. */
async function readMatrix(page: Page) {
	return page.locator('table.matrix tbody tr[data-state]').evaluateAll((rows) =>
		rows.map((row) => ({
			code: row.getAttribute('data-state') ?? '',
			name: row.querySelector('th')?.textContent?.trim() ?? '',
			cells: Object.fromEntries(
				Array.from(row.querySelectorAll('td[data-route]')).map((td) => [
					td.getAttribute('data-route') ?? '',
					{
						text: td.textContent?.trim() ?? '',
						href: td.querySelector('a')?.getAttribute('href') ?? null
					}
				])
			)
		}))
	);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test.describe('states matrix', () => {
	let data: ApiStates;
	test.beforeEach(async ({ api }) => {
		data = await api.states();
	});

	test('every cell equals /api/states and links only where non-zero', async ({ page }) => {
		expect(data.states).toHaveLength(51);
		await page.goto('/states');
		const rows = await readMatrix(page);
		expect(rows.map((r) => r.code)).toEqual(data.states.map((s) => s.code));
		for (const [i, row] of rows.entries()) {
			const state = at(data.states, i, 'a state in /api/states');
			expect(row.name, row.code).toBe(state.name);
			for (const code of [...ROUTE_CODES, 'total'] as const) {
				const n = code === 'total' ? state.total : state.byRoute[code];
				const cell = row.cells[code] ?? missing(`the ${row.code} ${code} cell`);
				expect(cell.text, `${row.code} ${code}`).toBe(String(n));
				const link =
					code === 'total'
						? `/states/${row.code.toLowerCase()}`
						: `/states/${row.code.toLowerCase()}?route=${code}`;
				expect(cell.href, `${row.code} ${code} link`).toBe(n > 0 ? link : null);
			}
		}
		const nation = page.locator('table.matrix tfoot tr[data-state="nation"]');
		await expect(nation.locator('td[data-route="total"]')).toHaveText(String(data.nation.total));
		for (const code of ROUTE_CODES) {
			await expect(nation.locator(`td[data-route="${code}"]`)).toHaveText(
				String(data.nation.byRoute[code])
			);
		}
	});

	// Three chunks of the 51 rows, so the two workers share the page loads.
	const CHUNKS = 3;
	for (let chunk = 0; chunk < CHUNKS; chunk++) {
		test(`every state's Total equals the total on that state's page (part ${chunk + 1} of ${CHUNKS})`, async ({
			page
		}) => {
			await page.goto('/states');
			const rows = await readMatrix(page);
			expect(rows).toHaveLength(data.states.length);
			const size = Math.ceil(rows.length / CHUNKS);
			for (const row of rows.slice(chunk * size, (chunk + 1) * size)) {
				const total = Number(row.cells.total?.text);
				expect(total, `${row.code} in /api/states`).toBe(
					data.states.find((s) => s.code === row.code)?.total
				);
				await page.goto(`/states/${row.code.toLowerCase()}`);
				expect(await stateTotal(page), `/states/${row.code.toLowerCase()}`).toBe(total);
			}
		});
	}

	test('following a non-zero cell shows that number on the state page', async ({ page }) => {
		// A spread-out sample: for each route, the state with the most providers offering it and
		// the one with the fewest (non-zero).
		const sample = new Map<string, { code: string; route: RouteCode; n: number }>();
		for (const route of ROUTE_CODES) {
			const offered = data.states
				.filter((s) => s.byRoute[route] > 0)
				.sort((a, b) => b.byRoute[route] - a.byRoute[route] || a.code.localeCompare(b.code));
			for (const s of [offered[0], offered.at(-1)]) {
				if (s) sample.set(`${s.code}-${route}`, { code: s.code, route, n: s.byRoute[route] });
			}
		}
		expect(sample.size).toBeGreaterThan(0);

		// Click through the matrix for the first cells; open the others' links directly (the test
		// above checks that every cell links where these go) to keep the run short.
		for (const [i, { code, route, n }] of [...sample.values()].entries()) {
			const href = `/states/${code.toLowerCase()}?route=${route}`;
			if (i < 3) {
				await page.goto('/states');
				const name = data.states.find((s) => s.code === code)?.name;
				const link = page
					.locator(`tr[data-state="${code}"] td[data-route="${route}"]`)
					.getByRole('link');
				await expect(link).toHaveAccessibleName(
					`${n} providers offering ${ROUTE_LABELS[route]} in ${name}`
				);
				await link.click();
				await expect(page).toHaveURL(new RegExp(`${escapeRegExp(href)}$`));
			} else {
				await page.goto(href);
			}
			expect(await stateTotal(page), href).toBe(n);
		}
	});

	test('the national total equals the home page count', async ({ page }) => {
		await page.goto('/states');
		await page.locator('tr[data-state="nation"] td[data-route="total"]').getByRole('link').click();
		await expect(page).toHaveURL(/\/$/);
		expect(leadingNumber(await page.locator('h2#results-heading').innerText())).toBe(
			data.nation.total
		);
	});
});

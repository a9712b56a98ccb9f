import { expect, test } from './fixtures';
import { inNameOrder } from './domain';
import { cardLinks, cardNames, cards } from './pages';

test('the next page continues the alphabetical list with different providers', async ({
	page,
	api
}) => {
	const [first, second] = await Promise.all([api.providers(), api.providers({ page: 2 })]);
	expect(first.total).toBeGreaterThan(20);
	const pages = Math.ceil(first.total / 20);

	await page.goto('/');
	const nav = page.getByRole('navigation', { name: 'Pages' });
	await expect(nav).toContainText(`Page 1 of ${pages}`);
	await expect(page.getByText('Showing 1–20, sorted by name.')).toBeVisible();
	const page1Names = await cardNames(page);
	const page1Links = await cardLinks(page);
	expect(page1Names).toEqual(first.results.map((p) => p.name));
	await expect(nav.locator('a[rel="prev"]')).toHaveCount(0);

	await nav.locator('a[rel="next"]').click();
	await expect(page).toHaveURL(/\/\?page=2$/);
	await expect(nav).toContainText(`Page 2 of ${pages}`);
	await expect(page.getByText('Showing 21–40, sorted by name.')).toBeVisible();
	await expect(cards(page)).toHaveCount(Math.min(20, first.total - 20));
	const page2Names = await cardNames(page);
	const page2Links = await cardLinks(page);
	expect(page2Names).toEqual(second.results.map((p) => p.name));

	// Different providers, and page 2 starts where page 1 stopped.
	expect(page2Links.filter((href) => page1Links.includes(href))).toEqual([]);
	expect(
		inNameOrder(page1Names.at(-1) ?? '', page2Names[0] ?? ''),
		`“${page1Names.at(-1)}” then “${page2Names[0]}”`
	).toBe(true);
	for (const names of [page1Names, page2Names]) {
		for (const [i, name] of names.entries()) {
			const before = names[i - 1];
			if (before === undefined) continue;
			expect(inNameOrder(before, name), `“${before}” then “${name}”`).toBe(true);
		}
	}

	await nav.locator('a[rel="prev"]').click();
	await expect(page).toHaveURL(/\/$/);
	expect(await cardLinks(page)).toEqual(page1Links);
});

test('filters are kept when paging', async ({ page, api }) => {
	const expected = await api.providers({ telehealth: 'no', page: 2 });
	expect(expected.total).toBeGreaterThan(20);
	await page.goto('/?telehealth=no');
	await page.getByRole('navigation', { name: 'Pages' }).locator('a[rel="next"]').click();
	await expect(page).toHaveURL(/[?&]telehealth=no/);
	await expect(page).toHaveURL(/[?&]page=2/);
	await expect(page.getByLabel('Telehealth (at-home treatment)')).toHaveValue('no');
	expect(await cardNames(page)).toEqual(expected.results.map((p) => p.name));
});

import { expect, test } from './fixtures';

const notFound = [
	{ path: '/providers/no-such-provider-e2e', what: 'an unknown provider' },
	{ path: '/states/zz', what: 'an unknown state' },
	{
		path: '/providers/no-such-provider-e2e/update',
		what: 'an update form for an unknown provider'
	},
	{
		path: '/providers/no-such-provider-e2e/ratings/1/report',
		what: 'a report of an unknown rating'
	},
	{
		path: '/providers/no-such-provider-e2e/ratings/99999999999/report',
		what: 'an out-of-range rating id'
	}
];

// The home page keeps its form and names what it left out instead (below, and search-help.spec.ts).
const badQueries = [
	{ path: '/states/tx?route=xyz', message: /Unknown route of administration “xyz”/ },
	{ path: '/states/tx?page=-3', message: /Page must be a whole number/ }
];

test.describe('error pages', () => {
	for (const { path, what } of notFound) {
		test(`${what} (${path}) is a readable 404 page`, async ({ page }) => {
			const response = await page.goto(path);
			expect(response?.status()).toBe(404);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
			await expect(page.getByRole('alert')).not.toBeEmpty();
			await expect(page.getByRole('main')).toContainText('404');
			await expect(page.getByRole('link', { name: 'Start a new search' })).toBeVisible();
			await expect(page.getByRole('main')).not.toContainText(/undefined|\[object|stack/i);
		});
	}

	for (const { path, message } of badQueries) {
		test(`a bad query (${path}) is a readable 400 page`, async ({ page }) => {
			const response = await page.goto(path);
			expect(response?.status()).toBe(400);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(
				'We could not understand that search'
			);
			await expect(page.getByRole('alert')).toHaveText(message);
			await expect(page.getByRole('main')).toContainText('400');
			await expect(page.getByRole('main')).not.toContainText(/undefined|\[object|stack/i);
		});
	}

	test('the home page answers a bad query with the search form and what it left out', async ({
		page
	}) => {
		const response = await page.goto('/?route=xyz&page=-3');
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('form', { name: 'Filter providers' })).toBeVisible();
		await expect(page.getByTestId('ignored-params')).toContainText(
			'Unknown route of administration “xyz”'
		);
		await expect(page.getByTestId('ignored-params')).toContainText('Page must be a whole number');
	});

	test('the JSON API answers the same mistakes with JSON errors', async ({ request }) => {
		for (const [path, status] of [
			['/api/providers/no-such-provider-e2e', 404],
			['/api/providers?route=xyz', 400],
			['/api/providers?page=-3', 400],
			['/api/no-such-endpoint', 404]
		] as const) {
			const response = await request.get(path);
			expect(response.status(), path).toBe(status);
			expect(response.headers()['content-type'], path).toMatch(/^application\/json/);
			const body = (await response.json()) as { error?: { code?: string; message?: string } };
			expect(typeof body.error?.code, path).toBe('string');
			expect(body.error?.message, path).toBeTruthy();
		}
	});
});

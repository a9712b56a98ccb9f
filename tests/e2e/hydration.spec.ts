import { expect, test } from './fixtures';

test('what people type while the page is still loading survives hydration', async ({ page }) => {
	// Hold the app's JavaScript back, as a slow phone on a slow network would.
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await released;
		await route.continue();
	});
	await page.goto('/list-your-practice', { waitUntil: 'domcontentloaded' });
	const name = page.getByLabel(/^Name of the practice/);
	const description = page.getByLabel(/^Description/);
	await name.fill('Typed Before Hydration');
	await description.fill('Eleven char');
	await page.getByLabel('Clinic', { exact: true }).check();
	release();

	// The counter follows the description only once the page is hydrated.
	await expect(page.locator('#f-description-hint')).toContainText('11 / 2,000 characters');
	await expect(name).toHaveValue('Typed Before Hydration');
	await expect(description).toHaveValue('Eleven char');
	await expect(page.getByLabel('Clinic', { exact: true })).toBeChecked();
});

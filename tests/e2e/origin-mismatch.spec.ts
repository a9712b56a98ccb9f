import { expect, test } from './fixtures';
import { first } from '../helpers/rows';

/**
 * The browser server runs with ORIGIN=http://127.0.0.1:<port> (playwright.config.ts). Reached at
 * localhost instead, its forms are refused as cross-site — as they must be — but the person reads
 * why and what to set, and what they typed is kept.
 */
const port = Number(process.env.E2E_PORT ?? 4173);
test.use({ baseURL: `http://localhost:${port}` });

for (const javaScript of [true, false]) {
	test.describe(`JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		test.use({ javaScriptEnabled: javaScript });

		test('a refused form says why and what to set, and keeps what was typed', async ({
			page,
			api
		}) => {
			const { results } = await api.providers({ state: 'MT', pageSize: 1 });
			const slug = first(results, 'a Montana provider').slug;
			const countOf = async () =>
				(
					(await (
						await page.request.get(`http://127.0.0.1:${port}/api/providers/${slug}`)
					).json()) as { feedback: { count: number } }
				).feedback.count;
			const before = await countOf();
			await page.goto(`/providers/${slug}/rate`);
			const comment = page.getByLabel('Your experience in your own words');
			await comment.fill('Kept after the refusal');
			// With JavaScript, wait until the page is hydrated (the counter follows typing).
			if (javaScript) await expect(page.locator('#comment-hint')).toContainText('22 / 2,000');
			await page.getByRole('radio', { name: /^5 stars\b/ }).check();
			await page.getByRole('checkbox', { name: /^This is my own experience as a patient/ }).check();
			await page.getByRole('button', { name: 'Submit rating' }).click();

			const message = `This form was sent from http://localhost:${port}, but this server only accepts forms from http://127.0.0.1:${port}. Nothing was saved.`;
			if (javaScript) {
				const alert = page.getByRole('alert').filter({ hasText: message });
				await expect(alert).toBeVisible();
				await expect(alert).toContainText('set ORIGIN to the address people use to reach it');
				await expect(comment).toHaveValue('Kept after the refusal');
				expect(new URL(page.url()).pathname).toBe(`/providers/${slug}/rate`);
			} else {
				await expect(page.getByRole('heading', { level: 1 })).toHaveText(
					'This form could not be sent'
				);
				await expect(page.getByText(message)).toBeVisible();
				await expect(page.getByText(/set ORIGIN to the address people use/)).toBeVisible();
				await page.goBack();
				await expect(comment).toHaveValue('Kept after the refusal');
			}
			// Nothing was saved.
			expect(await countOf()).toBe(before);
		});
	});
}

import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { cardNames } from '../pages';
import type { FeedbackBrief } from '../domain';
import { README_ADMIN } from './server';

/**
 * What a newcomer gets from the README's `npm start`: every kind of form works, at the address it
 * prints (localhost) and at 127.0.0.1, with JavaScript and without. Each journey uses its own
 * providers; the server keeps the default rating limits, so each rates at most one provider.
 */

test.describe.configure({ mode: 'serial' });

async function signIn(page: Page) {
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderator sign-in');
	await page.getByLabel('Email').fill(README_ADMIN.email);
	await page.getByLabel('Password').fill(README_ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the home page says the listings are demo data', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('note').filter({ hasText: 'Demo data.' })).toBeVisible();
});

test('a patient searches near a city, opens a provider, rates it and reports a problem', async ({
	page
}) => {
	await page.goto('/');
	await page.getByLabel('ZIP code or city').fill('Austin, TX');
	await page.getByRole('button', { name: 'Show providers' }).click();
	await expect(page).toHaveURL(/near=Austin/);
	const results = page.getByRole('heading', { level: 2, name: /within 50 miles of Austin, TX/ });
	await expect(results).toBeVisible();

	const card = page.locator('article.card').first();
	const name = (await card.getByRole('heading').innerText()).trim();
	await card.getByRole('heading').getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
	const slug = new URL(page.url()).pathname.split('/').pop()!;
	const before = (await (await page.request.get(`/api/providers/${slug}`)).json()) as {
		feedback: { count: number };
	};

	await page.getByRole('link', { name: 'Rate this provider' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Rate ${name}`);
	// Wait for hydration: the character counter follows typing.
	const comment = page.getByLabel('Your experience in your own words');
	await comment.fill('Kind nurses, clear plan; the README server took my rating.');
	await expect(page.locator('#comment-hint')).toContainText('/ 2,000 characters');
	await page.getByRole('radio', { name: /^4 stars\b/ }).check();
	await page.getByRole('checkbox', { name: /^This is my own experience as a patient/ }).check();
	await page.getByRole('button', { name: 'Submit rating' }).click();
	await expect(page).toHaveURL(new RegExp(`/providers/${slug}\\?rated=published#feedback$`));
	await expect(page.getByText('Thank you — your rating is published below.')).toBeVisible();
	const after = (await (await page.request.get(`/api/providers/${slug}`)).json()) as {
		feedback: { count: number };
	};
	expect(after.feedback.count).toBe(before.feedback.count + 1);

	await page.getByRole('link', { name: 'Report a problem' }).click();
	await page.getByLabel('The phone number is wrong').check();
	await page.getByRole('button', { name: 'Send report' }).click();
	await expect(page).toHaveURL(`/providers/${slug}?reported=1`);
	await expect(page.getByRole('status').first()).toContainText('your report was sent');
});

test('a patient compares the IV clinics of a state by price and by rating', async ({
	page,
	api
}) => {
	await page.goto('/');
	await page.getByLabel('State').selectOption('TX');
	await page.getByLabel('Route of administration').selectOption('iv');
	await page.getByLabel('Sort by').selectOption({ label: 'Lowest price' });
	await page.getByRole('button', { name: 'Show providers' }).click();
	await expect(page).toHaveURL(/state=TX/);
	await expect(page).toHaveURL(/sort=price/);

	// Each card shows its IV price; cheapest first, unpriced last.
	const ivPrices = await page.locator('article.card').evaluateAll((cards) =>
		cards.map((card) => {
			const row = [...card.querySelectorAll('li, tr, div')].find((el) =>
				/^IV infusion/.test((el.textContent ?? '').trim())
			);
			const match = /\$([\d,]+)/.exec(row?.textContent ?? '');
			return match ? Number(match[1]!.replace(/,/g, '')) : Infinity;
		})
	);
	expect(ivPrices.length).toBeGreaterThan(1);
	expect(ivPrices).toEqual([...ivPrices].sort((a, b) => a - b));
	const listed = await api.allProviders({ state: 'TX', route: 'iv' });
	await expect(
		page.getByRole('heading', { level: 2, name: new RegExp(`^${listed.length} `) })
	).toBeVisible();

	// Best rated: the order of the published ranking (the API's), whose first has ratings.
	await page.getByLabel('Sort by').selectOption({ label: 'Best rated' });
	await page.getByRole('button', { name: 'Show providers' }).click();
	await expect(page).toHaveURL(/sort=best/);
	const ranked = (await api.providers({ state: 'TX', route: 'iv', sort: 'best' })) as unknown as {
		results: { name: string; feedback: FeedbackBrief }[];
	};
	expect(ranked.results[0]?.feedback.count).toBeGreaterThan(0);
	expect(await cardNames(page)).toEqual(ranked.results.map((p) => p.name));
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a problem report is accepted', async ({ page }) => {
		await page.goto('/states/wy');
		await page.locator('article.card').first().getByRole('heading').getByRole('link').click();
		const slug = new URL(page.url()).pathname.split('/').pop()!;
		await page.getByRole('link', { name: 'Report a problem' }).click();
		await page.getByLabel('The address is wrong').check();
		await page.getByRole('button', { name: 'Send report' }).click();
		await expect(page).toHaveURL(`/providers/${slug}?reported=1`);
	});
});

test('a provider requests a listing and a moderator signs in and approves it', async ({ page }) => {
	const name = `Juniper Hollow Ketamine ${Date.now().toString(36)}`;
	await page.goto('/list-your-practice');
	await page.getByLabel(/^Name of the practice/).fill(name);
	await page.getByLabel('Clinic', { exact: true }).check();
	await page.getByLabel(/^City/).fill('Brandon');
	await page.getByLabel(/^State/).selectOption('VT');
	await page.getByLabel(/^ZIP code/).fill('05733');
	await page.getByLabel('Phone').fill('(802) 555-0199');
	await page.getByLabel('IV infusion').check();
	await page.getByLabel(/^Your name/).fill('Dr. June Hollow');
	await page.getByLabel(/^Your email/).fill('june@hollow.example');
	await page.getByLabel(/I am authorised to list this practice/).check();
	await page.getByRole('button', { name: 'Send listing request' }).click();
	await expect(page).toHaveURL(/\/list-your-practice\/received\?kind=new&ref=\d+$/);

	await page.goto('/admin/requests');
	await signIn(page);
	await expect(page).toHaveURL('/admin/requests');
	await page.getByRole('link', { name: `New listing: ${name}` }).click();
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await expect(page.getByRole('status')).toContainText('approved');

	await page.goto('/?state=VT&route=iv&pageSize=100');
	await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
});

test.describe('at http://127.0.0.1:3000', () => {
	test.use({ baseURL: 'http://127.0.0.1:3000' });

	test('a moderator signs in and out', async ({ page }) => {
		await page.goto('/admin');
		await signIn(page);
		await expect(page).toHaveURL('/admin');
		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderator sign-in');
	});
});

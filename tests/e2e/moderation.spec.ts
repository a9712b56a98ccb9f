import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { violations } from './axe';
import type { Feedback } from './domain';
import { expect, keepOffline, test } from './fixtures';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };

test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.254.0.1' } });

async function signIn(page: Page, account: { email: string; password: string }) {
	await page.goto('/admin/sign-in');
	await page.getByLabel('Email').fill(account.email);
	await page.getByLabel('Password').fill(account.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL('/admin');
}

/** A browser of its own (cookies, client address), kept off the network like the default one. */
async function personAt(browser: Browser, baseURL: string, address: string): Promise<Page> {
	const context = await browser.newContext({
		baseURL,
		extraHTTPHeaders: { 'x-forwarded-for': address }
	});
	await keepOffline(context, new URL(baseURL).origin);
	return context.newPage();
}

async function feedbackOf(request: APIRequestContext, slug: string): Promise<Feedback> {
	const response = await request.get(`/api/providers/${slug}`);
	expect(response.status()).toBe(200);
	return ((await response.json()) as { feedback: Feedback }).feedback;
}

async function rate(page: Page, slug: string, stars: number, comment: string) {
	await page.goto(`/providers/${slug}/rate`);
	await page.getByRole('radio', { name: new RegExp(`^${stars} stars?\\b`) }).check();
	await page.getByLabel('Your experience in your own words').fill(comment);
	await page.getByRole('checkbox', { name: /^This is my own experience as a patient/ }).check();
	await page.getByRole('button', { name: 'Submit rating' }).click();
}

test('moderators publish a held rating and hide a reported one; the aggregate follows each decision', async ({
	page,
	browser,
	baseURL
}) => {
	test.slow();
	const stamp = Date.now().toString(36);
	const name = `Moderation Test Clinic ${stamp}`;
	const moderator = { email: `moderator-${stamp}@example.org`, password: 'moderator password 1' };

	// An admin creates a moderator account.
	await signIn(page, ADMIN);
	await page.goto('/admin/users');
	await page.getByLabel('Email', { exact: true }).fill(moderator.email);
	await page.getByLabel('Role', { exact: true }).selectOption('moderator');
	await page.getByLabel('Initial password').fill(moderator.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('cell', { name: moderator.email })).toBeVisible();

	// A listing of its own, so no other test's ratings mix with these.
	await page.goto('/list-your-practice');
	await page.getByLabel(/^Name of the practice/).fill(name);
	await page.getByLabel('Clinic', { exact: true }).check();
	await page.getByLabel(/^City/).fill('Newport');
	await page.getByLabel(/^State/).selectOption('RI');
	await page.getByLabel(/^ZIP code/).fill('02840');
	await page.getByLabel('IV infusion').check();
	await page.getByLabel(/^Your name/).fill('Clinic Owner');
	await page.getByLabel(/^Your email/).fill('owner@clinic.example');
	await page.getByLabel(/I am authorised to list this practice/).check();
	await page.getByRole('button', { name: 'Send listing request' }).click();
	await expect(page).toHaveURL(/received/);
	const ref = new URL(page.url()).searchParams.get('ref');
	await page.goto(`/admin/requests/${ref}`);
	const slug = await page.getByLabel(/^Address on the site/).inputValue();
	await page.getByRole('button', { name: 'Approve and publish' }).click();
	await expect(page.getByRole('status')).toContainText('approved');

	// Two patients: one plain rating is published at once; one with a link waits.
	const first = await personAt(browser, baseURL!, '10.254.1.1');
	await rate(first, slug, 5, `Gentle staff, clear plan (${stamp}).`);
	await expect(first).toHaveURL(new RegExp(`/providers/${slug}\\?rated=published#feedback$`));
	const second = await personAt(browser, baseURL!, '10.254.1.2');
	await rate(second, slug, 1, `Go to www.cheaper-ketamine.example instead (${stamp}).`);
	await expect(second).toHaveURL(new RegExp(`/providers/${slug}\\?rated=held#feedback$`));
	await expect(second.getByText(/A recent rating is under review/)).toBeVisible();
	expect(await feedbackOf(page.request, slug)).toMatchObject({
		count: 1,
		averageRating: 5,
		ratingsUnderReview: 1
	});

	// The moderator publishes the held rating.
	const mod = await personAt(browser, baseURL!, '10.254.2.1');
	await signIn(mod, moderator);
	await expect(mod.locator('[data-queue="held-ratings"]')).not.toHaveText('0');
	await mod.getByRole('link', { name: /held ratings/ }).click();
	const held = mod.locator('[data-rating]', { hasText: stamp });
	await expect(held).toContainText(name);
	await expect(held).toContainText('the comment contains a link');
	expect(await violations(mod)).toEqual([]);
	await held.getByRole('button', { name: 'Publish' }).click();
	await expect(mod.getByRole('status')).toContainText('published');
	expect(await feedbackOf(page.request, slug)).toMatchObject({
		count: 2,
		averageRating: 3,
		ratingsUnderReview: 0
	});

	// A visitor reports the five-star rating as not a patient's own.
	const visitor = await personAt(browser, baseURL!, '10.254.3.1');
	await visitor.goto(`/providers/${slug}#comments`);
	const comment = visitor.locator('ol.comments > li', {
		hasText: `Gentle staff, clear plan (${stamp})`
	});
	await comment.getByRole('link', { name: /Report this rating/ }).click();
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Report a rating');
	expect(await violations(visitor)).toEqual([]);
	await visitor.getByRole('button', { name: 'Send report' }).click();
	await expect(visitor.locator('#reason-error')).toHaveText(
		'Choose what is wrong with this rating.'
	);
	await visitor.getByLabel(/Not a patient’s own experience/).check();
	await visitor.getByLabel(/Details/).fill('The clinic’s own staff posted this.');
	await visitor.getByRole('button', { name: 'Send report' }).click();
	await expect(visitor).toHaveURL(new RegExp(`/providers/${slug}\\?reported=rating#comments$`));
	await expect(visitor.getByRole('status').first()).toContainText('check this rating');
	// Reported, not removed: it counts until a moderator decides.
	expect((await feedbackOf(page.request, slug)).count).toBe(2);

	await mod.goto('/admin/ratings');
	const reported = mod.locator('[data-reported-rating]', { hasText: stamp });
	await expect(reported).toContainText('Not a patient’s own experience');
	await expect(reported).toContainText('The clinic’s own staff posted this.');
	await reported.getByRole('button', { name: 'Hide' }).click();
	await expect(reported.getByText('Give a reason for hiding a rating.')).toBeVisible();
	await reported
		.getByLabel(/^Reason/)
		.fill('Written by the clinic (moderation policy: own experience)');
	await reported.getByRole('button', { name: 'Hide' }).click();
	await expect(mod.getByRole('status')).toContainText('hidden');
	await expect(mod.locator('[data-reported-rating]', { hasText: stamp })).toHaveCount(0);
	expect(await feedbackOf(page.request, slug)).toMatchObject({ count: 1, averageRating: 1 });
	await visitor.goto(`/providers/${slug}`);
	await expect(visitor.getByText(`Gentle staff, clear plan (${stamp})`)).toHaveCount(0);

	// Both decisions are on the record with the moderator's name.
	await page.goto(`/admin/audit?entityType=rating`);
	await expect(page.getByRole('table')).toContainText(moderator.email);
});

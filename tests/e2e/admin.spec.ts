import { violations } from './axe';
import { expect, test } from './fixtures';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };

test.describe('the moderators’ area', () => {
	// The test server reads the client address from X-Forwarded-For (playwright.config.ts).
	test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.250.0.1' } });

	test('is closed to anonymous visitors, pages and actions alike', async ({ page, request }) => {
		for (const path of ['/admin', '/admin/ratings', '/admin/reports']) {
			await page.goto(path);
			await expect(page).toHaveURL(`/admin/sign-in?next=${encodeURIComponent(path)}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderator sign-in');
		}
		// A moderation action posted without a session is never run.
		for (const action of [
			'/admin/ratings?/publish',
			'/admin/ratings?/hide',
			'/admin/reports?/resolve'
		]) {
			const response = await request.post(action, {
				form: { ratingId: '1', reportId: '1', resolution: 'x' },
				headers: { origin: new URL(page.url()).origin },
				maxRedirects: 0
			});
			expect(response.status(), action).toBe(303);
			expect(response.headers()['location']).toMatch(/^\/admin\/sign-in\?next=/);
		}
	});

	test('signs in with the right password only, then signs out for good', async ({
		page,
		context
	}) => {
		await page.goto('/admin');
		await page.getByLabel('Email').fill(ADMIN.email);
		await page.getByLabel('Password').fill('not the password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			'That email and password do not match an account.'
		);
		await expect(page.getByLabel('Email')).toHaveValue(ADMIN.email);

		await page.getByLabel('Password').fill(ADMIN.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL('/admin');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderation dashboard');
		const cookie = (await context.cookies()).find((c) => c.name === 'kd_session');
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

		const held = Number(await page.locator('[data-queue="held-ratings"]').textContent());
		await page
			.getByRole('link', { name: /held ratings/ })
			.first()
			.click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ratings to review');
		await expect(page.getByRole('heading', { level: 2, name: /^Held ratings/ })).toHaveText(
			`Held ratings (${held})`
		);
		if (held === 0) await expect(page.getByText('Nothing is waiting.')).toBeVisible();
		else await expect(page.locator('[data-rating]')).toHaveCount(Math.min(held, 50));

		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect(page).toHaveURL('/admin/sign-in');
		// The old session token is gone on the server too.
		await context.addCookies([{ ...cookie!, expires: -1 }]);
		await page.goto('/admin');
		await expect(page).toHaveURL(/\/admin\/sign-in/);
	});

	test('the sign-in page passes the accessibility check', async ({ page }) => {
		await page.goto('/admin/sign-in');
		expect(await violations(page)).toEqual([]);
	});
});

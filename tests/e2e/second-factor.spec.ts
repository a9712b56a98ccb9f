import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { Page } from '@playwright/test';
import { violations } from './axe';
import { expect, test } from './fixtures';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };
const PASSWORD = 'two-step password long enough';

// Sign-in failures are counted per address (X-Forwarded-For on the test server): an address of
// this file's own. The shared admin account only creates a staff account of this test's own, so
// other specs that sign in as that admin never meet a second step.
test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.248.0.1' } });

/** How wide the page is beyond the window (0 when nothing makes it scroll sideways). */
const sidewaysOverflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** What an authenticator app shows, `offset` 30-second steps from now. */
const codeAt = (key: Uint8Array, offset = 0) =>
	generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + offset), 6);

async function passwordStep(page: Page, who: { email: string; password: string }) {
	await page.goto('/admin/sign-in');
	await page.getByLabel('Email').fill(who.email);
	await page.getByLabel('Password').fill(who.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page) {
	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(page).toHaveURL('/admin/sign-in');
}

for (const javaScript of [true, false]) {
	test.describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
		// With JavaScript on a phone's screen, without it on a desktop's.
		test.use({
			javaScriptEnabled: javaScript,
			viewport: javaScript ? { width: 390, height: 844 } : { width: 1280, height: 800 }
		});

		test('a moderator turns on two-step sign-in, then signs in with an app code and with a recovery code', async ({
			page
		}) => {
			test.slow();
			const email = `two-step-${javaScript ? 'js' : 'nojs'}-${Date.now()}@example.org`;

			// The admin creates a staff account of this test's own.
			await passwordStep(page, ADMIN);
			await expect(page).toHaveURL('/admin');
			await page.goto('/admin/users');
			await page.getByLabel('Email', { exact: true }).fill(email);
			await page.getByLabel('Role', { exact: true }).selectOption('moderator');
			await page.getByLabel('Initial password').fill(PASSWORD);
			await page.getByRole('button', { name: 'Create account' }).click();
			await expect(page.getByRole('status')).toHaveText(`Account ${email} created (moderator).`);
			await signOut(page);

			// Enrol: the key to type and the otpauth:// link, confirmed with a code from the key.
			await passwordStep(page, { email, password: PASSWORD });
			await expect(page).toHaveURL('/admin');
			await page.getByRole('link', { name: 'Account security' }).click();
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account security');
			await expect(page.getByText('Off.')).toBeVisible();
			await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
			const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
			expect(secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
			const uri = (await page.getByTestId('totp-uri').textContent()) ?? '';
			expect(uri).toContain(`secret=${secret.replace(/ /g, '')}`);
			expect(uri).toMatch(/^otpauth:\/\/totp\//);
			// axe needs JavaScript in the page.
			if (javaScript) expect(await violations(page), 'enrolment page').toEqual([]);
			if (javaScript) expect(await sidewaysOverflow(page), 'enrolment page').toBe(0);
			const key = decodeBase32IgnorePadding(secret.replace(/ /g, ''));

			const code = page.getByLabel('Code from your authenticator app');
			await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
			await expect(code).toHaveAttribute('inputmode', 'numeric');
			// A wrong code is refused next to the field, and nothing is switched on.
			const wrong = String((Number(codeAt(key)) + 500_000) % 1_000_000).padStart(6, '0');
			await code.fill(wrong);
			await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
			await expect(code).toHaveAttribute('aria-invalid', 'true');
			await expect(page.locator('#code-error')).toContainText('That code does not match');
			await code.fill(codeAt(key));
			await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
			await expect(page.getByRole('heading', { name: /save your recovery codes/ })).toBeVisible();
			const recoveryCodes = await page
				.getByRole('list', { name: 'Recovery codes' })
				.getByRole('listitem')
				.allTextContents();
			expect(recoveryCodes).toHaveLength(10);
			for (const c of recoveryCodes) expect(c.trim()).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
			// axe needs JavaScript in the page.
			if (javaScript) expect(await violations(page), 'recovery codes').toEqual([]);
			if (javaScript) expect(await sidewaysOverflow(page), 'recovery codes').toBe(0);
			// Shown once: a reload no longer lists them.
			await page.reload();
			await expect(page.getByText('Recovery codes left: 10 of 10.')).toBeVisible();
			await expect(page.getByRole('list', { name: 'Recovery codes' })).toHaveCount(0);
			await signOut(page);

			// The password alone no longer signs in: a second step asks for the app's code.
			await passwordStep(page, { email, password: PASSWORD });
			await expect(page).toHaveURL('/admin/sign-in');
			const appCode = page.getByLabel('Authentication code');
			await expect(appCode).toBeVisible();
			await expect(appCode).toHaveAttribute('autocomplete', 'one-time-code');
			await expect(appCode).toHaveAttribute('inputmode', 'numeric');
			// axe needs JavaScript in the page.
			if (javaScript) expect(await violations(page), 'code step').toEqual([]);
			if (javaScript) expect(await sidewaysOverflow(page), 'code step').toBe(0);
			// Nothing under /admin opens yet.
			const early = await page.request.get('/admin', { maxRedirects: 0 });
			expect(early.status()).toBe(303);
			// The code used to switch it on cannot be replayed; the app's next code works.
			await appCode.fill(codeAt(key, 1));
			await page.getByRole('button', { name: 'Continue' }).click();
			await expect(page).toHaveURL('/admin');
			await expect(page.getByText(`${email} (moderator)`)).toBeVisible();
			await signOut(page);

			// A recovery code instead of the app, once.
			const [recovery = ''] = recoveryCodes;
			for (const attempt of ['first', 'again'] as const) {
				await passwordStep(page, { email, password: PASSWORD });
				const field = page.getByLabel('Recovery code');
				await field.fill(recovery.trim());
				await page.getByRole('button', { name: 'Sign in with a recovery code' }).click();
				if (attempt === 'first') {
					await expect(page).toHaveURL('/admin');
					await page.getByRole('link', { name: 'Account security' }).click();
					await expect(page.getByText('Recovery codes left: 9 of 10.')).toBeVisible();
					await signOut(page);
				} else {
					await expect(page).toHaveURL('/admin/sign-in');
					await expect(field).toHaveAttribute('aria-invalid', 'true');
					await expect(page.locator('#recovery-code-error')).toHaveText(
						'That code does not match. Try the newest code, or a recovery code.'
					);
				}
			}

			// Phone and recovery codes lost: an admin resets it, and the password alone works again.
			await passwordStep(page, ADMIN);
			await expect(page).toHaveURL('/admin');
			await page.goto('/admin/users');
			const row = page.locator(`tr[data-user="${email}"]`);
			await expect(row.getByText('two-step sign-in', { exact: true })).toBeVisible();
			await row.getByRole('button', { name: `Reset two-step sign-in of ${email}` }).click();
			await expect(page.getByRole('status')).toHaveText(
				`Two-step sign-in is off for ${email} and their sessions were ended: they sign in with their password and can set it up again.`
			);
			await expect(row.getByRole('button', { name: /Reset two-step sign-in/ })).toHaveCount(0);
			await signOut(page);
			await passwordStep(page, { email, password: PASSWORD });
			await expect(page).toHaveURL('/admin');
			await signOut(page);
		});
	});
}

test('rotating addresses does not get past the per-account limit: 429 with the wait, the email kept', async ({
	request,
	baseURL
}) => {
	const origin = new URL(baseURL!).origin;
	const email = `rotating-${Date.now()}@example.org`;
	const attempt = (i: number) =>
		request.post('/admin/sign-in', {
			form: { email, password: `guess number ${i}` },
			headers: { origin, accept: 'text/html', 'x-forwarded-for': `10.248.${1 + i}.1` },
			maxRedirects: 0
		});
	for (let i = 0; i < 10; i++) {
		const response = await attempt(i);
		expect(response.status(), `attempt ${i + 1}`).toBe(400);
		expect(await response.text()).toContain('That email and password do not match an account.');
	}
	const refused = await attempt(10);
	expect(refused.status()).toBe(429);
	const page = await refused.text();
	expect(page).toMatch(/Too many sign-in attempts\. Please try again in 1[45] minutes\./);
	expect(page).toContain(`value="${email}"`);
});

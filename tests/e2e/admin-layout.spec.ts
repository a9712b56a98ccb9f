import type { Page } from '@playwright/test';
import { violations } from './axe';
import { expect, test } from './fixtures';

const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e admin password long enough' };

// The test server reads the client address from X-Forwarded-For; sign-in is rate-limited per
// address, so this file keeps one of its own.
test.use({ extraHTTPHeaders: { 'x-forwarded-for': '10.249.0.1' } });

const PAGES = [
	'/admin',
	'/admin/requests',
	'/admin/ratings',
	'/admin/reports',
	'/admin/providers',
	'/admin/import',
	'/admin/audit',
	'/admin/users',
	'/admin/account/security'
];

const VIEWPORTS = [
	{ name: 'phone', width: 390, height: 844 },
	{ name: 'desktop', width: 1280, height: 800 }
];

/** How wide the page is beyond the window (0 when nothing makes it scroll sideways). */
const sidewaysOverflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * Words split across two lines in the admin area's tables, labels, buttons and lists: each word of
 * letters whose characters do not all sit on one line.
 */
const brokenWords = (page: Page) =>
	page.evaluate(() => {
		const broken: string[] = [];
		const scope = document.querySelector('.admin') ?? document.body;
		const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const host = node.parentElement;
			if (!host?.closest('th, td, label, button, legend, summary, dt, dd, .tag')) continue;
			if (host.closest('.visually-hidden')) continue;
			for (const match of (node.textContent ?? '').matchAll(/[A-Za-z]{2,}/g)) {
				const range = document.createRange();
				range.setStart(node, match.index);
				range.setEnd(node, match.index + match[0].length);
				const lines = new Set(
					[...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
				);
				if (lines.size > 1) broken.push(`${match[0]} (in ${host.tagName.toLowerCase()})`);
			}
		}
		return [...new Set(broken)];
	});

for (const viewport of VIEWPORTS) {
	test.describe(`admin pages on a ${viewport.width}px ${viewport.name}`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('never scroll sideways, keep every word whole and pass the accessibility check', async ({
			page
		}) => {
			test.slow();
			await page.goto('/admin/sign-in');
			await page.getByLabel('Email').fill(ADMIN.email);
			await page.getByLabel('Password').fill(ADMIN.password);
			await page.getByRole('button', { name: 'Sign in' }).click();
			await expect(page).toHaveURL('/admin');

			// Something in the audit log and the accounts table: a new moderator with a long address.
			const email = `layout-check-${viewport.name}-${Date.now()}@a-rather-long-domain.example.org`;
			await page.goto('/admin/users');
			await page.getByLabel('Email', { exact: true }).fill(email);
			await page.getByLabel('Initial password').fill('a layout password long enough');
			await page.getByRole('button', { name: 'Create account' }).click();
			await expect(page.getByRole('status')).toContainText(email);

			await page.goto('/admin/providers?q=clinic');
			const editPage = await page.locator('tr[data-provider] th a').first().getAttribute('href');
			expect(editPage).toMatch(/^\/admin\/providers\/\d+$/);

			for (const path of [...PAGES, editPage!]) {
				await page.goto(path);
				await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
				expect(await sidewaysOverflow(page), `${path} scrolls sideways`).toBe(0);
				expect(await brokenWords(page), `${path}: words broken across lines`).toEqual([]);
				expect(await violations(page), path).toEqual([]);
			}
			// The audit log shows that account's creation in words, in a box of its own.
			await page.goto('/admin/audit?action=user.create');
			const entry = page.locator('tr[data-entry]', { hasText: email });
			await expect(entry.locator('.what')).toHaveText('Account created');
			await expect(entry.locator('.change')).not.toContainText('{');
			expect(await sidewaysOverflow(page)).toBe(0);
		});
	});
}

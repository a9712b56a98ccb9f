import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

async function violations(page: Page) {
	// Where a map is shown, check it with its markers drawn, not half-loaded.
	if (await page.locator('.map').count()) {
		await page.locator('[data-first-render-ms]').waitFor();
	}
	const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
	// Readable in the failure message: rule, impact, and each offending node with the reason.
	return results.violations.map((v) => ({
		rule: v.id,
		impact: v.impact,
		help: v.help,
		nodes: v.nodes.map((n) => ({
			target: n.target.join(' '),
			html: n.html,
			why: n.failureSummary
		}))
	}));
}

test.describe('accessibility (axe, WCAG 2.0/2.1/2.2 A and AA)', () => {
	for (const path of ['/', '/?near=Austin%2C+TX&radius=100', '/states', '/states/tx']) {
		test(`${path} has no violations`, async ({ page }) => {
			await page.goto(path);
			expect(await violations(page)).toEqual([]);
		});
	}

	test('a provider profile has no violations', async ({ page, api }) => {
		const [first] = (await api.providers({ pageSize: 1 })).results;
		await page.goto(`/providers/${first.slug}`);
		expect(await violations(page)).toEqual([]);
	});

	test('filtered results and an error page have no violations', async ({ page }) => {
		await page.goto('/?route=iv&telehealth=no&page=2');
		expect(await violations(page)).toEqual([]);
		await page.goto('/?route=xyz');
		expect(await violations(page)).toEqual([]);
	});
});

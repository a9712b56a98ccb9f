import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** axe-core's WCAG 2.0/2.1/2.2 A and AA findings, readable in a failure message. */
export async function violations(page: Page) {
	// Where a map is shown, check it with its markers drawn, not half-loaded.
	if (await page.locator('.map').count()) {
		await page.locator('[data-first-render-ms]').waitFor();
	}
	const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
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

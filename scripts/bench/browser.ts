import { chromiumLaunchOptions } from '../../tests/chromium';
import { percentile } from './sql';

/**
 * The first clustered map render in Chromium (map mount → first markers, 1280×900, the whole
 * country), on the benchmark's running server; every request off that server is refused. The first
 * visit warms the server's cluster index; the rest give the median and max.
 */
export async function firstMapRender(baseUrl: string, visits = 6) {
	const { chromium } = await import('@playwright/test');
	const browser = await chromium.launch(chromiumLaunchOptions);
	const runs: number[] = [];
	try {
		for (let i = 0; i < visits; i++) {
			const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
			const page = await context.newPage();
			await page.route('**/*', (route) =>
				route.request().url().startsWith(baseUrl) ? route.continue() : route.abort()
			);
			await page.goto(`${baseUrl}/`);
			const el = page.locator('[data-first-render-ms]');
			await el.waitFor({ timeout: 60_000 });
			runs.push(Number(await el.getAttribute('data-first-render-ms')));
			await context.close();
		}
	} finally {
		await browser.close();
	}
	const warm = runs.slice(1).sort((a, b) => a - b);
	return { cold: runs[0] ?? NaN, median: percentile(warm, 50), max: warm.at(-1) ?? NaN };
}

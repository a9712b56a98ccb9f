import { test, expect } from './fixtures';

/**
 * The pages under their Content-Security-Policy (and a Permissions-Policy the browser understands
 * in full), in a real browser: with inline style elements
 * refused (style-src-elem 'self'), every kind of page still renders without a single violation —
 * maps, charts, stars, forms and the admin area included.
 */

const PAGES = [
	'/',
	'/states',
	'/states/tx',
	'/about',
	'/privacy',
	'/list-your-practice',
	'/admin/sign-in'
];

test('no page breaks its own Content-Security-Policy', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy|Permissions-Policy/i.test(message.text()))
			violations.push(message.text());
	});
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			console.error(
				`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
			);
		});
	});
	const list = (await (await page.request.get('/api/providers?pageSize=1')).json()) as {
		results: { slug: string }[];
	};
	const slug = list.results[0]!.slug;
	for (const path of [...PAGES, `/providers/${slug}`, `/providers/${slug}/rate`]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(200);
		await page.waitForLoadState('networkidle');
	}
	// A page whose style elements were refused would still load: look at one computed style too.
	await page.goto('/');
	const layout = await page.evaluate(() => getComputedStyle(document.body).display);
	expect(layout).toBe('flex');
	expect(violations).toEqual([]);
});

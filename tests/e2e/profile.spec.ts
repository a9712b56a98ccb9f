import type { Page } from '@playwright/test';
import { expect, test, type Api } from './fixtures';
import { ROUTE_LABELS, dateText, priceText, type ApiProviderProfile } from './domain';
import { routeLabelsOf } from './pages';
import { first } from '../helpers/rows';

test('following a card opens the profile, which agrees with the API', async ({ page, api }) => {
	// The first provider on the first page that has a verified date and a priced route.
	const firstPage = await api.providers();
	let profile: ApiProviderProfile | undefined;
	for (const summary of firstPage.results) {
		const candidate = await api.provider(summary.slug);
		if (candidate.lastVerifiedAt && candidate.routes.some((r) => priceText(r.priceMin, r.priceMax)))
			profile = candidate;
		if (profile) break;
	}
	if (!profile) throw new Error('no verified provider with a price on the first page of the API');
	const priced = profile.routes.find((r) => priceText(r.priceMin, r.priceMax));
	if (!priced) throw new Error('unreachable');

	await page.goto('/');
	const card = page.locator('article.card', {
		has: page.locator(`a[href="/providers/${profile.slug}"]`)
	});
	expect(await routeLabelsOf(card)).toEqual(profile.routes.map((r) => ROUTE_LABELS[r.code]));
	await card.getByRole('link', { name: profile.name, exact: true }).click();

	await expect(page).toHaveURL(new RegExp(`/providers/${profile.slug}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(profile.name);
	expect(await page.title()).toContain(profile.name);

	const treatments = page.getByRole('region', { name: 'Treatments and prices' });
	await expect(treatments.getByRole('heading', { level: 2 })).toHaveText('Treatments and prices');
	const rows = treatments.getByRole('table').locator('tbody tr');
	await expect(rows).toHaveCount(profile.routes.length);
	for (const [i, route] of profile.routes.entries()) {
		const row = rows.nth(i);
		await expect(row.getByRole('rowheader')).toContainText(ROUTE_LABELS[route.code]);
		await expect(row.getByRole('cell').first()).toHaveText(
			priceText(route.priceMin, route.priceMax) ?? 'Ask the provider'
		);
	}
	const pricedRow = rows.filter({ hasText: ROUTE_LABELS[priced.code] });
	await expect(pricedRow).toContainText(priceText(priced.priceMin, priced.priceMax) ?? '');

	const verified = page.getByText(/^Last verified /);
	await expect(verified).toHaveText(`Last verified ${dateText(profile.lastVerifiedAt ?? '')}`);
	await expect(verified.locator('time')).toHaveAttribute(
		'datetime',
		new Date(profile.lastVerifiedAt ?? '').toISOString()
	);

	await expect(page.getByRole('main').getByText('Not medical advice.')).toBeVisible();

	const contact = page.getByRole('complementary', { name: 'Contact' });
	await expect(contact).toContainText(`${profile.city}, ${profile.state}`);
	if (profile.phone) await expect(contact.getByRole('link', { name: profile.phone })).toBeVisible();
	if (profile.email) await expect(contact.getByRole('link', { name: profile.email })).toBeVisible();

	// The API's canonical URL for the provider is the page we are on.
	expect(new URL(profile.url).pathname).toBe(new URL(page.url()).pathname);
});

/** A profile with more than one page of patients' comments (the most rated first). */
async function profileWithCommentPages(page: Page, api: Api): Promise<string> {
	const rated = (await api.allProviders()) as unknown as {
		slug: string;
		feedback: { count: number };
	}[];
	rated.sort((a, b) => b.feedback.count - a.feedback.count);
	for (const { slug } of rated.slice(0, 10)) {
		await page.goto(`/providers/${slug}`);
		if (await page.getByRole('navigation', { name: 'Comment pages' }).count()) return slug;
	}
	throw new Error('no provider with more than one page of comments');
}

for (const javaScript of [true, false]) {
	test.describe(`paging through comments, JavaScript ${javaScript ? 'on' : 'off'}`, () => {
		test.use({ javaScriptEnabled: javaScript, viewport: { width: 1280, height: 800 } });

		test('keeps the reader at the comments', async ({ page, api }) => {
			const slug = await profileWithCommentPages(page, api);
			// Hydrated before clicking, so the router (not the browser) follows the link.
			if (javaScript) await page.waitForLoadState('networkidle');
			const pages = page.getByRole('navigation', { name: 'Comment pages' });
			const comments = page.locator('ol.comments > li .comment-text');
			const heading = page.locator('#comments');
			const firstPage = await comments.allInnerTexts();
			const routed: string[] = [];
			page.on('request', (r) => {
				if (r.url().includes('__data.json')) routed.push(r.url());
			});

			await pages.getByRole('link', { name: 'Next →' }).scrollIntoViewIfNeeded();
			await pages.getByRole('link', { name: 'Next →' }).click();
			await expect(page).toHaveURL(new RegExp(`/providers/${slug}\\?comments=2#comments$`));
			await expect(pages).toContainText('Page 2 of');
			await expect(comments.first()).not.toHaveText(first(firstPage, 'a comment on page 1'));

			// At the comments' heading, below the sticky crisis line, not back at the top.
			await expect(heading).toBeInViewport({ ratio: 1 });
			const crisisBottom = await page
				.locator('aside.crisis')
				.evaluate((el) => el.getBoundingClientRect().bottom);
			const top = (await heading.boundingBox())!.y;
			expect(top).toBeGreaterThanOrEqual(crisisBottom);
			expect(top).toBeLessThan(crisisBottom + 100);
			await expect(page.getByRole('heading', { level: 1 })).not.toBeInViewport();
			if (javaScript) {
				expect(routed.length, 'followed by the router').toBeGreaterThan(0);
				// Focus moves to the heading, which names the page for screen readers.
				await expect(heading).toBeFocused();
				await expect(heading).toHaveAccessibleName(/^In patients' words — page 2 of \d+$/);
			}

			await pages.getByRole('link', { name: '← Previous' }).click();
			await expect(page).toHaveURL(new RegExp(`/providers/${slug}#comments$`));
			await expect(comments.first()).toHaveText(first(firstPage, 'a comment on page 1'));
			await expect(heading).toBeInViewport({ ratio: 1 });
			if (javaScript) await expect(heading).toBeFocused();
		});
	});
}

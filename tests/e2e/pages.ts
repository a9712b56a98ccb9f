import type { Locator, Page } from '@playwright/test';

/** Reading the directory's pages the way a person scans them. */

export function cards(scope: Page | Locator): Locator {
	return scope.locator('article.card');
}

/** Provider names in the order the cards show them. */
export async function cardNames(scope: Page | Locator): Promise<string[]> {
	return (await cards(scope).getByRole('heading').allInnerTexts()).map((name) => name.trim());
}

/** Profile paths the cards link to, in order. */
export async function cardLinks(scope: Page | Locator): Promise<string[]> {
	const links = await cards(scope)
		.getByRole('heading')
		.getByRole('link')
		.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
	return links;
}

/** The route labels one card lists. */
export async function routeLabelsOf(card: Locator): Promise<string[]> {
	const items = card.getByRole('list', { name: 'Routes offered' }).locator('.route');
	return (await items.allInnerTexts()).map((label) => label.trim());
}

/** The number at the start of a text such as "392 providers offering IV infusion". */
export function leadingNumber(text: string): number {
	const match = /^\s*(\d[\d,]*)/.exec(text);
	if (!match) throw new Error(`No leading number in “${text}”`);
	return Number(match[1]!.replaceAll(',', ''));
}

/** The distinct total printed on a /states/<code> page. */
export async function stateTotal(page: Page): Promise<number> {
	return leadingNumber(await page.getByTestId('state-total').locator('strong').innerText());
}

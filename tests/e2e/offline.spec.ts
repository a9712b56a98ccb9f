import { expect, test } from './fixtures';

test('pages cannot reach any other origin', async ({ page, externalRequests }) => {
	// A page without the map, so the only outside requests are the two this test makes.
	await page.goto('/about');
	// An outside image (a map tile, say) is answered locally with a blank 1×1 PNG…
	const image = await page.evaluate(
		() =>
			new Promise<string>((resolve) => {
				const img = new Image();
				img.onload = () => resolve(`stubbed ${img.naturalWidth}×${img.naturalHeight}`);
				img.onerror = () => resolve('failed');
				img.src = 'https://tile.openstreetmap.org/1/1/1.png';
			})
	);
	expect(image).toBe('stubbed 1×1');
	// …and anything else (here a navigation, which the app's CSP does not cover) is refused.
	await expect(page.goto('https://example.com/e2e-probe')).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
	expect(externalRequests).toEqual([
		'https://tile.openstreetmap.org/1/1/1.png',
		'https://example.com/e2e-probe'
	]);
});

test('the server under test runs on a fresh embedded database', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(await response.json()).toMatchObject({ status: 'ok', database: 'pglite' });
});

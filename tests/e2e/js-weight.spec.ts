import { test, expect } from '@playwright/test';
import { describeJsWeight, HOME_JS_BUDGET, measureJsWeight } from '../helpers/js-weight';

/**
 * Issue 12's budget: the JavaScript the home page loads before the map's own chunk, gzipped file
 * by file, at most 60 kB. The server's modulepreload Link header and the page's inline imports say
 * what loads; the files are fetched from the running build.
 */
test('the home page loads at most 60 kB of JavaScript (gzip) before the map', async ({
	baseURL
}) => {
	const weight = await measureJsWeight(baseURL!, '/');
	console.log(describeJsWeight(weight));
	// Nothing loads that the header does not name (the figure would be too low otherwise)…
	expect(weight.unlisted).toEqual([]);
	// …and it names the app itself, not an empty list.
	expect(weight.files.map((f) => new URL(f.url).pathname)).toEqual(
		expect.arrayContaining([
			expect.stringMatching(/^\/_app\/immutable\/entry\/start\.[\w-]+\.js$/),
			expect.stringMatching(/^\/_app\/immutable\/entry\/app\.[\w-]+\.js$/),
			expect.stringMatching(/^\/_app\/immutable\/nodes\/\d+\.[\w-]+\.js$/)
		])
	);
	expect(weight.gzip, `${weight.gzip} bytes gzip`).toBeLessThanOrEqual(HOME_JS_BUDGET);
});

/**
 * The JavaScript each page loads at start, gzipped (issue 12): `npx tsx scripts/js-weight.ts
 * <base URL> [path…]` against a running server, e.g. http://127.0.0.1:3000 / /states.
 * Exits non-zero when `/` is over its budget.
 */
import { describeJsWeight, HOME_JS_BUDGET, measureJsWeight } from '../tests/helpers/js-weight';

const [base = 'http://127.0.0.1:3000', ...paths] = process.argv.slice(2);
let over = false;
for (const path of paths.length ? paths : ['/']) {
	const weight = await measureJsWeight(base, path);
	console.log(describeJsWeight(weight));
	if (weight.unlisted.length)
		console.log(`  not in the Link header: ${weight.unlisted.join(', ')}`);
	if (path === '/' && weight.gzip > HOME_JS_BUDGET) {
		console.log(`  over the budget of ${HOME_JS_BUDGET} bytes`);
		over = true;
	}
}
process.exitCode = over ? 1 : 0;

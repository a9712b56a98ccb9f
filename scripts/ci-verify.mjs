// Reads the vitest and Playwright JSON reports and fails unless the PGlite suite, the PostgreSQL
// suite, the browser suite and the fuzz suite (on both databases) all ran, passed and skipped
// nothing.
import { readFileSync } from 'node:fs';

const problems = [];
const read = (file) => {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch (err) {
		problems.push(`cannot read ${file}: ${err.message}`);
		return null;
	}
};

const vitest = read('test-results/vitest.json');
let unitPassed = 0;
let unitFailed = 0;
if (vitest) {
	const cases = vitest.testResults.flatMap((file) => file.assertionResults);
	const passed = (tag) =>
		cases.filter((c) => c.status === 'passed' && c.fullName.includes(tag)).length;
	unitPassed = cases.filter((c) => c.status === 'passed').length;
	unitFailed = cases.filter((c) => c.status === 'failed').length;
	const skipped = cases.filter((c) => c.status !== 'passed' && c.status !== 'failed');
	if (unitFailed > 0) problems.push(`${unitFailed} vitest tests failed`);
	if (skipped.length > 0)
		problems.push(
			`${skipped.length} vitest tests were skipped or todo: ${skipped.map((c) => c.fullName).join('; ')}`
		);
	if (passed('[pglite]') === 0) problems.push('no PGlite integration test passed');
	if (passed('[postgres]') === 0)
		problems.push('no PostgreSQL integration test passed (was TEST_DATABASE_URL set?)');
	console.log(
		`vitest: ${unitPassed} passed (${passed('[pglite]')} on PGlite, ${passed('[postgres]')} on PostgreSQL), ${unitFailed} failed`
	);
}

const pw = read('test-results/playwright.json');
let e2ePassed = 0;
let e2eFailed = 0;
if (pw) {
	const { expected = 0, unexpected = 0, skipped = 0, flaky = 0 } = pw.stats ?? {};
	e2ePassed = expected;
	e2eFailed = unexpected + flaky;
	if (expected === 0) problems.push('the browser suite ran no test');
	if (unexpected + flaky > 0)
		problems.push(`${unexpected + flaky} browser tests failed or were flaky`);
	if (skipped > 0) problems.push(`${skipped} browser tests were skipped`);
	// The journeys against the server exactly as the README starts it must have run and passed.
	const tests = [];
	const walk = (suite) => {
		for (const spec of suite.specs ?? [])
			tests.push(...spec.tests.map((t) => ({ ...t, title: spec.title })));
		for (const child of suite.suites ?? []) walk(child);
	};
	for (const suite of pw.suites ?? []) walk(suite);
	const readme = tests.filter((t) => t.projectName === 'README server');
	const readmePassed = readme.filter((t) => t.status === 'expected').length;
	if (readmePassed === 0) problems.push('no browser test passed against the README server');
	// Tests that skip themselves where their tools are missing (a PostgreSQL cluster of their own,
	// nginx): in CI they must have run and passed.
	const required = [
		'a fast shutdown: calm 503 pages and API, the rating form kept as typed, recovery by itself',
		'an immediate shutdown (as in a crash): the same calm answers, forms kept, and recovery',
		'connections cut under the app (its server processes killed): no 500, and recovery',
		'the database down when the server starts: it starts, answers 503, and recovers',
		// Three servers on one PostgreSQL behind nginx (tests/e2e/multi-instance.spec.ts).
		'a session started through the proxy works on every server',
		'the listing-request limit holds across the servers: five an hour in all',
		'an approval on one server reaches the map of the others within a second',
		'stopping one server with SIGTERM under load loses no request'
	];
	for (const title of required) {
		if (!tests.some((t) => t.title === title && t.status === 'expected'))
			problems.push(`the browser test "${title}" did not run and pass`);
	}
	console.log(
		`playwright: ${expected} passed (${readmePassed} against the README server), ${unexpected} failed, ${flaky} flaky, ${skipped} skipped`
	);
}

// The fuzz suite (tests/fuzz): one Playwright project per database, every test passed, and the
// cases it ran recorded per database in fuzz-summary.json.
const fuzz = read('test-results/fuzz.json');
const fuzzSummary = read('test-results/fuzz-summary.json');
let fuzzPassed = 0;
let fuzzFailed = 0;
if (fuzz && fuzzSummary) {
	const tests = [];
	const walk = (suite) => {
		for (const spec of suite.specs ?? []) tests.push(...spec.tests);
		for (const child of suite.suites ?? []) walk(child);
	};
	for (const suite of fuzz.suites ?? []) walk(suite);
	fuzzFailed = tests.filter((t) => t.status !== 'expected').length;
	fuzzPassed = tests.length - fuzzFailed;
	if (fuzzFailed > 0) problems.push(`${fuzzFailed} fuzz tests failed, were flaky or were skipped`);
	const line = [];
	for (const kind of ['pglite', 'postgres']) {
		const ran = tests.filter((t) => t.projectName === kind);
		const cases = fuzzSummary.databases?.[kind]?.cases ?? 0;
		if (ran.length === 0 || ran.some((t) => t.status !== 'expected') || cases === 0) {
			problems.push(
				`the fuzz suite did not pass on ${kind}${kind === 'postgres' ? ' (was TEST_DATABASE_URL set?)' : ''}`
			);
		}
		line.push(`${cases} cases on ${kind}`);
	}
	console.log(`fuzz: ${fuzzPassed} passed, ${fuzzFailed} failed (${line.join(', ')})`);
}

for (const p of problems) console.error(`ci-verify: ${p}`);
console.log(
	`ci: ${unitPassed + e2ePassed + fuzzPassed} passed, ${unitFailed + e2eFailed + fuzzFailed + (problems.length && !unitFailed && !e2eFailed && !fuzzFailed ? 1 : 0)} failed`
);
process.exit(problems.length ? 1 : 0);

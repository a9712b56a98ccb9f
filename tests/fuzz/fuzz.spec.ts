import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import * as api from './api';
import * as forms from './forms';
import * as limits from './limits';
import * as logs from './logs';
import * as pages from './pages';
import { currentServer } from './run';
import { expectedAfter, FuzzServer, readAdded } from './server';

/**
 * Property-based tests over every form action and JSON endpoint, against the production build on
 * each database (project `pglite`, and `postgres` when TEST_DATABASE_URL is set): random and
 * hostile input always gets a 4xx that names the problem, redirects stay on the site, and nothing
 * is written — the last test reads the database itself. Cases and problems per endpoint go to
 * test-results/fuzz-summary.json.
 *
 * The tests run in this order in one worker and share the project's server (global-setup.ts);
 * a failed test does not stop the others.
 */

test.describe.configure({ mode: 'default' });

for (const property of forms.publicFormProperties) {
	test(`public form: ${property.name}`, property.run);
}
test('form posts with unreadable bodies', forms.contentTypeProperty);
test('form posts to odd action names', forms.actionNameProperty);
for (const property of forms.staffFormProperties) {
	test(`staff form: ${property.name}`, property.run);
}
test('staff form: POST /admin/import', forms.importProperty);

test('odd slugs and ids in every route that takes one', pages.hostileSlugProperty);
test('honeypot redirects stay on the site', pages.honeypotProperty);
test('redirect targets stay on the site', pages.redirectProperty);
test('signing in with a hostile next= stays on the site', pages.signInNextProperty);
test('GET pages with odd queries', pages.pageQueryProperty);

test('GET /api/providers with odd queries', api.providersQueryProperty);
test('GET /api/map with odd queries', api.mapQueryProperty);
test('GET /api/providers/[slug] with odd slugs', api.slugProperty);
test('POST /api/providers/[slug]/ratings with odd JSON', api.ratingJsonProperty);
test(
	'POST /api/providers/[slug]/ratings with bodies that are not JSON',
	api.ratingBodyTypesProperty
);
test('unknown API paths', api.unknownApiProperty);
test('wrong methods answer 405 with Allow', api.wrongMethodProperty);
test('bad percent-encoding in API paths and queries', api.badEncodingProperty);
test('GET /api/states and /healthz with any query', api.quietEndpointsProperty);
test('oversized queries and bodies', api.oversizedProperty);

test('limits answer 429 with a message', limits.limitProperty);
test(
	'listing requests with control characters are refused or saved, never a 5xx',
	limits.nearValidListingProperty
);
test(
	'ratings with control characters are refused or saved, never a 5xx',
	limits.nearValidRatingProperty
);

test('the server log carries no personal data', logs.logProperty);

// Last: reads the database (PGlite: stops the server first, so no test may follow this one).
test('nothing was written but what the suite saved on purpose', async () => {
	test.setTimeout(60_000);
	const state = currentServer();
	const server = new FuzzServer(state.kind, state.databaseUrl);
	if (state.kind === 'pglite') {
		process.kill(state.pid, 'SIGTERM');
		const deadline = Date.now() + 30_000;
		while (alive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
		expect(alive(state.pid), 'the PGlite server stopped').toBe(false);
		expect(existsSync(`${state.dataDir}/directory.lock`), 'the server released its lock').toBe(
			false
		);
	}
	const now = await server.snapshot();
	expect(now).toEqual(expectedAfter(state.baseline, readAdded(state.kind)));
});

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/chromium';
import { README_ADMIN, README_SERVER } from './tests/e2e/readme/server';

/**
 * Browser suite: the production build (`npx vite build` first), served by `node build` on a fixed
 * local port with a brand-new embedded database per run, driven by Debian's Chromium.
 */
const HOST = '127.0.0.1';
const PORT = Number(process.env.E2E_PORT ?? 4173);
const ORIGIN = `http://${HOST}:${PORT}`;
// Inside test-results/ (git-ignored) but outside Playwright's outputDir, which Playwright empties
// at the start of a run — after the server has started.
// E2E_RESULTS moves all of it (database, artefacts, report), so two runs never share a database.
const RESULTS = process.env.E2E_RESULTS ?? 'test-results';
const DATA_DIR = resolve(RESULTS, 'e2e-data');

const README_DIR = resolve(RESULTS, 'readme-server');
const README_SPECS = '**/readme/**/*.spec.ts';
/**
 * E2E_README_SERVER=off leaves the README server (port 3000) out, for several suites run at once on
 * one machine while working. CI never sets it, and scripts/ci-verify.mjs fails without its tests.
 */
const withReadmeServer = process.env.E2E_README_SERVER !== 'off';

const LISTING_CHANGES = [
	'**/listing-request.spec.ts',
	'**/moderation.spec.ts',
	'**/admin-journeys.spec.ts',
	'**/new-patients.spec.ts'
];

export default defineConfig({
	testDir: 'tests/e2e',
	// A sub-folder, so Playwright's clean-up never deletes test-results/vitest.json or the database.
	outputDir: `${RESULTS}/e2e`,
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	retries: 0,
	workers: 2,
	timeout: 30_000,
	expect: { timeout: 5_000 },
	reporter: [['list'], ['json', { outputFile: `${RESULTS}/playwright.json` }]],
	use: {
		baseURL: ORIGIN,
		browserName: 'chromium',
		// Service workers would bypass the request blocking in tests/e2e/fixtures.ts.
		serviceWorkers: 'block',
		trace: 'retain-on-failure',
		launchOptions: chromiumLaunchOptions
	},
	projects: [
		// Specs that add, suspend or move listings run after the rest, so the tests that compare
		// counts across pages (state matrix, map, totals) never see the data change under them.
		{
			name: 'chromium',
			testIgnore: [...LISTING_CHANGES, README_SPECS],
			use: { browserName: 'chromium' }
		},
		{
			name: 'chromium (listing changes)',
			testMatch: LISTING_CHANGES,
			dependencies: ['chromium'],
			use: { browserName: 'chromium' }
		},
		...(withReadmeServer
			? [
					{
						name: 'README server',
						// The journeys, and every combination of the search form, against `npm start`.
						testMatch: [README_SPECS, '**/search-combinations.spec.ts'],
						use: { browserName: 'chromium' as const, baseURL: README_SERVER }
					}
				]
			: [])
	],
	webServer: [
		...(withReadmeServer ? [readmeServer()] : []),
		{
			command: `rm -rf "${DATA_DIR}" && node build`,
			url: `${ORIGIN}/healthz`,
			reuseExistingServer: false,
			timeout: 60_000,
			stdout: 'ignore',
			stderr: 'pipe',
			gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
			env: {
				// Always the embedded database with the demo providers, never a PostgreSQL from the shell.
				DATABASE_URL: '',
				SEED_DEMO: 'true',
				DATA_DIR,
				PORT: String(PORT),
				HOST,
				ORIGIN,
				ADDRESS_HEADER: 'x-forwarded-for',
				XFF_DEPTH: '1',
				RATING_BURST_PER_PROVIDER_PER_HOUR: '1000',
				RATING_BURST_PER_ADDRESS_PER_DAY: '1000',
				RATING_LIMIT_PER_HOUR: '1000',
				BODY_SIZE_LIMIT: '6M',
				ADMIN_EMAIL: 'e2e-admin@example.org',
				ADMIN_PASSWORD: 'e2e admin password long enough'
			}
		}
	]
});

function readmeServer() {
	return {
		command: `bash tests/e2e/readme-server.sh "${README_DIR}"`,
		url: `${README_SERVER}/healthz`,
		reuseExistingServer: false,
		timeout: 90_000,
		stdout: 'pipe' as const,
		stderr: 'pipe' as const,
		gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 15_000 },
		// Read by the script for `npm run admin:create` only; `npm start` runs with a clean environment.
		env: { README_ADMIN_EMAIL: README_ADMIN.email, README_ADMIN_PASSWORD: README_ADMIN.password }
	};
}

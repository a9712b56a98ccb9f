import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * The fuzz suite (property-based, fast-check) against the production build: run after
 * `node scripts/start.js --build-only` with `npx playwright test --config tests/fuzz/playwright.config.ts`.
 * One project per database; global-setup.ts starts their servers (ports FUZZ_PORT, FUZZ_PORT+1;
 * default 4346, 4347). The PostgreSQL project runs when TEST_DATABASE_URL is set, and fails when
 * REQUIRE_POSTGRES=1 without it.
 */
const RESULTS = resolve(process.env.E2E_RESULTS ?? 'test-results');
const withPostgres =
	Boolean(process.env.TEST_DATABASE_URL?.trim()) ||
	/^(1|true|yes)$/i.test(process.env.REQUIRE_POSTGRES?.trim() ?? '');

export default defineConfig({
	testDir: '.',
	testMatch: 'fuzz.spec.ts',
	outputDir: `${RESULTS}/fuzz-output`,
	globalSetup: './global-setup.ts',
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	retries: 0,
	// Both databases' servers share two cores with everything else.
	workers: 1,
	timeout: 120_000,
	reporter: [['list'], ['json', { outputFile: `${RESULTS}/fuzz.json` }]],
	projects: [{ name: 'pglite' }, ...(withPostgres ? [{ name: 'postgres' }] : [])]
});

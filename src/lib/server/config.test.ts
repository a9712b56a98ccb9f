import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

const cwd = '/srv/directory';

function problems(env: Record<string, string>): string[] {
	try {
		parseConfig(env, cwd);
	} catch (err) {
		if (err instanceof ConfigError) return err.problems;
		throw err;
	}
	throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
	it('gives the README defaults for an empty environment', () => {
		expect(parseConfig({}, cwd)).toEqual({
			databaseUrl: undefined,
			dataDir: '/srv/directory/data',
			seedDemo: true,
			migrationsDir: '/srv/directory/drizzle',
			admin: null,
			ratingLimits: { perAddressPerHour: 5, burstPerProviderPerHour: 5, burstPerAddressPerDay: 3 },
			requireAdminSecondFactor: false
		});
	});

	it('treats empty variables as unset', () => {
		const env = {
			DATABASE_URL: '',
			DATA_DIR: '',
			SEED_DEMO: '',
			MIGRATIONS_DIR: '',
			ADMIN_EMAIL: '',
			ADMIN_PASSWORD: '',
			RATING_LIMIT_PER_HOUR: '',
			REQUIRE_ADMIN_2FA: ''
		};
		expect(parseConfig(env, cwd)).toEqual(parseConfig({}, cwd));
	});

	it('reads every variable', () => {
		const config = parseConfig(
			{
				DATABASE_URL: 'postgres://app:secret@db.internal:5432/directory',
				DATA_DIR: 'var/pglite',
				SEED_DEMO: 'false',
				MIGRATIONS_DIR: '/opt/migrations',
				ADMIN_EMAIL: 'admin@example.org',
				ADMIN_PASSWORD: 'a long enough password',
				RATING_LIMIT_PER_HOUR: '7',
				RATING_BURST_PER_PROVIDER_PER_HOUR: '1000',
				RATING_BURST_PER_ADDRESS_PER_DAY: ' 12 ',
				REQUIRE_ADMIN_2FA: 'true',
				PORT: 'not ours to check'
			},
			cwd
		);
		expect(config).toEqual({
			databaseUrl: 'postgres://app:secret@db.internal:5432/directory',
			dataDir: '/srv/directory/var/pglite',
			seedDemo: false,
			migrationsDir: '/opt/migrations',
			admin: { email: 'admin@example.org', password: 'a long enough password' },
			ratingLimits: {
				perAddressPerHour: 7,
				burstPerProviderPerHour: 1000,
				burstPerAddressPerDay: 12
			},
			requireAdminSecondFactor: true
		});
		expect(parseConfig({ DATABASE_URL: 'postgresql://localhost/x' }, cwd).databaseUrl).toBe(
			'postgresql://localhost/x'
		);
		expect(parseConfig({ SEED_DEMO: 'true' }, cwd).seedDemo).toBe(true);
	});

	it('names the variable, what it allows and the value it got', () => {
		expect(problems({ RATING_LIMIT_PER_HOUR: 'lots' })).toEqual([
			'RATING_LIMIT_PER_HOUR must be a whole number of at least 1 (got "lots")'
		]);
		expect(problems({ RATING_BURST_PER_PROVIDER_PER_HOUR: '0' })[0]).toMatch(
			/^RATING_BURST_PER_PROVIDER_PER_HOUR must be a whole number of at least 1/
		);
		expect(problems({ RATING_BURST_PER_ADDRESS_PER_DAY: '2.5' })[0]).toMatch(
			/^RATING_BURST_PER_ADDRESS_PER_DAY must be a whole number/
		);
		expect(problems({ REQUIRE_ADMIN_2FA: 'yes' })).toEqual([
			'REQUIRE_ADMIN_2FA must be "true" or "false" (got "yes")'
		]);
		expect(problems({ SEED_DEMO: 'no' })).toEqual([
			'SEED_DEMO must be "true" or "false" (got "no")'
		]);
		expect(problems({ ADMIN_EMAIL: 'admin', ADMIN_PASSWORD: 'a long enough password' })).toEqual([
			'ADMIN_EMAIL must be an email address, e.g. admin@example.org (got "admin")'
		]);
	});

	it('reports every bad variable at once, in one readable message', () => {
		let error: unknown;
		try {
			parseConfig({ SEED_DEMO: 'yes', RATING_LIMIT_PER_HOUR: '-1' }, cwd);
		} catch (err) {
			error = err;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as Error).message).toBe(
			'Invalid configuration:\n' +
				'  - SEED_DEMO must be "true" or "false" (got "yes")\n' +
				'  - RATING_LIMIT_PER_HOUR must be a whole number of at least 1 (got "-1")'
		);
	});

	it('never echoes a secret back', () => {
		const [url] = problems({ DATABASE_URL: 'mysql://root:hunter2@db/app' });
		expect(url).toMatch(/^DATABASE_URL must be a PostgreSQL connection string/);
		expect(url).not.toContain('hunter2');
		const [password] = problems({ ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'short' });
		expect(password).toBe('ADMIN_PASSWORD must be at least 12 characters');
		expect(problems({ DATABASE_URL: 'not a url' })[0]).not.toContain('not a url');
	});

	it('wants ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
		expect(problems({ ADMIN_EMAIL: 'admin@example.org' })).toEqual([
			'ADMIN_PASSWORD must be set too: ADMIN_EMAIL and ADMIN_PASSWORD go together'
		]);
		expect(problems({ ADMIN_PASSWORD: 'a long enough password' })).toEqual([
			'ADMIN_EMAIL must be set too: ADMIN_EMAIL and ADMIN_PASSWORD go together'
		]);
	});
});

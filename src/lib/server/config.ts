import { resolve } from 'node:path';
import { z } from 'zod';
import { PASSWORD_MIN } from '../schemas/users';

/**
 * Every environment variable the app reads, read here once and validated; README.md's
 * "Configuration" table lists the same names and defaults. adapter-node's own variables (PORT,
 * HOST, ORIGIN, BODY_SIZE_LIMIT, …) are read by scripts/server-entry.js and adapter-node, not here.
 */
export interface Config {
	/** PostgreSQL when set; otherwise the embedded PGlite database in `dataDir`. */
	databaseUrl: string | undefined;
	/** Absolute. */
	dataDir: string;
	seedDemo: boolean;
	/** Absolute. */
	migrationsDir: string;
	/** The first admin account, created at start while there is none. */
	admin: { email: string; password: string } | null;
	/**
	 * ORIGIN (also read by adapter-node): the site's public address. Absolute URLs in API answers
	 * are built from it, never from the client's Host header; without it they are root-relative.
	 */
	origin: string | undefined;
	ratingLimits: {
		perAddressPerHour: number;
		burstPerProviderPerHour: number;
		burstPerAddressPerDay: number;
	};
	/** REQUIRE_ADMIN_2FA: admins must enrol a second factor before using the admin pages. */
	requireAdminSecondFactor: boolean;
}

/** An empty variable counts as unset, as `DATABASE_URL=` always has. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const path = z.preprocess(unsetIfEmpty, z.string().optional());

const positiveWhole = (fallback: number) =>
	z
		.preprocess(
			unsetIfEmpty,
			z
				.string()
				.trim()
				.regex(/^[1-9][0-9]*$/, 'must be a whole number of at least 1')
				.optional()
		)
		.transform((value) => (value === undefined ? fallback : Number(value)));

const trueOrFalse = (fallback: boolean) =>
	z.preprocess(
		unsetIfEmpty,
		z
			.enum(['true', 'false'], { error: 'must be "true" or "false"' })
			.optional()
			.transform((value) => (value === undefined ? fallback : value === 'true'))
	);

const postgresUrl = z.preprocess(
	unsetIfEmpty,
	z
		.string()
		.refine((value) => {
			try {
				return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
			} catch {
				return false;
			}
		}, 'must be a PostgreSQL connection string, postgres://user:password@host:5432/database (or unset for the embedded database)')
		.optional()
);

const siteOrigin = z.preprocess(
	unsetIfEmpty,
	z
		.string()
		.refine((value) => {
			try {
				const url = new URL(value);
				return (
					['http:', 'https:'].includes(url.protocol) && url.origin === value.replace(/\/$/, '')
				);
			} catch {
				return false;
			}
		}, 'must be the site’s address with no path, e.g. https://directory.example.org')
		.transform((value) => new URL(value).origin)
		.optional()
);

const environment = z
	.object({
		DATABASE_URL: postgresUrl,
		ORIGIN: siteOrigin,
		DATA_DIR: path,
		SEED_DEMO: trueOrFalse(true),
		MIGRATIONS_DIR: path,
		ADMIN_EMAIL: z.preprocess(
			unsetIfEmpty,
			z.email('must be an email address, e.g. admin@example.org').optional()
		),
		ADMIN_PASSWORD: z.preprocess(
			unsetIfEmpty,
			z.string().min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`).optional()
		),
		RATING_LIMIT_PER_HOUR: positiveWhole(5),
		RATING_BURST_PER_PROVIDER_PER_HOUR: positiveWhole(5),
		RATING_BURST_PER_ADDRESS_PER_DAY: positiveWhole(3),
		REQUIRE_ADMIN_2FA: trueOrFalse(false)
	})
	.superRefine((env, ctx) => {
		if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
			const missing = env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL';
			ctx.addIssue({
				code: 'custom',
				path: [missing],
				message: 'must be set too: ADMIN_EMAIL and ADMIN_PASSWORD go together'
			});
		}
	});

/** A bad environment: the message names each variable and what it allows, for the operator. */
export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

/** Never echoed back in an error message. */
const SECRET = new Set(['DATABASE_URL', 'ADMIN_PASSWORD']);

/** Parses an environment (process.env in the app, any record in tests). Pure: reads nothing else. */
export function parseConfig(
	env: Record<string, string | undefined>,
	cwd: string = process.cwd()
): Config {
	const parsed = environment.safeParse(env);
	if (!parsed.success) {
		throw new ConfigError(
			parsed.error.issues.map((issue) => {
				const name = String(issue.path[0] ?? 'environment');
				const got = env[name];
				const shown = got === undefined || SECRET.has(name) ? '' : ` (got "${got}")`;
				return `${name} ${issue.message}${shown}`;
			})
		);
	}
	const e = parsed.data;
	return {
		databaseUrl: e.DATABASE_URL,
		dataDir: resolve(cwd, e.DATA_DIR ?? 'data'),
		seedDemo: e.SEED_DEMO,
		migrationsDir: resolve(cwd, e.MIGRATIONS_DIR ?? 'drizzle'),
		admin:
			e.ADMIN_EMAIL && e.ADMIN_PASSWORD
				? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD }
				: null,
		origin: e.ORIGIN,
		ratingLimits: {
			perAddressPerHour: e.RATING_LIMIT_PER_HOUR,
			burstPerProviderPerHour: e.RATING_BURST_PER_PROVIDER_PER_HOUR,
			burstPerAddressPerDay: e.RATING_BURST_PER_ADDRESS_PER_DAY
		},
		requireAdminSecondFactor: e.REQUIRE_ADMIN_2FA
	};
}

let current: Config | undefined;

/** The process's configuration, read from process.env on first use; throws a ConfigError. */
export function config(): Config {
	current ??= parseConfig(process.env);
	return current;
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import postgres from 'postgres';

/**
 * The fuzz suite's servers: the production build (`node build`) on a fresh PGlite directory, and
 * on a fresh PostgreSQL database when TEST_DATABASE_URL is set. Started once by global-setup.ts,
 * shared by every test of the database's project (a failed test restarts Playwright's worker, not
 * the server), stopped by its teardown.
 */

export type Kind = 'pglite' | 'postgres';

export const RESULTS = resolve(process.env.E2E_RESULTS ?? 'test-results');
export const FUZZ_DIR = resolve(RESULTS, 'fuzz');
/** Where global-setup.ts leaves what the tests need (origins, ids, the admin's cookie). */
export const STATE_FILE = resolve(FUZZ_DIR, 'state.json');

export const ADMIN = {
	email: 'fuzz-admin@example.org',
	password: 'fuzz admin password long enough'
};

/** The same limits as the browser suite's server, so the limits never hide a bug. */
const LIMITS = {
	RATING_LIMIT_PER_HOUR: '1000',
	RATING_BURST_PER_PROVIDER_PER_HOUR: '1000',
	RATING_BURST_PER_ADDRESS_PER_DAY: '1000'
};

/** Small, so oversized bodies are cheap to send (the CSV import is fuzzed with small files). */
export const BODY_SIZE_LIMIT = 256 * 1024;

const BASE_PORT = Number(process.env.FUZZ_PORT ?? 4346);

export function portFor(kind: Kind): number {
	return kind === 'pglite' ? BASE_PORT : BASE_PORT + 1;
}

export function testDatabaseUrl(): string | undefined {
	return process.env.TEST_DATABASE_URL?.trim() || undefined;
}

export function postgresRequired(): boolean {
	const value = process.env.REQUIRE_POSTGRES?.trim().toLowerCase();
	return value === '1' || value === 'true' || value === 'yes';
}

export class FuzzServer {
	readonly port: number;
	readonly origin: string;
	readonly dataDir: string;
	private child: ChildProcess | undefined;
	private exited: Promise<number | null> | undefined;
	/** Everything the server writes to stdout and stderr, over all its starts. */
	readonly logFile: string;

	constructor(
		readonly kind: Kind,
		/** PostgreSQL only: the fuzz database's URL. */
		readonly databaseUrl?: string
	) {
		this.port = portFor(kind);
		this.origin = `http://127.0.0.1:${this.port}`;
		this.dataDir = resolve(FUZZ_DIR, `${kind}-data`);
		this.logFile = resolve(FUZZ_DIR, `${kind}-server.log`);
	}

	private logTail(): string {
		try {
			return readFileSync(this.logFile, 'utf8').slice(-4000);
		} catch {
			return '';
		}
	}

	get pid(): number {
		return this.child?.pid ?? 0;
	}

	async start(): Promise<void> {
		const log = openSync(this.logFile, 'a');
		const child = spawn(process.execPath, ['build'], {
			stdio: ['ignore', log, log],
			env: {
				...process.env,
				DATABASE_URL: this.databaseUrl ?? '',
				DATA_DIR: this.dataDir,
				SEED_DEMO: 'true',
				PORT: String(this.port),
				HOST: '127.0.0.1',
				ORIGIN: this.origin,
				ADDRESS_HEADER: 'x-forwarded-for',
				XFF_DEPTH: '1',
				BODY_SIZE_LIMIT: String(BODY_SIZE_LIMIT),
				ADMIN_EMAIL: ADMIN.email,
				ADMIN_PASSWORD: ADMIN.password,
				...LIMITS
			}
		});
		closeSync(log);
		this.child = child;
		this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
		const deadline = Date.now() + 90_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) {
				throw new Error(`The ${this.kind} server exited at start:\n${this.logTail()}`);
			}
			try {
				const response = await fetch(`${this.origin}/healthz`);
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 250));
		}
		throw new Error(
			`The ${this.kind} server did not answer /healthz within 90 s:\n${this.logTail()}`
		);
	}

	/** PostgreSQL: the demo set, as `npm run db:seed` loads it (the server seeds only PGlite). */
	seedDemo(): void {
		const result = spawnSync(resolve('node_modules/.bin/tsx'), ['scripts/seed.ts'], {
			env: { ...process.env, DATABASE_URL: this.databaseUrl ?? '' },
			encoding: 'utf8'
		});
		if (result.status !== 0) {
			throw new Error(`Loading the demo set into ${this.kind} failed:\n${result.stderr}`);
		}
	}

	async stop(): Promise<void> {
		if (!this.child || this.child.exitCode !== null) return;
		this.child.kill('SIGTERM');
		await this.exited;
		this.child = undefined;
	}

	/** Rows the fuzzing must not change, read straight from the database (PGlite: stopped first). */
	async snapshot(): Promise<Snapshot> {
		return (await this.query(SNAPSHOT_SQL))[0]!.snapshot as Snapshot;
	}

	async query(text: string): Promise<Record<string, unknown>[]> {
		if (this.databaseUrl) {
			const sql = postgres(this.databaseUrl, { max: 1, onnotice: () => {} });
			try {
				return [...(await sql.unsafe(text))] as Record<string, unknown>[];
			} finally {
				await sql.end({ timeout: 5 });
			}
		}
		if (this.child && this.child.exitCode === null) {
			throw new Error('Stop the PGlite server before reading its data directory.');
		}
		const db = await PGlite.create({
			dataDir: this.dataDir,
			extensions: { cube, earthdistance, pg_trgm }
		});
		try {
			return (await db.query<Record<string, unknown>>(text)).rows;
		} finally {
			await db.close();
		}
	}
}

export type Snapshot = Record<string, unknown>;

const byStatus = (table: string) =>
	`(select coalesce(json_object_agg(status, n), '{}'::json) from (select status::text, count(*)::int as n from ${table} group by 1) s)`;

/**
 * Every table a form or endpoint writes, sessions aside (signing in writes one): counts, and for
 * rows that are edited in place, what an edit changes (versions, statuses, dates, hashes).
 */
const SNAPSHOT_SQL = `select json_build_object(
	'providers', (select json_build_object('rows', count(*)::int, 'versions', coalesce(sum(version), 0)::int,
		'verified', count(last_verified_at)::int, 'lastVerified', max(last_verified_at)::text) from providers),
	'providersByStatus', ${byStatus('providers')},
	'provider_routes', (select count(*)::int from provider_routes),
	'provider_slug_history', (select count(*)::int from provider_slug_history),
	'ratings', ${byStatus('ratings')},
	'problem_reports', ${byStatus('problem_reports')},
	'listing_requests', ${byStatus('listing_requests')},
	'annotations', ${byStatus('annotations')},
	'audit_log', (select count(*)::int from audit_log),
	'users', (select json_build_object('rows', count(*)::int, 'disabled', count(disabled_at)::int,
		'admins', (count(*) filter (where role = 'admin'))::int,
		'passwords', md5(coalesce(string_agg(password_hash, ',' order by id), ''))) from users)
) as snapshot`;

/** A database the suite may add rows to knowingly (a valid rating that the 429 test needs). */
export function expectedAfter(
	baseline: Snapshot,
	added: Record<string, Record<string, number>>
): Snapshot {
	const out = structuredClone(baseline) as Record<string, Record<string, number>>;
	for (const [table, statuses] of Object.entries(added)) {
		out[table] ??= {};
		for (const [status, n] of Object.entries(statuses)) {
			out[table][status] = (out[table][status] ?? 0) + n;
		}
	}
	return out;
}

// Writes the tests make on purpose, kept in a file: a failed test restarts Playwright's worker.
const addedFile = (kind: Kind) => resolve(FUZZ_DIR, `${kind}-added.json`);

export function recordAdded(kind: Kind, table: string, status: string, n = 1): void {
	const added = readAdded(kind);
	added[table] ??= {};
	added[table][status] = (added[table][status] ?? 0) + n;
	writeFileSync(addedFile(kind), JSON.stringify(added));
}

export function readAdded(kind: Kind): Record<string, Record<string, number>> {
	try {
		return JSON.parse(readFileSync(addedFile(kind), 'utf8')) as Record<
			string,
			Record<string, number>
		>;
	} catch {
		return {};
	}
}

export function resetFuzzDir(): void {
	rmSync(FUZZ_DIR, { recursive: true, force: true });
	mkdirSync(FUZZ_DIR, { recursive: true });
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { postForm, send } from './http';
import {
	ADMIN,
	FuzzServer,
	RESULTS,
	STATE_FILE,
	resetFuzzDir,
	testDatabaseUrl,
	type Kind
} from './server';
import {
	IDS_SQL,
	readRuns,
	validListing,
	validReport,
	type Ids,
	type ServerState,
	type State
} from './state';

/**
 * Starts one server per database (PGlite always, PostgreSQL when TEST_DATABASE_URL is set), signs
 * the admin in, adds the rows the admin forms need (a problem report, a listing request), and
 * records each database as it is before any fuzzing. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
	resetFuzzDir();
	const seed = Number(process.env.FUZZ_SEED ?? 20261202);
	const servers: FuzzServer[] = [];
	const dropDatabase: (() => Promise<void>)[] = [];
	const state: State = { seed, servers: {} };

	const teardown = async () => {
		for (const server of servers) await server.stop();
		for (const drop of dropDatabase) await drop();
		writeSummary();
	};

	try {
		const kinds: Kind[] = testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
		for (const kind of kinds) {
			let databaseUrl: string | undefined;
			if (kind === 'postgres') {
				const made = await scratchDatabase(testDatabaseUrl()!);
				databaseUrl = made.url;
				dropDatabase.push(made.drop);
			}
			const server = new FuzzServer(kind, databaseUrl);
			servers.push(server);
			if (kind === 'postgres') server.seedDemo();
			await server.start();
			const cookie = await signInAdmin(server.origin);
			await addFixtures(server.origin, cookie);
			// PGlite's directory can only be read with the server stopped.
			if (kind === 'pglite') await server.stop();
			const ids = (await server.query(IDS_SQL))[0] as unknown as Ids;
			const baseline = await server.snapshot();
			if (kind === 'pglite') await server.start();
			for (const [key, value] of Object.entries(ids)) {
				if (value === null || value === undefined) {
					throw new Error(`Fuzz set-up on ${kind}: no row for ${key}.`);
				}
				(ids as unknown as Record<string, unknown>)[key] =
					typeof value === 'string' && key !== 'slug' && key !== 'ratingSlug'
						? Number(value)
						: value;
			}
			const entry: ServerState = {
				kind,
				origin: server.origin,
				pid: server.pid,
				dataDir: server.dataDir,
				logFile: server.logFile,
				databaseUrl,
				cookie,
				baseline,
				ids
			};
			state.servers[kind] = entry;
		}
		writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
	} catch (err) {
		await teardown();
		throw err;
	}
	return teardown;
}

async function scratchDatabase(adminUrl: string) {
	const name = `kd_fuzz_${process.pid}_${Date.now().toString(36)}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			try {
				await admin.unsafe(`drop database if exists "${name}" with (force)`);
			} finally {
				await admin.end({ timeout: 5 });
			}
		}
	};
}

async function signInAdmin(origin: string): Promise<string> {
	const answer = await postForm(origin, {
		path: '/admin/sign-in',
		action: null,
		fields: [
			['email', ADMIN.email],
			['password', ADMIN.password]
		],
		encoding: 'urlencoded',
		enhanced: false
	});
	const cookie = answer.headers
		.getSetCookie()
		.map((c) => c.split(';', 1)[0]!)
		.find((c) => c.startsWith('kd_session='));
	if (answer.status !== 303 || !cookie) {
		throw new Error(
			`The fuzz admin could not sign in: ${answer.status} ${answer.text.slice(0, 200)}`
		);
	}
	return cookie;
}

/** A problem report and a listing request, so the moderators' forms have real rows to refuse. */
async function addFixtures(origin: string, cookie: string): Promise<void> {
	const list = await send(origin, '/api/providers?pageSize=1');
	const slug = (JSON.parse(list.text) as { results: { slug: string }[] }).results[0]?.slug;
	if (!slug) throw new Error('Fuzz set-up: the demo data has no published provider.');
	const report = await postForm(origin, {
		path: `/providers/${slug}/report`,
		action: null,
		fields: Object.entries(validReport()),
		encoding: 'urlencoded',
		enhanced: false
	});
	const request = await postForm(origin, {
		path: '/list-your-practice',
		action: null,
		fields: Object.entries(validListing()).flatMap(([k, v]) =>
			[v].flat().map((x) => [k, x] as [string, string])
		),
		encoding: 'urlencoded',
		enhanced: false
	});
	for (const [what, answer] of [
		['problem report', report],
		['listing request', request]
	] as const) {
		if (answer.status !== 303) {
			throw new Error(
				`Fuzz set-up: the ${what} was refused: ${answer.status} ${answer.text.slice(0, 300)}`
			);
		}
	}
	void cookie;
}

/** test-results/fuzz-summary.json: cases run per endpoint and database, for CI logs and notes. */
function writeSummary(): void {
	const runs = readRuns();
	const byKind: Record<
		string,
		{ cases: number; problems: number; endpoints: Record<string, number> }
	> = {};
	for (const run of runs) {
		const entry = (byKind[run.kind] ??= { cases: 0, problems: 0, endpoints: {} });
		entry.cases += run.cases;
		entry.problems += run.problems;
		entry.endpoints[run.endpoint] = (entry.endpoints[run.endpoint] ?? 0) + run.cases;
	}
	const summary = {
		seed: Number(process.env.FUZZ_SEED ?? 20261202),
		total: runs.reduce((n, r) => n + r.cases, 0),
		problems: runs.reduce((n, r) => n + r.problems, 0),
		databases: byKind,
		runs
	};
	mkdirSync(RESULTS, { recursive: true });
	writeFileSync(resolve(RESULTS, 'fuzz-summary.json'), JSON.stringify(summary, null, 2));
	console.log(
		`fuzz: ${summary.total} cases, ${summary.problems} problems (${Object.entries(byKind)
			.map(([kind, e]) => `${kind}: ${e.cases} cases, ${e.problems} problems`)
			.join('; ')})`
	);
}

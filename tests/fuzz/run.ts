import fc from 'fast-check';
import { expect, test } from '@playwright/test';
import { excerpt, type Answer } from './http';
import { postgresRequired, testDatabaseUrl, type Kind } from './server';
import { readState, recordRun, type ServerState } from './state';

/**
 * Runs one property over an endpoint: fast-check generates the cases from a fixed seed (the same
 * cases on every run and both databases), each case is sent and judged, and every problem is
 * kept — grouped by what went wrong — so one run lists all the distinct failures, with counts
 * and an example request and answer, instead of stopping at the first.
 */

/** FUZZ_SCALE=0.2 for a quick look, 5 for a long soak. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

export function runs(n: number): number {
	return Math.max(1, Math.round(n * SCALE));
}

export function currentServer(): ServerState {
	const kind = test.info().project.name as Kind;
	if (kind === 'postgres' && !testDatabaseUrl()) {
		throw new Error(
			'REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: point it at a PostgreSQL server ' +
				'(e.g. postgres://postgres@127.0.0.1:5432/postgres) so the fuzz suite runs there too.'
		);
	}
	const server = readState().servers[kind];
	if (!server) throw new Error(`No ${kind} fuzz server was started (see global-setup.ts).`);
	return server;
}

export { postgresRequired };

export interface Verdict {
	answer: Answer;
	problems: string[];
	/** The status the client acts on, when not the HTTP one (an enhanced form's ActionResult). */
	status?: number;
}

interface Group {
	count: number;
	example: string;
}

function seedFor(endpoint: string): number {
	let hash = readState().seed;
	for (const c of endpoint) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) | 0;
	return hash;
}

export async function fuzz<T>(
	endpoint: string,
	arbitrary: fc.Arbitrary<T>,
	numRuns: number,
	judge: (value: T) => Promise<Verdict | Verdict[]>
): Promise<void> {
	const server = currentServer();
	const seed = seedFor(endpoint);
	const groups = new Map<string, Group>();
	const statuses: Record<string, number> = {};
	let cases = 0;
	let problems = 0;
	await fc.assert(
		fc.asyncProperty(arbitrary, async (value) => {
			for (const verdict of [await judge(value)].flat()) {
				cases++;
				const { answer } = verdict;
				const status = verdict.status ?? answer.status;
				statuses[status] = (statuses[status] ?? 0) + 1;
				for (const problem of verdict.problems) {
					problems++;
					const key = `${answer.sent.method} ${endpoint}: ${problem}`;
					const group = groups.get(key);
					if (group) group.count++;
					else
						groups.set(key, {
							count: 1,
							example:
								`${answer.sent.method} ${answer.sent.path.slice(0, 200)}` +
								`${answer.sent.headers['content-type'] ? ` [${answer.sent.headers['content-type'].split(';')[0]}]` : ''}` +
								`${answer.sent.body ? ` ${JSON.stringify(answer.sent.body.slice(0, 200))}` : ''}` +
								` → ${answer.status} ${JSON.stringify(excerpt(answer))}`
						});
				}
			}
		}),
		{ numRuns, seed, endOnFailure: true, maxSkipsPerRun: 1000 }
	);
	recordRun({ kind: server.kind, endpoint, cases, statuses, problems });
	const report = [...groups.entries()]
		.sort((a, b) => b[1].count - a[1].count)
		.map(([key, g]) => `  ${g.count} × ${key}\n      e.g. ${g.example}`)
		.join('\n');
	test.info().annotations.push({
		type: 'fuzz',
		description: `${endpoint} on ${server.kind}: ${cases} cases (seed ${seed}), statuses ${JSON.stringify(statuses)}`
	});
	expect(
		problems,
		`${endpoint} on ${server.kind}: ${problems} problems in ${cases} cases (fast-check seed ${seed}; ` +
			`FUZZ_SEED=${readState().seed} reproduces the run):\n${report}`
	).toBe(0);
}

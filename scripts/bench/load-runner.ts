/**
 * One load test, run by scripts/bench/load.ts as its own process so the load generator never
 * shares an event loop with the benchmark's bookkeeping. Reads a LoadSpec as JSON from argv[2],
 * drives autocannon, and prints a LoadResult as JSON on stdout.
 *
 * Latencies are recorded from each response (autocannon's own summary has no p95).
 */
import { createRequire } from 'node:module';
import type { LoadResult, LoadSpec } from './load';

interface RequestParams {
	method?: string;
	path?: string;
	headers?: Record<string, string>;
	body?: string;
}
interface Instance {
	on(
		event: 'response',
		listener: (client: unknown, status: number, bytes: number, ms: number) => void
	): void;
}
interface Summary {
	errors: number;
	timeouts: number;
	non2xx: number;
	resets: number;
	duration: number;
}
type Autocannon = ((
	options: Record<string, unknown>,
	done: (err: unknown, result: Summary) => void
) => Instance) & { track?: unknown };

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;

/** An IPv4 address per request, from a /8 of its own for each run. */
const address = (octet: number, n: number) =>
	`${octet}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

function request(n: number): RequestParams {
	if (spec.kind === 'get') return { method: 'GET', path: spec.paths[n % spec.paths.length] };
	const slug = spec.slugs[Math.floor(Math.random() * spec.slugs.length)];
	const overall = 1 + Math.floor(Math.random() * 5);
	return {
		method: 'POST',
		path: `/api/providers/${slug}/ratings`,
		headers: {
			'content-type': 'application/json',
			'x-forwarded-for': address(spec.addressOctet, n)
		},
		body: JSON.stringify({
			overall,
			effectiveness: Math.random() < 0.7 ? Math.max(1, overall - 1) : null,
			support: Math.random() < 0.5 ? overall : null,
			recommend: Math.random() < 0.6 ? overall * 2 : null,
			conditions: Math.random() < 0.3 ? ['trd'] : [],
			monthsInTreatment: Math.random() < 0.5 ? 3 : null,
			comment: Math.random() < 0.2 ? 'Benchmark rating: kind staff, careful monitoring.' : null,
			ownExperience: true,
			idempotencyKey: `${spec.keyPrefix}-${n}`
		})
	};
}

function run(
	limit: { connections: number; duration?: number; amount?: number },
	record: boolean
): Promise<{
	summary: Summary;
	latencies: number[];
	statuses: Record<string, number>;
	bytes: number;
}> {
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	let bytes = 0;
	let n = record ? 1_000_000 : 0;
	return new Promise((resolve, reject) => {
		const instance = autocannon(
			{
				url: spec.baseUrl,
				...limit,
				timeout: spec.timeoutSeconds,
				headers: { 'accept-encoding': 'gzip, br', ...spec.headers },
				requests: [{ setupRequest: (req: RequestParams) => ({ ...req, ...request(n++) }) }]
			},
			(err, summary) =>
				err
					? reject(err instanceof Error ? err : new Error('autocannon failed', { cause: err }))
					: resolve({ summary, latencies, statuses, bytes })
		);
		instance.on('response', (_client, status, size, ms) => {
			if (!record) return;
			latencies.push(ms);
			statuses[status] = (statuses[status] ?? 0) + 1;
			bytes += size;
		});
	});
}

const percentile = (sorted: number[], p: number) =>
	sorted.length
		? (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0)
		: 0;

// Warm-up by count, not time: every warm-up request completes, none is left running on the server.
if (spec.warmupRequests > 0)
	await run({ connections: Math.min(10, spec.warmupRequests), amount: spec.warmupRequests }, false);
const { summary, latencies, statuses, bytes } = await run(
	{ connections: spec.connections, duration: spec.durationSeconds },
	true
);
const sorted = latencies.sort((a, b) => a - b);
const ok = Object.entries(statuses)
	.filter(([s]) => s.startsWith('2'))
	.reduce((sum, [, c]) => sum + c, 0);
const result: LoadResult = {
	requests: sorted.length,
	ok,
	seconds: summary.duration,
	reqPerSec: sorted.length / summary.duration,
	okPerSec: ok / summary.duration,
	// None completed within the run: no latency to report (null in JSON), and every budget on it fails.
	p50: sorted.length ? percentile(sorted, 50) : NaN,
	p95: sorted.length ? percentile(sorted, 95) : NaN,
	p99: sorted.length ? percentile(sorted, 99) : NaN,
	max: sorted.at(-1) ?? NaN,
	errors: summary.errors + summary.non2xx,
	timeouts: summary.timeouts,
	statuses,
	bytesPerRequest: sorted.length ? bytes / sorted.length : 0
};
process.stdout.write(JSON.stringify(result));

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

/** What scripts/bench/load-runner.ts is asked to do. */
export type LoadSpec = {
	baseUrl: string;
	connections: number;
	durationSeconds: number;
	/** Requests sent (over up to 10 connections) and completed before the measured run. */
	warmupRequests: number;
	timeoutSeconds: number;
	headers?: Record<string, string>;
} & (
	| { kind: 'get'; paths: string[] }
	| {
			kind: 'rating';
			slugs: string[];
			/** Idempotency keys are `<keyPrefix>-<n>`: unique per request and findable afterwards. */
			keyPrefix: string;
			/** The first octet of this run's X-Forwarded-For addresses. */
			addressOctet: number;
	  }
);

export interface LoadResult {
	/** Completed responses (any status). */
	requests: number;
	/** Of which 2xx. */
	ok: number;
	seconds: number;
	reqPerSec: number;
	okPerSec: number;
	/** Milliseconds; NaN (null in JSON) when no request completed. */
	p50: number;
	p95: number;
	p99: number;
	max: number;
	/** Non-2xx answers plus connection errors and timeouts. */
	errors: number;
	timeouts: number;
	statuses: Record<string, number>;
	bytesPerRequest: number;
}

const RUNNER = resolve('scripts/bench/load-runner.ts');

/** Runs autocannon in a process of its own (node --import tsx) and returns what it measured. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, JSON.stringify(spec)], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		let out = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => (out += chunk));
		child.on('error', fail);
		child.on('close', (code) => {
			if (code !== 0) return fail(new Error(`the load runner exited with ${code}`));
			try {
				const result = JSON.parse(out) as LoadResult;
				// JSON has no NaN: a latency with no completed request arrives as null.
				for (const key of ['p50', 'p95', 'p99', 'max'] as const) result[key] ??= NaN;
				done(result);
			} catch {
				fail(new Error(`the load runner printed no result: ${out.slice(0, 200)}`));
			}
		});
	});
}

/**
 * Waits until the server is idle again: requests still running when autocannon stopped (it drops
 * its connections, not the server's work) would otherwise slow the next endpoint down.
 */
export async function settle(baseUrl: string, maxMs = 60_000) {
	const until = performance.now() + maxMs;
	while (performance.now() < until) {
		const t = performance.now();
		try {
			await (await fetch(`${baseUrl}/robots.txt`)).arrayBuffer();
		} catch {
			/* try again */
		}
		if (performance.now() - t < 20) return;
		await new Promise((r) => setTimeout(r, 100));
	}
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** `node build`, started the way production starts it, watched from outside. */
export interface Server {
	baseUrl: string;
	pid: number;
	/** Spawn to the first 200 on `/`. */
	coldStartMs: number;
	/** Highest VmRSS seen by the sampler, in bytes. */
	sampledPeakRss(): number;
	/** VmHWM (the kernel's peak resident set) in bytes, read now. */
	peakRss(): number;
	stop(): Promise<number | null>;
}

/** Builds the app unless build/ already matches the sources (scripts/start.js keeps a hash). */
export function build() {
	const result = spawnSync(process.execPath, ['scripts/start.js', '--build-only'], {
		stdio: 'inherit'
	});
	if (result.status !== 0) throw new Error('The build failed.');
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
			readFileSync(`/proc/${pid}/status`, 'utf8')
		);
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

async function firstOk(url: string, child: ChildProcess, ms: number) {
	const until = performance.now() + ms;
	while (performance.now() < until) {
		if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
		try {
			const response = await fetch(url);
			await response.arrayBuffer();
			if (response.status === 200) return;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`${url} did not answer 200 within ${ms} ms`);
}

export async function startServer(options: {
	port: number;
	env: Record<string, string>;
	log?: string;
}): Promise<Server> {
	const baseUrl = `http://127.0.0.1:${options.port}`;
	const started = performance.now();
	const child = spawn(process.execPath, ['build'], {
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(options.port),
			SEED_DEMO: 'false',
			ADDRESS_HEADER: 'x-forwarded-for',
			// Every POST comes from its own address; the limits would otherwise hold or refuse them.
			RATING_LIMIT_PER_HOUR: '1000000000',
			RATING_BURST_PER_PROVIDER_PER_HOUR: '1000000000',
			RATING_BURST_PER_ADDRESS_PER_DAY: '1000000000',
			ORIGIN: baseUrl,
			PUBLIC_TILE_URL: '',
			...options.env
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	if (child.pid === undefined) throw new Error('node build did not start');
	const pid = child.pid;
	try {
		await firstOk(`${baseUrl}/`, child, 120_000);
	} catch (err) {
		child.kill('SIGTERM');
		throw err;
	}
	const coldStartMs = performance.now() - started;
	let sampled = 0;
	const sampler = setInterval(() => (sampled = Math.max(sampled, statusKb(pid, 'VmRSS'))), 200);
	return {
		baseUrl,
		pid,
		coldStartMs,
		sampledPeakRss: () => sampled,
		peakRss: () => statusKb(pid, 'VmHWM'),
		stop: () =>
			new Promise((done) => {
				clearInterval(sampler);
				if (child.exitCode !== null) return done(child.exitCode);
				// It must exit by itself: SIGTERM drains requests and closes the database. A server
				// still there a minute later is reported (exit code null) and killed.
				const stuck = setTimeout(() => {
					console.error(`node build (pid ${pid}) did not exit within 60 s of SIGTERM; killing it.`);
					child.kill('SIGKILL');
				}, 60_000);
				child.once('exit', (code) => {
					clearTimeout(stuck);
					done(code);
				});
				child.kill('SIGTERM');
			})
	};
}

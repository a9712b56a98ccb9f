import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load';

/** One measured figure against its budget. */
export interface Check {
	name: string;
	value: string;
	budget: string;
	pass: boolean;
}

export interface EndpointRow {
	name: string;
	path: string;
	result: LoadResult;
	/** okPerSec over the static baseline's, in the same run. */
	ratio: number;
}

const ms = (n: number) => (Number.isNaN(n) ? '—' : n < 10 ? n.toFixed(1) : n.toFixed(0));
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

export function endpointTable(rows: EndpointRow[]): string {
	const head = [
		pad('endpoint', 40),
		lpad('2xx/s', 8),
		lpad('×static', 8),
		lpad('p50', 7),
		lpad('p95', 7),
		lpad('p99', 7),
		lpad('max', 7),
		lpad('errors', 7),
		lpad('B/resp', 8),
		'  statuses'
	].join(' ');
	const lines = rows.map(({ name, result: r, ratio }) =>
		[
			pad(name, 40),
			lpad(r.okPerSec.toFixed(0), 8),
			lpad(`${(ratio * 100).toFixed(1)}%`, 8),
			lpad(ms(r.p50), 7),
			lpad(ms(r.p95), 7),
			lpad(ms(r.p99), 7),
			lpad(ms(r.max), 7),
			lpad(String(r.errors), 7),
			lpad(r.bytesPerRequest.toFixed(0), 8),
			'  ' +
				Object.entries(r.statuses)
					.map(([s, c]) => `${s}×${c}`)
					.join(' ')
		].join(' ')
	);
	return [head, '-'.repeat(head.length), ...lines].join('\n');
}

export function checkTable(checks: Check[]): string {
	const w = Math.max(...checks.map((c) => c.name.length), 10);
	const v = Math.max(...checks.map((c) => c.value.length), 5);
	return checks
		.map(
			(c) =>
				`${c.pass ? 'pass' : 'FAIL'}  ${pad(c.name, w)}  ${lpad(c.value, v)}  (budget ${c.budget})`
		)
		.join('\n');
}

/** bench/results/<timestamp>-<db>-<size>.json; the directory is not committed. */
export function writeResults(db: string, size: string, data: unknown): string {
	mkdirSync('bench/results', { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const file = join('bench/results', `${stamp}-${db}-${size}.json`);
	writeFileSync(file, JSON.stringify(data, null, '\t') + '\n');
	return file;
}

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLocked, LOCK_FILE, lockDataDir } from './lock';

const fresh = () => mkdtempSync(join(tmpdir(), 'kd-lock-'));
const lockHolder = (dir: string) =>
	JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number };

describe('the data directory lock', () => {
	it('is taken, refused to a second taker while held, and free again once released', () => {
		const dir = fresh();
		const release = lockDataDir(dir);
		expect(lockHolder(dir).pid).toBe(process.pid);
		expect(() => lockDataDir(dir)).toThrow(DataDirLocked);
		release();
		expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
		lockDataDir(dir)();
	});

	it('refuses while another living process holds it, naming it and the way out', async () => {
		const dir = fresh();
		const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
		try {
			writeFileSync(
				join(dir, LOCK_FILE),
				JSON.stringify({ pid: other.pid, host: hostname(), since: new Date().toISOString() })
			);
			expect(() => lockDataDir(dir)).toThrow(
				`is in use by another process (pid ${other.pid} on ${hostname()}`
			);
			expect(() => lockDataDir(dir)).toThrow(`delete ${join(dir, LOCK_FILE)}`);
		} finally {
			other.kill('SIGKILL');
			await new Promise((done) => other.on('exit', done));
		}
	});

	it('takes over a lock whose process is gone', async () => {
		const dir = fresh();
		const other = spawn(process.execPath, ['-e', '']);
		await new Promise((done) => other.on('exit', done));
		writeFileSync(
			join(dir, LOCK_FILE),
			JSON.stringify({ pid: other.pid, host: hostname(), since: new Date().toISOString() })
		);
		const release = lockDataDir(dir);
		expect(lockHolder(dir).pid).toBe(process.pid);
		release();
	});

	it('takes over an empty lock file (a crash while writing it)', () => {
		const dir = fresh();
		writeFileSync(join(dir, LOCK_FILE), '');
		lockDataDir(dir)();
	});
});

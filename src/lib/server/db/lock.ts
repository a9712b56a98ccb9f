import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * PGlite does not lock its data directory, and two processes writing one directory lose
 * acknowledged writes. Whoever opens it takes this lock file for the life of the handle; a lock
 * whose process is gone (a crash, kill -9) is stale and taken over.
 */
export const LOCK_FILE = 'directory.lock';

interface Holder {
	pid: number;
	host: string;
	since: string;
}

export class DataDirLocked extends Error {
	constructor(dir: string, holder: Holder) {
		super(
			`The data directory ${dir} is in use by another process (pid ${holder.pid} on ${holder.host}, since ${holder.since}). ` +
				`Stop that server first, or give this one its own DATA_DIR. If no such process is running, delete ${join(dir, LOCK_FILE)}.`
		);
		this.name = 'DataDirLocked';
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (err) {
		// EPERM: it exists but belongs to someone else.
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
	// A killed process whose parent has not reaped it yet still answers: a zombie holds nothing.
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return true;
	}
}

/** Whether the lock's holder still runs (a lock from another machine is never taken over). */
function held(holder: Holder, mine: Holder): boolean {
	if (holder.host !== mine.host) return true;
	if (holder.pid !== mine.pid) return alive(holder.pid);
	// Our own pid: this process opened it already, unless the lock predates this process (a
	// previous run that had the same pid, as in a restarted container).
	return Date.parse(holder.since) >= Date.now() - process.uptime() * 1000 - 1000;
}

function readHolder(file: string): Holder | null {
	try {
		const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
		return typeof holder.pid === 'number' ? (holder as Holder) : null;
	} catch {
		return null;
	}
}

/** Takes the directory's lock or throws DataDirLocked; returns the release function. */
export function lockDataDir(dir: string): () => void {
	const file = join(dir, LOCK_FILE);
	const mine: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
			return () => {
				if (readHolder(file)?.pid === mine.pid) unlinkSync(file);
			};
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		}
		let holder = readHolder(file);
		if (!holder) {
			// Empty or half-written: another process may be taking the lock right now.
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
			holder = readHolder(file);
		}
		if (holder && held(holder, mine)) throw new DataDirLocked(dir, holder);
		try {
			unlinkSync(file);
		} catch {
			// Someone else removed the stale lock first.
		}
	}
	throw new DataDirLocked(dir, readHolder(file) ?? { pid: 0, host: 'unknown', since: 'unknown' });
}

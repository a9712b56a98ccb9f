// Requests the app is still working on, whether or not their client is still there: a client that
// gives up does not stop what it started (a rating waiting for its provider's lock), and the
// database must stay open until that work ends. Plain JavaScript, shared like page-cache.js:
// src/hooks.server.ts counts, scripts/server-entry.js waits for none before closing the database
// (svelte.config.js copies this file beside it in build/; both copies share one count).

/** @typedef {{ working: number, idle: (() => void)[] }} Work */

const WORK = Symbol.for('ketamine-directory.in-flight');

/** @returns {Work} */
function work() {
	const global = /** @type {Record<symbol, Work | undefined>} */ (
		/** @type {unknown} */ (globalThis)
	);
	return (global[WORK] ??= { working: 0, idle: [] });
}

/**
 * Runs `task`, counted as work in flight until it settles.
 * @template T
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
export async function counted(task) {
	const w = work();
	w.working++;
	try {
		return await task();
	} finally {
		w.working--;
		if (w.working === 0) for (const idle of w.idle.splice(0)) idle();
	}
}

/**
 * Calls `then` once no work is in flight (at once when none is).
 * @param {() => void} then
 */
export function whenIdle(then) {
	const w = work();
	if (w.working === 0) then();
	else w.idle.push(then);
}

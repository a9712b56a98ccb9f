import type { DatabaseHandle } from './db';
import { changed, type Change } from './events';
import { describeError, log } from './log';

/**
 * Changes made by the other servers on the same PostgreSQL (decision 020). Triggers (migration
 * 0009) notify `kd_changes` with `<group>|<writer's application_name>` after every write to what
 * public pages show; this LISTENs and announces the others' changes as local events, so each
 * server's caches drop what another server changed. Its own writes are skipped: the writer has
 * announced them already.
 */
export const CHANNEL = 'kd_changes';

const GROUPS: readonly Change[] = ['providers', 'feedback'];

export interface ChangeFeed {
	close(): Promise<void>;
}

/** Starts listening on a PostgreSQL handle; resolves once the first LISTEN is in place. */
export async function startChangeFeed(handle: DatabaseHandle): Promise<ChangeFeed> {
	const applicationName = handle.applicationName;
	if (!handle.listen || !applicationName) throw new Error('The change feed needs PostgreSQL.');
	let open = true;
	const onNotify = (payload: string) => {
		if (!open) return;
		const bar = payload.lastIndexOf('|');
		const group = payload.slice(0, bar) as Change;
		if (bar < 0 || !GROUPS.includes(group) || payload.slice(bar + 1) === applicationName) return;
		changed(group);
	};
	// On the first LISTEN and after every reconnection: whatever happened while nobody listened
	// was missed, so every cache starts again.
	const onListen = () => {
		if (open) for (const group of GROUPS) changed(group);
	};
	const listening = await handle.listen(CHANNEL, onNotify, onListen);
	return {
		async close() {
			if (!open) return;
			open = false;
			try {
				await listening.unlisten();
			} catch (err) {
				// Closing the pool ends the connection anyway.
				log.warn({ err: describeError(err) }, 'stopping the change feed failed');
			}
		}
	};
}

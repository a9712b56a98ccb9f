import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '$lib/server/config';
import { listingRequests, providers, users } from '$lib/server/db/schema';
import * as startup from '$lib/server/startup';
import { first } from '../helpers/rows';

/** The server's start-up and shutdown, on an embedded database in a directory of its own. */
describe('start-up', () => {
	const dirs: string[] = [];
	afterEach(async () => {
		vi.useRealTimers();
		await startup.stop();
		for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
	});
	const settings = (env: Record<string, string>) => {
		const dir = mkdtempSync(join(tmpdir(), 'kd-startup-'));
		dirs.push(dir);
		return parseConfig({ DATA_DIR: dir, ...env });
	};

	it('loads the demo set and creates the first admin from the configuration', async () => {
		await startup.start(
			settings({ ADMIN_EMAIL: 'First@Example.org', ADMIN_PASSWORD: 'a long enough password' })
		);
		const { db } = await startup.database();
		const { n } = first(await db.select({ n: count() }).from(providers));
		expect(n).toBeGreaterThan(100);
		expect(await db.select({ email: users.email, role: users.role }).from(users)).toEqual([
			{ email: 'first@example.org', role: 'admin' }
		]);
	}, 120_000);

	it('erases contact details past their 90 days at start, then every hour until it stops', async () => {
		vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
		const config = settings({ SEED_DEMO: 'false' });
		const decided = (daysAgo: number) => ({
			status: 'rejected' as const,
			payload: {},
			contactName: 'Pat Doe',
			contactEmail: 'pat@example.org',
			message: 'Call me',
			decidedAt: new Date(Date.now() - daysAgo * 86_400_000)
		});
		await startup.start(config);
		const { db } = await startup.database();
		const [expired, dueSoon] = await db
			.insert(listingRequests)
			.values([decided(91), decided(89)])
			.returning({ id: listingRequests.id });
		if (!expired || !dueSoon) throw new Error('the two requests were not stored');

		// Restarting runs the erasure at start.
		await startup.stop();
		await startup.start(config);
		const reopened = (await startup.database()).db;
		expect(reopened).not.toBe(db);
		const read = async (row: { id: number }) =>
			first(
				await reopened
					.select({ email: listingRequests.contactEmail, message: listingRequests.message })
					.from(listingRequests)
					.where(eq(listingRequests.id, row.id))
			);
		expect(await read(expired)).toEqual({ email: '', message: null });
		expect(await read(dueSoon)).toEqual({ email: 'pat@example.org', message: 'Call me' });

		// Time passes: the second one is now past its 90 days, and the hourly run erases it.
		await reopened
			.update(listingRequests)
			.set({ decidedAt: new Date(Date.now() - 91 * 86_400_000) })
			.where(eq(listingRequests.id, dueSoon.id));
		expect(await read(dueSoon)).toEqual({ email: 'pat@example.org', message: 'Call me' });
		await vi.advanceTimersByTimeAsync(60 * 60_000);
		await expect.poll(() => read(dueSoon)).toEqual({ email: '', message: null });

		// Stopped: no timer left behind, the database closed.
		await startup.stop();
		expect(vi.getTimerCount()).toBe(0);
		await expect(reopened.select().from(listingRequests)).rejects.toThrow();
	}, 120_000);
});

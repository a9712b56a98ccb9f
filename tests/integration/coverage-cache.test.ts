import { expect, it } from 'vitest';
import { createUser } from '$lib/server/auth';
import * as providerAdmin from '$lib/server/provider-admin';
import { coverage } from '$lib/server/providers';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';

/**
 * The "Providers by State" matrix is counted once per change to providers (decision 018): asked
 * again with nothing changed it is not counted again, and after any write through the provider
 * writer the very next request sees the change.
 */
describeEachDatabase('the state × route matrix cache', (ctx) => {
	it('is counted once while nothing changes, and again right after a write', async () => {
		const id = await insertProvider(ctx.db, {
			name: 'Cache Test Clinic Wyoming',
			kinds: ['clinic'],
			state: 'WY',
			routes: ['iv', 'im']
		});
		const moderator = await createUser(ctx.db, {
			email: 'cache-moderator@example.org',
			password: 'correct horse battery staple',
			role: 'moderator'
		});
		const first = await coverage(ctx.db);
		// The same counted matrix, not a recount.
		expect(await coverage(ctx.db)).toBe(first);
		const wyoming = (m: typeof first) => m.states.find((s) => s.code === 'WY')!;
		const before = wyoming(first);
		expect(before.byRoute.iv).toBeGreaterThan(0);

		await providerAdmin.changeProvider(ctx.db, id, { status: 'suspended' }, 'closed', moderator);
		const after = await coverage(ctx.db);
		expect(after).not.toBe(first);
		expect(wyoming(after).total).toBe(before.total - 1);
		expect(wyoming(after).byRoute.iv).toBe(before.byRoute.iv - 1);
		expect(after.nation.total).toBe(first.nation.total - 1);

		await providerAdmin.changeProvider(ctx.db, id, { status: 'published' }, undefined, moderator);
		expect(wyoming(await coverage(ctx.db))).toEqual(before);
	});
});

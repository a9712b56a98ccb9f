import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser, type SessionUser } from '$lib/server/auth';
import { auditLog } from '$lib/server/db/schema';
import { changeStatus } from '$lib/server/provider-admin';
import { loadRecord } from '$lib/server/providers';
import { actions } from '../../src/routes/admin/(staff)/providers/[id]/+page.server';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';

/**
 * Two moderators acting on the same listing at once: the status rule is decided under the
 * provider's row lock, so exactly one of them changes it (one audit entry) and the other is told
 * it was already done.
 */
describeEachDatabase('status changes race', (ctx) => {
	let n = 0;
	const moderator = () =>
		createUser(ctx.db, {
			email: `race-moderator-${++n}@example.org`,
			password: 'x'.repeat(12),
			role: 'moderator'
		});

	const auditActions = async (providerId: number, action: string) =>
		ctx.db
			.select()
			.from(auditLog)
			.where(
				and(
					eq(auditLog.entityType, 'provider'),
					eq(auditLog.entityId, String(providerId)),
					eq(auditLog.action, action)
				)
			);

	const post = (user: SessionUser, id: number, action: 'suspend' | 'unsuspend', reason: string) => {
		const body = new FormData();
		body.set('reason', reason);
		const path = `/admin/providers/${id}?/${action}`;
		return actions[action]({
			locals: { db: ctx.db, dbKind: ctx.kind, user },
			params: { id: String(id) },
			url: new URL(`http://localhost${path}`),
			request: new Request(`http://localhost${path}`, { method: 'POST', body })
		} as never);
	};

	it('lets one of two simultaneous suspends through; the other hears "already suspended"', async () => {
		const [first, second] = await Promise.all([moderator(), moderator()]);
		const id = await insertProvider(ctx.db, {
			name: 'Twice Suspended Clinic',
			kinds: ['clinic'],
			state: 'ME'
		});

		const answers = await Promise.all([
			post(first, id, 'suspend', 'Closed, says the landlord'),
			post(second, id, 'suspend', 'Phone disconnected')
		]);

		const done = answers.filter((a) => a && 'done' in a);
		const refused = answers.filter((a) => a && 'status' in a);
		expect(done).toEqual([
			{ action: 'suspend', done: 'The listing is suspended: it is no longer on the site.' }
		]);
		expect(refused).toMatchObject([
			{ status: 409, data: { errors: { form: 'The listing was already suspended.' } } }
		]);
		expect((await loadRecord(ctx.db, { id }))?.status).toBe('suspended');
		expect(await auditActions(id, 'provider.suspend')).toHaveLength(1);
	});

	it('answers a second publish of a published listing with "already published"', async () => {
		const user = await moderator();
		const id = await insertProvider(ctx.db, {
			name: 'Already Open Clinic',
			kinds: ['clinic'],
			state: 'ME'
		});
		expect(await post(user, id, 'unsuspend', '')).toMatchObject({
			status: 409,
			data: { errors: { form: 'The listing was already published.' } }
		});
		expect(await auditActions(id, 'provider.publish')).toHaveLength(0);
	});

	it('decides simultaneous status changes in the server, one audit entry each change', async () => {
		const user = await moderator();
		const id = await insertProvider(ctx.db, {
			name: 'Contested Clinic',
			kinds: ['clinic'],
			state: 'ME'
		});
		const outcomes = await Promise.all(
			Array.from({ length: 4 }, () => changeStatus(ctx.db, id, 'suspended', 'Closed', user))
		);
		expect(outcomes.sort()).toEqual(['changed', 'unchanged', 'unchanged', 'unchanged']);
		expect(await auditActions(id, 'provider.suspend')).toHaveLength(1);
		expect(await changeStatus(ctx.db, 2_000_000_000, 'published', undefined, user)).toBe(
			'not_found'
		);
	});
});

import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import {
	createUser,
	ensureFirstAdmin,
	revokeSessions,
	signIn,
	signOut,
	userForToken
} from '$lib/server/auth';
import { auditLog, sessions, users } from '$lib/server/db/schema';
import { feedbackFor, held, setRatingStatus, submitRating } from '$lib/server/ratings';
import { ratingSchema } from '$lib/schemas/rating';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';
import { missing } from '../helpers/rows';

const PASSWORD = 'correct horse battery staple';

describeEachDatabase('admin accounts and moderation', (ctx) => {
	it('creates the first admin from the environment once, with an argon2id hash', async () => {
		const first = await ensureFirstAdmin(ctx.db, {
			ADMIN_EMAIL: 'Admin@Example.org',
			ADMIN_PASSWORD: PASSWORD
		});
		expect(first).toMatchObject({ email: 'admin@example.org', role: 'admin' });
		expect(
			await ensureFirstAdmin(ctx.db, { ADMIN_EMAIL: 'other@example.org', ADMIN_PASSWORD: PASSWORD })
		).toBeNull();
		const [row = missing()] = await ctx.db
			.select()
			.from(users)
			.where(eq(users.email, 'admin@example.org'));
		expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(row.passwordHash).not.toContain(PASSWORD);
		await expect(
			createUser(ctx.db, { email: 'short@example.org', password: 'short', role: 'moderator' })
		).rejects.toThrow(/at least 12/);
	});

	it('signs in with the right password only, stores only a hash of the token, and signs out', async () => {
		await createUser(ctx.db, { email: 'mod@example.org', password: PASSWORD, role: 'moderator' });
		const wrong = await signIn(ctx.db, 'mod@example.org', 'wrong password!!', 'client-a');
		expect(wrong).toEqual({
			ok: false,
			message: 'That email and password do not match an account.'
		});
		const unknown = await signIn(ctx.db, 'nobody@example.org', PASSWORD, 'client-a');
		expect(unknown.ok).toBe(false);

		const ok = await signIn(ctx.db, ' MOD@example.org ', PASSWORD, 'client-a');
		if (!ok.ok) throw new Error(ok.message);
		expect(ok.user).toMatchObject({ email: 'mod@example.org', role: 'moderator' });
		const stored = await ctx.db.select().from(sessions).where(eq(sessions.userId, ok.user.id));
		expect(stored).toHaveLength(1);
		expect(stored[0]?.id).not.toBe(ok.token);
		expect(stored[0]?.id).toMatch(/^[0-9a-f]{64}$/);
		expect(await userForToken(ctx.db, ok.token)).toEqual(ok.user);

		// A second sign-in gets a different token; signing out ends only that session.
		const again = await signIn(ctx.db, 'mod@example.org', PASSWORD, 'client-a');
		if (!again.ok) throw new Error(again.message);
		expect(again.token).not.toBe(ok.token);
		await signOut(ctx.db, ok.token);
		expect(await userForToken(ctx.db, ok.token)).toBeNull();
		expect(await userForToken(ctx.db, again.token)).not.toBeNull();
		await revokeSessions(ctx.db, again.user.id);
		expect(await userForToken(ctx.db, again.token)).toBeNull();
	});

	it('rejects expired sessions and disabled accounts', async () => {
		const user = await createUser(ctx.db, {
			email: 'exp@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const session = await signIn(ctx.db, 'exp@example.org', PASSWORD, 'client-b');
		if (!session.ok) throw new Error(session.message);
		await ctx.db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.userId, user.id));
		expect(await userForToken(ctx.db, session.token)).toBeNull();

		const fresh = await signIn(ctx.db, 'exp@example.org', PASSWORD, 'client-b');
		if (!fresh.ok) throw new Error(fresh.message);
		await ctx.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
		expect(await userForToken(ctx.db, fresh.token)).toBeNull();
		expect((await signIn(ctx.db, 'exp@example.org', PASSWORD, 'client-b')).ok).toBe(false);
	});

	it('a moderator publishes a held rating: the aggregate changes and the audit log records it', async () => {
		const moderator = await createUser(ctx.db, {
			email: 'queue@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const providerId = await insertProvider(ctx.db, {
			name: 'Queue Clinic',
			kinds: ['clinic'],
			state: 'TX',
			routes: ['iv']
		});
		const limits = {
			perAddressPerHour: 100,
			repeatDays: 30,
			burstPerProviderPerHour: 1,
			burstPerAddressPerDay: 100
		};
		const input = (i: number) =>
			ratingSchema.parse({
				overall: 2 + i,
				ownExperience: true,
				idempotencyKey: `queue-${ctx.kind}-${i}`
			});
		const first = await submitRating(
			ctx.db,
			'queue-clinic',
			input(1),
			{ address: '192.0.2.1' },
			{ limits }
		);
		const second = await submitRating(
			ctx.db,
			'queue-clinic',
			input(2),
			{ address: '192.0.2.2' },
			{ limits }
		);
		expect(first).toMatchObject({ ok: true, status: 'published' });
		expect(second).toMatchObject({ ok: true, status: 'held' });
		const queue = await held(ctx.db);
		expect(queue.items.map((r) => r.overall).sort()).toEqual([3, 4]);
		if (!second.ok) return;
		// The burst held both: nothing is published yet.
		expect((await feedbackFor(ctx.db, [providerId])).get(providerId)).toMatchObject({
			summary: { count: 0 },
			heldCount: 2
		});

		expect(
			await setRatingStatus(
				ctx.db,
				second.id,
				'published',
				'Genuine: matches the clinic records',
				moderator
			)
		).toBe(true);
		const entries = await ctx.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.entityId, String(second.id)));
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({
			actorId: moderator.id,
			action: 'rating.publish',
			entityType: 'rating',
			before: { status: 'held' },
			after: { status: 'published' },
			reason: 'Genuine: matches the clinic records'
		});
		expect((await held(ctx.db)).items.map((r) => r.overall)).toEqual([3]);
		expect((await feedbackFor(ctx.db, [providerId])).get(providerId)).toMatchObject({
			summary: { count: 1, overallMean: 4 },
			heldCount: 1
		});
	});
});

import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser, PASSWORD_MIN, signIn, userForToken, type SessionUser } from '$lib/server/auth';
import type { Database } from '$lib/server/db';
import { auditLog, sessions, users } from '$lib/server/db/schema';
import {
	changeRole,
	createAccount,
	disableUser,
	DUPLICATE_EMAIL,
	enableUser,
	LAST_ADMIN,
	listUsers,
	setPassword
} from '$lib/server/users';
import {
	changeRoleSchema,
	createUserSchema,
	PASSWORD_MIN as FORM_PASSWORD_MIN,
	setPasswordSchema
} from '$lib/schemas/users';
import { describeEachDatabase } from '../helpers/databases';
import { missing } from '../helpers/rows';

const PASSWORD = 'correct horse battery staple';

let n = 0;
/** An address no other test uses. */
const email = (label: string) => `${label}-${++n}-${Date.now().toString(36)}@example.org`;

async function admin(db: Database, label = 'admin'): Promise<SessionUser> {
	return createUser(db, { email: email(label), password: PASSWORD, role: 'admin' });
}

async function entriesFor(db: Database, userId: number) {
	return db
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.entityType, 'user'), eq(auditLog.entityId, String(userId))))
		.orderBy(auditLog.id);
}

async function signedIn(db: Database, address: string, password = PASSWORD) {
	const session = await signIn(db, address, password, `users-test-${address}`);
	if (!session.ok) throw new Error(session.message);
	return session;
}

describeEachDatabase('user management', (ctx) => {
	it('creates an account with an argon2id hash and a hash-free audit entry', async () => {
		const actor = await admin(ctx.db);
		const input = createUserSchema.parse({
			email: '  New.Moderator@Example.org ',
			role: 'moderator',
			password: PASSWORD
		});
		const result = await createAccount(ctx.db, input, actor);
		if (!result.ok) throw new Error(result.message);
		expect(result.user).toMatchObject({
			email: 'new.moderator@example.org',
			role: 'moderator',
			disabledAt: null
		});
		const [row = missing()] = await ctx.db.select().from(users).where(eq(users.id, result.user.id));
		expect(row.passwordHash).toMatch(/^\$argon2id\$/);
		expect((await listUsers(ctx.db)).map((u) => u.email)).toContain('new.moderator@example.org');

		const entries = await entriesFor(ctx.db, result.user.id);
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({
			actorId: actor.id,
			action: 'user.create',
			before: null,
			after: { email: 'new.moderator@example.org', role: 'moderator', disabledAt: null }
		});
		expect(JSON.stringify(entries[0])).not.toContain(row.passwordHash);
		expect(JSON.stringify(entries[0])).not.toContain(PASSWORD);

		// The new account can sign in with the password the admin chose.
		const session = await signedIn(ctx.db, 'new.moderator@example.org');
		expect(session.user.role).toBe('moderator');
	});

	it('refuses a duplicate email whatever its case, and writes nothing', async () => {
		const actor = await admin(ctx.db);
		const address = email('dup');
		const first = await createAccount(
			ctx.db,
			{ email: address, role: 'moderator', password: PASSWORD },
			actor
		);
		expect(first.ok).toBe(true);
		const before = await ctx.db.select().from(auditLog);
		const again = await createAccount(
			ctx.db,
			createUserSchema.parse({ email: address.toUpperCase(), role: 'admin', password: PASSWORD }),
			actor
		);
		expect(again).toEqual({ ok: false, status: 400, field: 'email', message: DUPLICATE_EMAIL });
		expect(await ctx.db.select().from(auditLog)).toHaveLength(before.length);
		// A row stored with different case (e.g. by an older script) still counts as taken.
		const mixed = email('Mixed');
		await ctx.db.insert(users).values({ email: mixed, passwordHash: 'x', role: 'moderator' });
		expect(
			await createAccount(
				ctx.db,
				{ email: mixed.toLowerCase(), role: 'moderator', password: PASSWORD },
				actor
			)
		).toMatchObject({ ok: false, field: 'email', message: DUPLICATE_EMAIL });
	});

	it('validates the forms with a message per field', () => {
		const bad = createUserSchema.safeParse({
			email: 'not an email',
			role: 'provider',
			password: 'short'
		});
		expect(bad.success).toBe(false);
		const fields = Object.fromEntries(
			bad.error!.issues.map((i) => [String(i.path[0]), i.message] as const)
		);
		expect(fields).toEqual({
			email: 'Enter an email address like name@example.org.',
			role: 'Choose admin or moderator.',
			password: `Use at least ${PASSWORD_MIN} characters.`
		});
		expect(FORM_PASSWORD_MIN).toBe(PASSWORD_MIN);
		expect(setPasswordSchema.safeParse({ userId: '7', password: 'x'.repeat(11) }).success).toBe(
			false
		);
		expect(changeRoleSchema.safeParse({ userId: 'abc', role: 'admin' }).success).toBe(false);
		expect(changeRoleSchema.parse({ userId: '7', role: 'admin' })).toEqual({
			userId: 7,
			role: 'admin'
		});
	});

	it('changes a role, in the audit log, and the change applies to the open session', async () => {
		const actor = await admin(ctx.db);
		const mod = await createUser(ctx.db, {
			email: email('promote'),
			password: PASSWORD,
			role: 'moderator'
		});
		const session = await signedIn(ctx.db, mod.email);

		const promoted = await changeRole(ctx.db, mod.id, 'admin', actor);
		expect(promoted).toMatchObject({ ok: true, changed: true, user: { role: 'admin' } });
		expect(await userForToken(ctx.db, session.token)).toMatchObject({ role: 'admin' });

		// Asking for the role it already has changes and records nothing.
		expect(await changeRole(ctx.db, mod.id, 'admin', actor)).toMatchObject({
			ok: true,
			changed: false
		});
		const demoted = await changeRole(ctx.db, mod.id, 'moderator', actor);
		expect(demoted).toMatchObject({ ok: true, changed: true, user: { role: 'moderator' } });

		const entries = await entriesFor(ctx.db, mod.id);
		expect(entries.map((e) => [e.action, e.actorId, e.before, e.after])).toEqual([
			[
				'user.role',
				actor.id,
				{ email: mod.email, role: 'moderator' },
				{ email: mod.email, role: 'admin' }
			],
			[
				'user.role',
				actor.id,
				{ email: mod.email, role: 'admin' },
				{ email: mod.email, role: 'moderator' }
			]
		]);
	});

	it('disabling ends every session at once; re-enabling lets the person sign in again', async () => {
		const actor = await admin(ctx.db);
		const mod = await createUser(ctx.db, {
			email: email('disable'),
			password: PASSWORD,
			role: 'moderator'
		});
		const one = await signedIn(ctx.db, mod.email);
		const two = await signedIn(ctx.db, mod.email);
		expect(await userForToken(ctx.db, one.token)).not.toBeNull();

		const disabled = await disableUser(ctx.db, mod.id, actor);
		if (!disabled.ok) throw new Error(disabled.message);
		expect(disabled.user.disabledAt).toBeInstanceOf(Date);
		expect(await userForToken(ctx.db, one.token)).toBeNull();
		expect(await userForToken(ctx.db, two.token)).toBeNull();
		expect(await ctx.db.select().from(sessions).where(eq(sessions.userId, mod.id))).toEqual([]);
		expect((await signIn(ctx.db, mod.email, PASSWORD, 'users-test-disabled')).ok).toBe(false);
		expect((await listUsers(ctx.db)).find((u) => u.id === mod.id)?.disabledAt).toBeInstanceOf(Date);
		// Disabling twice records nothing more.
		expect(await disableUser(ctx.db, mod.id, actor)).toMatchObject({ ok: true, changed: false });

		const enabled = await enableUser(ctx.db, mod.id, actor);
		expect(enabled).toMatchObject({ ok: true, changed: true, user: { disabledAt: null } });
		const back = await signedIn(ctx.db, mod.email);
		expect(await userForToken(ctx.db, back.token)).toMatchObject({ id: mod.id });
		// The old tokens stay dead.
		expect(await userForToken(ctx.db, one.token)).toBeNull();

		const entries = await entriesFor(ctx.db, mod.id);
		expect(entries.map((e) => e.action)).toEqual(['user.disable', 'user.enable']);
		const [off = missing(), on = missing()] = entries;
		expect(off.before).toEqual({ email: mod.email, disabledAt: null });
		expect(off.after).toMatchObject({ email: mod.email, sessionsEnded: 2 });
		const stamp = (off.after as { disabledAt: string }).disabledAt;
		expect(new Date(stamp).getTime()).toBe(disabled.user.disabledAt!.getTime());
		expect(on.before).toEqual({ email: mod.email, disabledAt: stamp });
		expect(on.after).toEqual({ email: mod.email, disabledAt: null });
	});

	it('sets a new password: the old one stops working, sessions end, no hash in the log', async () => {
		const actor = await admin(ctx.db);
		const mod = await createUser(ctx.db, {
			email: email('password'),
			password: PASSWORD,
			role: 'moderator'
		});
		const session = await signedIn(ctx.db, mod.email);
		const [{ passwordHash: oldHash } = missing()] = await ctx.db
			.select({ passwordHash: users.passwordHash })
			.from(users)
			.where(eq(users.id, mod.id));

		expect(await setPassword(ctx.db, mod.id, 'too short', actor)).toMatchObject({
			ok: false,
			field: 'password'
		});
		const NEW = 'a different long passphrase';
		expect(await setPassword(ctx.db, mod.id, NEW, actor)).toMatchObject({ ok: true });
		expect(await userForToken(ctx.db, session.token)).toBeNull();
		expect((await signIn(ctx.db, mod.email, PASSWORD, 'users-test-old-pw')).ok).toBe(false);
		expect((await signedIn(ctx.db, mod.email, NEW)).user.id).toBe(mod.id);

		const [{ passwordHash: newHash } = missing()] = await ctx.db
			.select({ passwordHash: users.passwordHash })
			.from(users)
			.where(eq(users.id, mod.id));
		expect(newHash).not.toBe(oldHash);
		const entries = await entriesFor(ctx.db, mod.id);
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({ action: 'user.password', actorId: actor.id });
		expect(entries[0]?.after).toMatchObject({ sessionsEnded: 1 });
		const logged = JSON.stringify([entries[0]?.before, entries[0]?.after]);
		for (const secret of [oldHash, newHash, PASSWORD, NEW, '$argon2']) {
			expect(logged).not.toContain(secret);
		}
	});

	it('an admin cannot disable or demote themselves', async () => {
		const me = await admin(ctx.db, 'self');
		await admin(ctx.db, 'other'); // so "last admin" is not the reason
		expect(await disableUser(ctx.db, me.id, me)).toEqual({
			ok: false,
			status: 400,
			field: 'form',
			message: 'You cannot disable your own account.'
		});
		expect(await changeRole(ctx.db, me.id, 'moderator', me)).toEqual({
			ok: false,
			status: 400,
			field: 'role',
			message: 'You cannot remove your own admin role. Ask another admin.'
		});
		const [row] = await ctx.db.select().from(users).where(eq(users.id, me.id));
		expect(row).toMatchObject({ role: 'admin', disabledAt: null });
		expect(await entriesFor(ctx.db, me.id)).toEqual([]);
		// Unknown accounts are a 404, not a crash.
		expect(await disableUser(ctx.db, 2_000_000, me)).toMatchObject({ ok: false, status: 404 });
		expect(await enableUser(ctx.db, 2_000_000, me)).toMatchObject({ ok: false, status: 404 });
		expect(await changeRole(ctx.db, 2_000_000, 'admin', me)).toMatchObject({
			ok: false,
			status: 404
		});
		expect(await setPassword(ctx.db, 2_000_000, PASSWORD, me)).toMatchObject({
			ok: false,
			status: 404
		});
	});

	it('never removes the last active admin, even when two admins act on each other at once', async () => {
		const last = await admin(ctx.db, 'last');
		const mod = await createUser(ctx.db, {
			email: email('witness'),
			password: PASSWORD,
			role: 'moderator'
		});
		// Set the stage: every other admin is disabled for the length of this test.
		const others = await ctx.db
			.update(users)
			.set({ disabledAt: new Date() })
			.where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, last.id)))
			.returning({ id: users.id });
		try {
			// The actor here is a moderator only to make "not yourself" hold; routes allow admins only.
			expect(await disableUser(ctx.db, last.id, mod)).toEqual({
				ok: false,
				status: 400,
				field: 'form',
				message: LAST_ADMIN
			});
			expect(await changeRole(ctx.db, last.id, 'moderator', mod)).toMatchObject({
				ok: false,
				field: 'role',
				message: LAST_ADMIN
			});
			// With a second active admin, one of the two may go, never both.
			const second = await admin(ctx.db, 'second');
			const both = await Promise.all([
				disableUser(ctx.db, last.id, second),
				disableUser(ctx.db, second.id, last)
			]);
			expect(both.filter((r) => r.ok)).toHaveLength(1);
			expect(both.filter((r) => !r.ok)).toEqual([
				{ ok: false, status: 400, field: 'form', message: LAST_ADMIN }
			]);
			const active = await ctx.db
				.select({ id: users.id })
				.from(users)
				.where(and(eq(users.role, 'admin'), isNull(users.disabledAt)));
			expect(active).toHaveLength(1);
		} finally {
			if (others.length) {
				await ctx.db
					.update(users)
					.set({ disabledAt: null })
					.where(
						inArray(
							users.id,
							others.map((o) => o.id)
						)
					);
			}
		}
	});
});

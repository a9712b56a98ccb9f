import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
	CHALLENGE_EXPIRED,
	CODE_NO_MATCH,
	completeSignIn,
	confirmIdentity,
	createUser,
	revokeSessions,
	signIn,
	userForToken,
	type SessionUser,
	type SignInResult
} from '$lib/server/auth';
import type { Database } from '$lib/server/db';
import {
	auditLog,
	recoveryCodes,
	sessions,
	signInChallenges,
	userSecondFactors,
	users
} from '$lib/server/db/schema';
import * as secondFactor from '$lib/server/second-factor';
import {
	SECURE_SESSION_COOKIE,
	SESSION_COOKIE,
	secondFactorGate,
	sessionCookieName,
	sessionCookieOptions
} from '$lib/server/session-cookie';
import { ACCOUNT_FAILURES } from '$lib/server/sign-in-limits';
import { listUsers, resetSecondFactor } from '$lib/server/users';
import { describeEachDatabase } from '../helpers/databases';

const PASSWORD = 'correct horse battery staple';
const TOO_MANY = /^Too many sign-in attempts\. Please try again in 1[45] minutes\.$/;

const step = (offset = 0) => Math.floor(Date.now() / 30_000) + offset;
/** The code an authenticator app shows, `offset` 30-second steps from now. */
const codeAt = (key: Uint8Array, offset = 0) => generateHOTP(key, BigInt(step(offset)), 6);

let addressCounter = 0;
const nextAddress = () => `203.0.113.${++addressCounter % 250}`;

function challengeOf(result: SignInResult): string {
	if (result.ok || !result.challenge)
		throw new Error(`expected a challenge: ${JSON.stringify(result)}`);
	return result.challenge;
}

function sessionOf(result: SignInResult) {
	if (!result.ok) throw new Error(`expected a session: ${result.message}`);
	return result;
}

/** Enrols `user` as a person would: start, read the key shown, type the app's code. */
async function enrol(db: Database, user: SessionUser) {
	expect(await secondFactor.startEnrolment(db, user.id)).toBe(true);
	const shown = await secondFactor.status(db, user);
	if (!shown.pending) throw new Error('no pending key shown');
	const key = decodeBase32IgnorePadding(shown.pending.secret.replace(/ /g, ''));
	const confirmed = await secondFactor.confirmEnrolment(db, user.id, codeAt(key));
	if (!confirmed.ok) throw new Error(confirmed.message);
	return { key, recoveryCodes: confirmed.recoveryCodes, shown: shown.pending };
}

describeEachDatabase('staff second factor (TOTP and recovery codes)', (ctx) => {
	it('enrols with a confirmed code, stores only hashes of the recovery codes, and audits it', async () => {
		const user = await createUser(ctx.db, {
			email: 'enrol@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		expect(await secondFactor.status(ctx.db, user)).toEqual({
			enabled: false,
			pending: null,
			recoveryCodesLeft: 0
		});
		expect(await secondFactor.startEnrolment(ctx.db, user.id)).toBe(true);
		const pending = (await secondFactor.status(ctx.db, user)).pending;
		if (!pending) throw new Error('no pending key');
		// 20 bytes → 32 base32 characters, in groups of four for typing.
		expect(pending.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
		const key = decodeBase32IgnorePadding(pending.secret.replace(/ /g, ''));
		const uri = new URL(pending.uri);
		expect(uri.protocol).toBe('otpauth:');
		expect(uri.host).toBe('totp');
		expect(decodeURIComponent(uri.pathname)).toBe('/Ketamine Provider Directory:enrol@example.org');
		expect(Object.fromEntries(uri.searchParams)).toEqual({
			issuer: 'Ketamine Provider Directory',
			algorithm: 'SHA1',
			secret: pending.secret.replace(/ /g, ''),
			period: '30',
			digits: '6'
		});

		// Not on until a code from the new key checks out.
		const wrong = String((Number(codeAt(key)) + 1) % 1_000_000).padStart(6, '0');
		expect((await secondFactor.confirmEnrolment(ctx.db, user.id, wrong)).ok).toBe(false);
		expect(await secondFactor.isEnabled(ctx.db, user.id)).toBe(false);
		expect(sessionOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress())).user.id).toBe(
			user.id
		);

		const confirmed = await secondFactor.confirmEnrolment(ctx.db, user.id, codeAt(key));
		if (!confirmed.ok) throw new Error(confirmed.message);
		expect(confirmed.recoveryCodes).toHaveLength(10);
		expect(new Set(confirmed.recoveryCodes).size).toBe(10);
		for (const code of confirmed.recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
		expect(await secondFactor.status(ctx.db, user)).toEqual({
			enabled: true,
			pending: null,
			recoveryCodesLeft: 10
		});
		const stored = await ctx.db
			.select()
			.from(recoveryCodes)
			.where(eq(recoveryCodes.userId, user.id));
		expect(stored).toHaveLength(10);
		const text = JSON.stringify(stored);
		for (const code of confirmed.recoveryCodes) {
			expect(text).not.toContain(code);
			expect(text).not.toContain(code.replace('-', ''));
		}
		// Starting again while on does not replace the key.
		expect(await secondFactor.startEnrolment(ctx.db, user.id)).toBe(false);
		const entries = await ctx.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'user.second-factor.enable'));
		expect(entries).toMatchObject([{ actorId: user.id, entityId: String(user.id) }]);
	});

	it('asks for the code after the password and creates no session until it passes', async () => {
		const user = await createUser(ctx.db, {
			email: 'two-step@example.org',
			password: PASSWORD,
			role: 'admin'
		});
		const { key } = await enrol(ctx.db, user);
		const countSessions = async () =>
			(await ctx.db.select().from(sessions).where(eq(sessions.userId, user.id))).length;

		// A wrong password still says only that.
		expect(await signIn(ctx.db, user.email, 'not the password', nextAddress())).toEqual({
			ok: false,
			message: 'That email and password do not match an account.'
		});

		const challenge = challengeOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		expect(await countSessions()).toBe(0);
		// Only a hash of the challenge token is stored.
		const [pending] = await ctx.db.select().from(signInChallenges);
		expect(pending?.id).toMatch(/^[0-9a-f]{64}$/);
		expect(pending?.id).not.toBe(challenge);

		const wrong = await completeSignIn(ctx.db, challenge, '000000', nextAddress());
		// (one chance in a million that 000000 is the code right now)
		expect(wrong).toEqual({ ok: false, message: CODE_NO_MATCH, challenge });
		expect(await countSessions()).toBe(0);

		// The code used to confirm enrolment cannot be replayed; the app's next code works.
		expect((await completeSignIn(ctx.db, challenge, codeAt(key), nextAddress())).ok).toBe(false);
		const session = sessionOf(
			await completeSignIn(ctx.db, challenge, codeAt(key, 1), nextAddress())
		);
		expect(await userForToken(ctx.db, session.token)).toEqual({
			id: user.id,
			email: user.email,
			role: 'admin'
		});
		expect(await countSessions()).toBe(1);

		// The challenge passed once: it cannot open a second session.
		expect(await completeSignIn(ctx.db, challenge, codeAt(key, 1), nextAddress())).toEqual({
			ok: false,
			message: CHALLENGE_EXPIRED,
			restart: true
		});
	});

	it('refuses forged, expired and disabled-account challenges', async () => {
		const user = await createUser(ctx.db, {
			email: 'forge@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const { key } = await enrol(ctx.db, user);
		const restart = { ok: false, message: CHALLENGE_EXPIRED, restart: true };
		// A made-up token, or the stored hash itself, is not a challenge.
		expect(await completeSignIn(ctx.db, 'A'.repeat(43), codeAt(key, 1), nextAddress())).toEqual(
			restart
		);
		const challenge = challengeOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		const [row] = await ctx.db
			.select()
			.from(signInChallenges)
			.where(eq(signInChallenges.userId, user.id));
		expect(await completeSignIn(ctx.db, row!.id, codeAt(key, 1), nextAddress())).toEqual(restart);

		await ctx.db
			.update(signInChallenges)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(signInChallenges.userId, user.id));
		expect(await completeSignIn(ctx.db, challenge, codeAt(key, 1), nextAddress())).toEqual(restart);

		// Sessions revoked (a new password, say) end the half-done sign-ins too.
		const pending = challengeOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		await revokeSessions(ctx.db, user.id);
		expect(await completeSignIn(ctx.db, pending, codeAt(key, 1), nextAddress())).toEqual(restart);

		// An account disabled between the two steps gets no session.
		const late = challengeOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		await ctx.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
		expect(await completeSignIn(ctx.db, late, codeAt(key, 1), nextAddress())).toEqual(restart);
	});

	it('accepts each recovery code once', async () => {
		const user = await createUser(ctx.db, {
			email: 'recovery@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const { recoveryCodes: codes } = await enrol(ctx.db, user);
		const [first = '', second = ''] = codes;
		const challenge = challengeOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		// Typed in capitals and without the dash, it still works.
		const typed = first.replace('-', '').toUpperCase();
		sessionOf(await completeSignIn(ctx.db, challenge, typed, nextAddress()));
		expect((await secondFactor.status(ctx.db, user)).recoveryCodesLeft).toBe(9);

		const again = challengeOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		expect(await completeSignIn(ctx.db, again, first, nextAddress())).toEqual({
			ok: false,
			message: CODE_NO_MATCH,
			challenge: again
		});
		sessionOf(await completeSignIn(ctx.db, again, second, nextAddress()));
		expect((await secondFactor.status(ctx.db, user)).recoveryCodesLeft).toBe(8);
	});

	it('counts wrong codes toward the account failure limit, whatever the address', async () => {
		const user = await createUser(ctx.db, {
			email: 'code-guess@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const { key } = await enrol(ctx.db, user);
		const challenge = challengeOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		const right = codeAt(key, 1);
		const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
		for (let i = 0; i < ACCOUNT_FAILURES; i++) {
			const result = await completeSignIn(ctx.db, challenge, wrong, nextAddress());
			expect(result).toMatchObject({ ok: false, message: CODE_NO_MATCH });
		}
		const blocked = await completeSignIn(ctx.db, challenge, right, nextAddress());
		expect(blocked.ok).toBe(false);
		if (blocked.ok) return;
		expect(blocked.message).toMatch(TOO_MANY);
		// The password step is refused too: it is one limit.
		const again = await signIn(ctx.db, user.email, PASSWORD, nextAddress());
		expect(again).toMatchObject({ ok: false, retryAfterSeconds: expect.any(Number) as number });
	});

	it('turns off only with the password or a current code', async () => {
		const user = await createUser(ctx.db, {
			email: 'turn-off@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const { key } = await enrol(ctx.db, user);
		expect(await confirmIdentity(ctx.db, user, 'not the password', nextAddress())).toEqual({
			ok: false,
			message: 'That password or code is not right.'
		});
		expect((await confirmIdentity(ctx.db, user, codeAt(key, 1), nextAddress())).ok).toBe(true);
		expect((await confirmIdentity(ctx.db, user, PASSWORD, nextAddress())).ok).toBe(true);
		await secondFactor.disable(ctx.db, user.id);
		expect(
			await ctx.db.select().from(userSecondFactors).where(eq(userSecondFactors.userId, user.id))
		).toEqual([]);
		expect(
			await ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))
		).toEqual([]);
		sessionOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		expect(
			await ctx.db.select().from(auditLog).where(eq(auditLog.action, 'user.second-factor.disable'))
		).toMatchObject([{ actorId: user.id }]);
	});

	it('with REQUIRE_ADMIN_2FA, sends an admin without a second factor to enrol (moderators unaffected)', async () => {
		const admin = await createUser(ctx.db, {
			email: 'gate-admin@example.org',
			password: PASSWORD,
			role: 'admin'
		});
		const moderator = await createUser(ctx.db, {
			email: 'gate-mod@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const gate = (user: SessionUser, path: string, required = true) =>
			secondFactorGate(
				{
					locals: { db: ctx.db, dbKind: ctx.kind, user, requestId: 'test' },
					url: new URL(path, 'http://x')
				},
				required
			);
		const sent = await gate(admin, '/admin/users');
		expect(sent?.status).toBe(303);
		expect(sent?.headers.get('location')).toBe('/admin/account/security');
		expect((await gate(admin, '/admin/import?/import'))?.status).toBe(303);
		expect(await gate(admin, '/admin/account/security')).toBeNull();
		expect(await gate(admin, '/admin/sign-out')).toBeNull();
		expect(await gate(admin, '/providers/x')).toBeNull();
		expect(await gate(admin, '/admin/users', false)).toBeNull();
		expect(await gate(moderator, '/admin/requests')).toBeNull();
		await enrol(ctx.db, admin);
		expect(await gate(admin, '/admin/users')).toBeNull();
	});
	it('an admin resets a lost second factor: password alone signs in, sessions end, audited', async () => {
		const admin = await createUser(ctx.db, {
			email: 'reset-admin@example.org',
			password: PASSWORD,
			role: 'admin'
		});
		const user = await createUser(ctx.db, {
			email: 'lost-phone@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const { key } = await enrol(ctx.db, user);
		const challenge = challengeOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress()));
		const before = sessionOf(
			await completeSignIn(ctx.db, challenge, codeAt(key, 1), nextAddress())
		);
		const listed = async () =>
			(await listUsers(ctx.db)).find((a) => a.id === user.id)?.secondFactor;
		expect(await listed()).toBe(true);

		const reset = await resetSecondFactor(ctx.db, user.id, admin);
		expect(reset).toMatchObject({ ok: true, changed: true });
		expect(await listed()).toBe(false);
		expect(await secondFactor.isEnabled(ctx.db, user.id)).toBe(false);
		const left = await ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
		expect(left).toEqual([]);
		// The session that may be on the lost phone is over; the password alone signs in now.
		expect(await userForToken(ctx.db, before.token)).toBeNull();
		expect(sessionOf(await signIn(ctx.db, user.email, PASSWORD, nextAddress())).user.id).toBe(
			user.id
		);
		const entries = await ctx.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'user.second-factor.reset'));
		expect(entries.map((e) => [e.actorId, e.entityId])).toEqual([[admin.id, String(user.id)]]);
		// A second reset changes nothing and writes nothing.
		expect(await resetSecondFactor(ctx.db, user.id, admin)).toMatchObject({
			ok: true,
			changed: false
		});
	});
});

describe('session cookie', () => {
	it('is __Host-kd_session over HTTPS: Secure, Path=/, no Domain', () => {
		const url = new URL('https://directory.example.org/admin/sign-in');
		expect(sessionCookieName(url)).toBe(SECURE_SESSION_COOKIE);
		expect(SECURE_SESSION_COOKIE).toBe('__Host-kd_session');
		const options = sessionCookieOptions(url, new Date(0));
		expect(options).toEqual({
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: true,
			expires: new Date(0)
		});
		expect(options).not.toHaveProperty('domain');
	});

	it('is kd_session over plain HTTP (npm start on localhost), not Secure', () => {
		const url = new URL('http://localhost:3000/admin/sign-in');
		expect(sessionCookieName(url)).toBe(SESSION_COOKIE);
		expect(SESSION_COOKIE).toBe('kd_session');
		expect(sessionCookieOptions(url)).toEqual({
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: false
		});
	});
});

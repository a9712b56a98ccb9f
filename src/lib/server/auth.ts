import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { and, count, eq, gt, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { oneRow, type Database } from './db';
import { sessions, users } from './db/schema';
import * as secondFactor from './second-factor';
import * as limits from './sign-in-limits';
import { PASSWORD_MIN } from '../schemas/users';

export { PASSWORD_MIN };

/**
 * Admin and moderator accounts: argon2id password hashes, server-side sessions (the cookie holds a
 * random token; the database only its SHA-256), so signing out and revoking work at once.
 */

export type Role = 'admin' | 'moderator';
export const ROLES: readonly Role[] = ['admin', 'moderator'];

export interface SessionUser {
	id: number;
	email: string;
	role: Role;
}

export const SESSION_HOURS = 12;

const ARGON2 = {
	// 2 = Algorithm.Argon2id (a const enum, which isolated modules cannot read).
	algorithm: 2 as const,
	memoryCost: 19_456,
	timeCost: 2,
	parallelism: 1
};

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2);
}

/** A hash to verify against when the email is unknown, so both cases take the same time. */
let decoy: Promise<string> | undefined;

async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
	decoy ??= hashPassword(randomBytes(16).toString('hex'));
	try {
		return await verify(stored ?? (await decoy), password);
	} catch {
		return false;
	}
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function createUser(
	db: Database,
	input: { email: string; password: string; role: Role }
): Promise<SessionUser> {
	if (input.password.length < PASSWORD_MIN) {
		throw new Error(`The password must be at least ${PASSWORD_MIN} characters.`);
	}
	const row = oneRow(
		await db
			.insert(users)
			.values({
				email: normaliseEmail(input.email),
				passwordHash: await hashPassword(input.password),
				role: input.role
			})
			.returning({ id: users.id, email: users.email, role: users.role })
	);
	return { id: row.id, email: row.email, role: row.role as Role };
}

/** ADMIN_EMAIL + ADMIN_PASSWORD at start create the first admin, only while there is none. */
export async function ensureFirstAdmin(
	db: Database,
	env: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string }
): Promise<SessionUser | null> {
	if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return null;
	const { n } = oneRow(await db.select({ n: count() }).from(users).where(eq(users.role, 'admin')));
	if (n > 0) return null;
	return createUser(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, role: 'admin' });
}

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

const NO_MATCH = 'That email and password do not match an account.';
export const CODE_NO_MATCH = 'That code does not match. Try the newest code, or a recovery code.';
export const CHALLENGE_EXPIRED =
	'This sign-in took too long or was already used. Please enter your email and password again.';

export type SignInResult =
	| { ok: true; token: string; user: SessionUser; expiresAt: Date }
	| {
			ok: false;
			message: string;
			retryAfterSeconds?: number;
			/** The password was right; the second step needs this token and a code. */
			challenge?: string;
			/** The second step's token is unknown, used or expired: start again. */
			restart?: boolean;
	  };

async function activeStaff(db: Database, where: SQL | undefined) {
	const [user] = await db
		.select()
		.from(users)
		.where(and(where, isNull(users.disabledAt)));
	return user && ROLES.includes(user.role as Role) ? user : undefined;
}

/**
 * First step: email and password, within the failure limits (sign-in-limits.ts). Signed in at
 * once, or — when the account has a second factor — a challenge token for `completeSignIn`.
 */
export async function signIn(
	db: Database,
	email: string,
	password: string,
	clientKey: string
): Promise<SignInResult> {
	const address = normaliseEmail(email);
	const keys = await limits.attemptKeys(db, address, clientKey);
	const reserved = await limits.reserveAttempt(db, keys);
	if (!reserved.ok) {
		return { ok: false, message: reserved.message, retryAfterSeconds: reserved.retryAfterSeconds };
	}
	const user = await activeStaff(db, eq(sql`lower(${users.email})`, address));
	const valid = await verifyPassword(user?.passwordHash, password);
	if (!user || !valid) return { ok: false, message: NO_MATCH };
	await limits.refundAttempt(db, keys);
	if (await secondFactor.isEnabled(db, user.id)) {
		return {
			ok: false,
			message: 'Enter the code from your authenticator app.',
			challenge: await secondFactor.createChallenge(db, user.id)
		};
	}
	return startSession(db, user);
}

/**
 * Second step: a TOTP code or a recovery code for the account the challenge belongs to. Wrong
 * codes count toward the same failure limits as passwords.
 */
export async function completeSignIn(
	db: Database,
	challenge: string,
	code: string,
	clientKey: string
): Promise<SignInResult> {
	const userId = await secondFactor.challengeUser(db, challenge);
	const user = userId === null ? undefined : await activeStaff(db, eq(users.id, userId));
	if (!user) return { ok: false, message: CHALLENGE_EXPIRED, restart: true };
	const keys = await limits.attemptKeys(db, user.email, clientKey);
	const reserved = await limits.reserveAttempt(db, keys);
	if (!reserved.ok) {
		return {
			ok: false,
			message: reserved.message,
			retryAfterSeconds: reserved.retryAfterSeconds,
			challenge
		};
	}
	if (!(await secondFactor.verifySecondFactor(db, user.id, code))) {
		return { ok: false, message: CODE_NO_MATCH, challenge };
	}
	if (!(await secondFactor.endChallenge(db, challenge))) {
		return { ok: false, message: CHALLENGE_EXPIRED, restart: true };
	}
	await limits.refundAttempt(db, keys);
	return startSession(db, user);
}

/**
 * For changes to a signed-in account's security (turning the second factor off): its password or
 * a current code, within the same failure limits as signing in.
 */
export async function confirmIdentity(
	db: Database,
	user: SessionUser,
	secret: string,
	clientKey: string
): Promise<{ ok: true } | { ok: false; message: string; retryAfterSeconds?: number }> {
	const keys = await limits.attemptKeys(db, user.email, clientKey);
	const reserved = await limits.reserveAttempt(db, keys);
	if (!reserved.ok) return reserved;
	const row = await activeStaff(db, eq(users.id, user.id));
	const valid = /^\d{6}$/.test(secondFactor.totpInput(secret))
		? (await secondFactor.verifySecondFactor(db, user.id, secret)) === 'totp'
		: await verifyPassword(row?.passwordHash, secret);
	if (!row || !valid) {
		return { ok: false, message: 'That password or code is not right.' };
	}
	await limits.refundAttempt(db, keys);
	return { ok: true };
}

async function startSession(
	db: Database,
	user: { id: number; email: string; role: string }
): Promise<SignInResult> {
	// A fresh token at every sign-in (no session fixation); expired rows are swept here too.
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
	await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
	await limits.sweepSignInLimits(db);
	await db.insert(sessions).values({ id: tokenId(token), userId: user.id, expiresAt });
	return {
		ok: true,
		token,
		expiresAt,
		user: { id: user.id, email: user.email, role: user.role as Role }
	};
}

export async function userForToken(db: Database, token: string): Promise<SessionUser | null> {
	const [row] = await db
		.select({ id: users.id, email: users.email, role: users.role })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(
			and(
				eq(sessions.id, tokenId(token)),
				gt(sessions.expiresAt, new Date()),
				isNull(users.disabledAt)
			)
		);
	return row && ROLES.includes(row.role as Role) ? { ...row, role: row.role as Role } : null;
}

export async function signOut(db: Database, token: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, tokenId(token)));
}

/** Ends every session of a user (password change, disabling an account), and any half-done sign-in. */
export async function revokeSessions(db: Database, userId: number): Promise<void> {
	await db.delete(sessions).where(eq(sessions.userId, userId));
	await secondFactor.endChallenges(db, userId);
}

/** For routes and actions: the signed-in user with one of `roles`, or a redirect / 403. */
export function requireRole(event: RequestEvent, roles: readonly Role[] = ROLES): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const next = encodeURIComponent(event.url.pathname + event.url.search);
		redirect(303, `/admin/sign-in?next=${next}`);
	}
	if (!roles.includes(user.role)) {
		error(403, {
			message: 'Your account cannot do this. Ask an admin if you need access.',
			code: 'forbidden'
		});
	}
	return user;
}

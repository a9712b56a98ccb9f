import { and, asc, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { STAFF_ROLES, type CreateUserInput, type StaffRole } from '../schemas/users';
import * as audit from './audit';
import { hashPassword, PASSWORD_MIN, revokeSessions } from './auth';
import { isUniqueViolation, oneRow, type Database } from './db';
import { sessions, users, userSecondFactors } from './db/schema';
import * as secondFactor from './second-factor';

/**
 * Admin and moderator accounts, managed by admins. Every change is in the audit log, written in
 * the same transaction; password hashes never reach the log.
 */

export interface StaffAccount {
	id: number;
	email: string;
	role: StaffRole;
	createdAt: Date;
	disabledAt: Date | null;
}

export type UserField = 'email' | 'role' | 'password' | 'form';

export interface UserRefusal {
	ok: false;
	status: 400 | 404;
	field: UserField;
	message: string;
}

export type UserResult = { ok: true; user: StaffAccount; changed: boolean } | UserRefusal;

export const DUPLICATE_EMAIL = 'An account with this email already exists.';
export const NOT_FOUND = 'That account no longer exists.';
export const LAST_ADMIN =
	'This is the last active admin. Make another account an admin before doing this.';

const staff = inArray(users.role, [...STAFF_ROLES]);

const columns = {
	id: users.id,
	email: users.email,
	role: users.role,
	createdAt: users.createdAt,
	disabledAt: users.disabledAt
};

const asAccount = (row: { role: string } & Omit<StaffAccount, 'role'>): StaffAccount => ({
	...row,
	role: row.role as StaffRole
});

const refuse = (field: UserField, message: string, status: 400 | 404 = 400): UserRefusal => ({
	ok: false,
	status,
	field,
	message
});

/** A staff account as the accounts page lists it: with whether it signs in in two steps. */
export interface ListedAccount extends StaffAccount {
	secondFactor: boolean;
}

export async function listUsers(db: Database): Promise<ListedAccount[]> {
	const rows = await db
		.select({
			...columns,
			secondFactor: sql<boolean>`${userSecondFactors.enabledAt} is not null`.mapWith(Boolean)
		})
		.from(users)
		.leftJoin(userSecondFactors, eq(userSecondFactors.userId, users.id))
		.where(staff)
		.orderBy(asc(users.email));
	return rows.map(({ secondFactor, ...row }) => ({ ...asAccount(row), secondFactor }));
}

export async function createAccount(
	db: Database,
	input: CreateUserInput,
	actor: { id: number }
): Promise<UserResult> {
	if (input.password.length < PASSWORD_MIN) {
		return refuse('password', `Use at least ${PASSWORD_MIN} characters.`);
	}
	const email = input.email.trim().toLowerCase();
	// Hashing takes a while; do it before the transaction opens.
	const passwordHash = await hashPassword(input.password);
	try {
		return await db.transaction(async (tx) => {
			const [taken] = await tx
				.select({ id: users.id })
				.from(users)
				.where(eq(sql`lower(${users.email})`, email));
			if (taken) return refuse('email', DUPLICATE_EMAIL);
			const row = oneRow(
				await tx.insert(users).values({ email, passwordHash, role: input.role }).returning(columns)
			);
			await audit.record(tx, {
				actorId: actor.id,
				action: 'user.create',
				entityType: 'user',
				entityId: row.id,
				before: null,
				after: { email: row.email, role: row.role, disabledAt: null }
			});
			return { ok: true, user: asAccount(row), changed: true };
		});
	} catch (err) {
		// Two admins creating the same address at once: the unique index decides.
		if (isUniqueViolation(err)) return refuse('email', DUPLICATE_EMAIL);
		throw err;
	}
}

const isActiveAdmin = (u: StaffAccount) => u.role === 'admin' && u.disabledAt === null;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The target row, locked for the rest of the transaction. */
async function lockTarget(tx: Tx, userId: number) {
	const [row] = await tx
		.select(columns)
		.from(users)
		.where(and(eq(users.id, userId), staff))
		.for('update');
	return row ? asAccount(row) : undefined;
}

/**
 * The target row and every active admin's row, locked in id order, so two admins demoting or
 * disabling each other at once wait for one another instead of both leaving no admin (or
 * deadlocking). The admins listed can only be fewer than the truth, never more.
 */
async function lockWithAdmins(tx: Tx, userId: number) {
	const rows = (
		await tx
			.select(columns)
			.from(users)
			.where(
				and(staff, or(eq(users.id, userId), and(eq(users.role, 'admin'), isNull(users.disabledAt))))
			)
			.orderBy(asc(users.id))
			.for('update')
	).map(asAccount);
	const target = rows.find((r) => r.id === userId);
	const otherAdmin = rows.some((r) => r.id !== userId && isActiveAdmin(r));
	return { target, otherAdmin };
}

export async function changeRole(
	db: Database,
	userId: number,
	role: StaffRole,
	actor: { id: number }
): Promise<UserResult> {
	return db.transaction(async (tx) => {
		const { target, otherAdmin } = await lockWithAdmins(tx, userId);
		if (!target) return refuse('form', NOT_FOUND, 404);
		if (target.role === role) return { ok: true, user: target, changed: false };
		if (target.id === actor.id) {
			return refuse('role', 'You cannot remove your own admin role. Ask another admin.');
		}
		if (isActiveAdmin(target) && !otherAdmin) return refuse('role', LAST_ADMIN);
		const row = oneRow(
			await tx.update(users).set({ role }).where(eq(users.id, userId)).returning(columns)
		);
		await audit.record(tx, {
			actorId: actor.id,
			action: 'user.role',
			entityType: 'user',
			entityId: userId,
			before: { email: target.email, role: target.role },
			after: { email: row.email, role: row.role }
		});
		return { ok: true, user: asAccount(row), changed: true };
	});
}

/** Disables an account and ends its sessions at once. */
export async function disableUser(
	db: Database,
	userId: number,
	actor: { id: number }
): Promise<UserResult> {
	return db.transaction(async (tx) => {
		const { target, otherAdmin } = await lockWithAdmins(tx, userId);
		if (!target) return refuse('form', NOT_FOUND, 404);
		if (target.id === actor.id) return refuse('form', 'You cannot disable your own account.');
		if (target.disabledAt) return { ok: true, user: target, changed: false };
		if (isActiveAdmin(target) && !otherAdmin) return refuse('form', LAST_ADMIN);
		const ended = await countSessions(tx, userId);
		const row = oneRow(
			await tx
				.update(users)
				.set({ disabledAt: new Date() })
				.where(eq(users.id, userId))
				.returning(columns)
		);
		await revokeSessions(tx, userId);
		await audit.record(tx, {
			actorId: actor.id,
			action: 'user.disable',
			entityType: 'user',
			entityId: userId,
			before: { email: target.email, disabledAt: null },
			after: { email: row.email, disabledAt: row.disabledAt, sessionsEnded: ended }
		});
		return { ok: true, user: asAccount(row), changed: true };
	});
}

export async function enableUser(
	db: Database,
	userId: number,
	actor: { id: number }
): Promise<UserResult> {
	return db.transaction(async (tx) => {
		const target = await lockTarget(tx, userId);
		if (!target) return refuse('form', NOT_FOUND, 404);
		if (!target.disabledAt) return { ok: true, user: target, changed: false };
		const row = oneRow(
			await tx
				.update(users)
				.set({ disabledAt: null })
				.where(eq(users.id, userId))
				.returning(columns)
		);
		await audit.record(tx, {
			actorId: actor.id,
			action: 'user.enable',
			entityType: 'user',
			entityId: userId,
			before: { email: target.email, disabledAt: target.disabledAt },
			after: { email: row.email, disabledAt: null }
		});
		return { ok: true, user: asAccount(row), changed: true };
	});
}

/** Sets a new password chosen by an admin and ends every session of that account. */
export async function setPassword(
	db: Database,
	userId: number,
	password: string,
	actor: { id: number }
): Promise<UserResult> {
	if (password.length < PASSWORD_MIN) {
		return refuse('password', `Use at least ${PASSWORD_MIN} characters.`);
	}
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const target = await lockTarget(tx, userId);
		if (!target) return refuse('form', NOT_FOUND, 404);
		const ended = await countSessions(tx, userId);
		await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
		await revokeSessions(tx, userId);
		await audit.record(tx, {
			actorId: actor.id,
			action: 'user.password',
			entityType: 'user',
			entityId: userId,
			before: { email: target.email, password: 'previous' },
			after: { email: target.email, password: 'replaced', sessionsEnded: ended }
		});
		return { ok: true, user: target, changed: true };
	});
}

async function countSessions(tx: Tx, userId: number): Promise<number> {
	const { n } = oneRow(
		await tx.select({ n: count() }).from(sessions).where(eq(sessions.userId, userId))
	);
	return n;
}

/**
 * For a staff member who lost their authenticator and their recovery codes: an admin removes
 * their second factor, its recovery codes and any half-done sign-in, and ends their sessions (a
 * lost phone may be in someone else's hands). They sign in with their password and enrol again.
 */
export async function resetSecondFactor(
	db: Database,
	userId: number,
	actor: { id: number }
): Promise<UserResult> {
	return db.transaction(async (tx) => {
		const target = await lockTarget(tx, userId);
		if (!target) return refuse('form', NOT_FOUND, 404);
		const wasOn = await secondFactor.removeFactor(tx, userId);
		await secondFactor.endChallenges(tx, userId);
		if (!wasOn) return { ok: true, user: target, changed: false };
		const ended = await countSessions(tx, userId);
		await revokeSessions(tx, userId);
		await audit.record(tx, {
			actorId: actor.id,
			action: 'user.second-factor.reset',
			entityType: 'user',
			entityId: userId,
			before: { email: target.email, secondFactor: true },
			after: { email: target.email, secondFactor: false, sessionsEnded: ended }
		});
		return { ok: true, user: target, changed: true };
	});
}

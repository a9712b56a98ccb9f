import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase64url, encodeBase32UpperCaseNoPadding, encodeBase64url } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { and, count, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import * as audit from './audit';
import { oneRow, type Database } from './db';
import { recoveryCodes, signInChallenges, userSecondFactors } from './db/schema';

/**
 * The optional second factor for staff (decision 015): a TOTP key (RFC 6238: SHA-1, 6 digits,
 * 30-second steps, one step either side for clock drift) and ten one-time recovery codes, of which
 * only SHA-256 hashes are stored. A code is never accepted twice (the last step used is kept).
 */

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export const RECOVERY_CODE_COUNT = 10;
export const CHALLENGE_MINUTES = 5;
const ISSUER = 'Ketamine Provider Directory';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const stepAt = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD);

export interface SecondFactorStatus {
	enabled: boolean;
	/** While enrolling: what the person types or pastes into an authenticator app. */
	pending: { secret: string; uri: string } | null;
	recoveryCodesLeft: number;
}

/** The key in base32, in groups of four for typing (authenticator apps ignore the spaces). */
export function groupedSecret(key: Uint8Array): string {
	return (encodeBase32UpperCaseNoPadding(key).match(/.{1,4}/g) ?? []).join(' ');
}

export async function status(
	db: Database,
	user: { id: number; email: string }
): Promise<SecondFactorStatus> {
	const [row] = await db
		.select()
		.from(userSecondFactors)
		.where(eq(userSecondFactors.userId, user.id));
	const { n } = oneRow(
		await db
			.select({ n: count() })
			.from(recoveryCodes)
			.where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)))
	);
	if (!row) return { enabled: false, pending: null, recoveryCodesLeft: 0 };
	const key = decodeBase64url(row.totpKey);
	return {
		enabled: row.enabledAt !== null,
		pending:
			row.enabledAt === null
				? {
						secret: groupedSecret(key),
						uri: createTOTPKeyURI(ISSUER, user.email, key, TOTP_PERIOD, TOTP_DIGITS)
					}
				: null,
		recoveryCodesLeft: n
	};
}

export async function isEnabled(db: Database, userId: number): Promise<boolean> {
	const [row] = await db
		.select({ userId: userSecondFactors.userId })
		.from(userSecondFactors)
		.where(and(eq(userSecondFactors.userId, userId), isNotNull(userSecondFactors.enabledAt)));
	return row !== undefined;
}

/** Starts (or restarts) enrolment with a new key; an enabled factor is left alone. */
export async function startEnrolment(db: Database, userId: number): Promise<boolean> {
	const totpKey = encodeBase64url(randomBytes(20));
	const rows = await db
		.insert(userSecondFactors)
		.values({ userId, totpKey })
		.onConflictDoUpdate({
			target: userSecondFactors.userId,
			set: { totpKey, lastUsedStep: null },
			setWhere: isNull(userSecondFactors.enabledAt)
		})
		.returning({ userId: userSecondFactors.userId });
	return rows.length === 1;
}

/** Normalises what a person typed: digits only for a TOTP code. */
export const totpInput = (code: string) => code.replace(/[\s-]/g, '');

/**
 * The step a code matches (the current one, or one either side), if not used before; null
 * otherwise. Compared in constant time.
 */
function matchingStep(
	key: Uint8Array,
	code: string,
	lastUsedStep: number | null,
	now: Date
): number | null {
	const typed = Buffer.from(totpInput(code));
	if (!/^\d{6}$/.test(typed.toString())) return null;
	const current = stepAt(now);
	let found: number | null = null;
	for (const step of [current - 1, current, current + 1]) {
		const expected = Buffer.from(generateHOTP(key, BigInt(step), TOTP_DIGITS));
		if (timingSafeEqual(expected, typed) && (lastUsedStep === null || step > lastUsedStep)) {
			found = step;
		}
	}
	return found;
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Checks a TOTP code inside a transaction, locking the row and marking the step used. */
async function useTotp(
	tx: Tx,
	userId: number,
	code: string,
	now: Date,
	enabled: boolean
): Promise<boolean> {
	const [row] = await tx
		.select()
		.from(userSecondFactors)
		.where(
			and(
				eq(userSecondFactors.userId, userId),
				enabled ? isNotNull(userSecondFactors.enabledAt) : isNull(userSecondFactors.enabledAt)
			)
		)
		.for('update');
	if (!row) return false;
	const step = matchingStep(decodeBase64url(row.totpKey), code, row.lastUsedStep, now);
	if (step === null) return false;
	await tx
		.update(userSecondFactors)
		.set({ lastUsedStep: step, ...(enabled ? {} : { enabledAt: now }) })
		.where(eq(userSecondFactors.userId, userId));
	return true;
}

/** A fresh recovery code: 10 characters of base32, shown as two groups of five. */
function newRecoveryCode(): string {
	const raw = encodeBase32UpperCaseNoPadding(randomBytes(7)).slice(0, 10).toLowerCase();
	return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

const recoveryInput = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

async function replaceRecoveryCodes(tx: Tx, userId: number): Promise<string[]> {
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
	await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
	await tx
		.insert(recoveryCodes)
		.values(codes.map((code) => ({ userId, codeHash: sha256(recoveryInput(code)) })));
	return codes;
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; message: string };

/**
 * Turns the factor on once a code from the new key checks out; returns the recovery codes, which
 * are shown once and never again.
 */
export async function confirmEnrolment(
	db: Database,
	userId: number,
	code: string,
	now = new Date()
): Promise<ConfirmResult> {
	return db.transaction(async (tx) => {
		if (!(await useTotp(tx, userId, code, now, false))) {
			return {
				ok: false,
				message: 'That code does not match. Check the time on your device and try the next code.'
			};
		}
		const codes = await replaceRecoveryCodes(tx, userId);
		await audit.record(tx, {
			actorId: userId,
			action: 'user.second-factor.enable',
			entityType: 'user',
			entityId: userId,
			before: { secondFactor: false },
			after: { secondFactor: true }
		});
		return { ok: true, recoveryCodes: codes };
	});
}

/** A current TOTP code, or an unused recovery code (which is then spent). */
export async function verifySecondFactor(
	db: Database,
	userId: number,
	code: string,
	now = new Date()
): Promise<'totp' | 'recovery' | null> {
	return db.transaction(async (tx) => {
		if (/^\d{6}$/.test(totpInput(code))) {
			return (await useTotp(tx, userId, code, now, true)) ? 'totp' : null;
		}
		const [enabled] = await tx
			.select({ userId: userSecondFactors.userId })
			.from(userSecondFactors)
			.where(and(eq(userSecondFactors.userId, userId), isNotNull(userSecondFactors.enabledAt)));
		if (!enabled) return null;
		const spent = await tx
			.update(recoveryCodes)
			.set({ usedAt: now })
			.where(
				and(
					eq(recoveryCodes.userId, userId),
					eq(recoveryCodes.codeHash, sha256(recoveryInput(code))),
					isNull(recoveryCodes.usedAt)
				)
			)
			.returning({ id: recoveryCodes.id });
		return spent.length === 1 ? 'recovery' : null;
	});
}

/** Deletes an account's factor (enrolled or pending) and its recovery codes; true if it was on. */
export async function removeFactor(tx: Database, userId: number): Promise<boolean> {
	const removed = await tx
		.delete(userSecondFactors)
		.where(eq(userSecondFactors.userId, userId))
		.returning({ enabledAt: userSecondFactors.enabledAt });
	await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
	return Boolean(removed[0]?.enabledAt);
}

/** Removes the factor and its recovery codes; the caller has checked a code or the password. */
export async function disable(db: Database, userId: number): Promise<void> {
	await db.transaction(async (tx) => {
		if (await removeFactor(tx, userId)) {
			await audit.record(tx, {
				actorId: userId,
				action: 'user.second-factor.disable',
				entityType: 'user',
				entityId: userId,
				before: { secondFactor: true },
				after: { secondFactor: false }
			});
		}
	});
}

// Pending sign-ins ----------------------------------------------------------------------------

/** After the password: a token for the second step; only its hash is stored. */
export async function createChallenge(
	db: Database,
	userId: number,
	now = new Date()
): Promise<string> {
	const token = randomBytes(32).toString('base64url');
	await db.delete(signInChallenges).where(lt(signInChallenges.expiresAt, now));
	await db.insert(signInChallenges).values({
		id: sha256(token),
		userId,
		expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000)
	});
	return token;
}

/** The user a live challenge is for, or null (unknown, expired or already used). */
export async function challengeUser(
	db: Database,
	token: string,
	now = new Date()
): Promise<number | null> {
	const [row] = await db
		.select({ userId: signInChallenges.userId, expiresAt: signInChallenges.expiresAt })
		.from(signInChallenges)
		.where(eq(signInChallenges.id, sha256(token)));
	return row && row.expiresAt > now ? row.userId : null;
}

/** Ends a challenge (it passed); true when it was still there, so it passes only once. */
export async function endChallenge(db: Database, token: string): Promise<boolean> {
	const rows = await db
		.delete(signInChallenges)
		.where(eq(signInChallenges.id, sha256(token)))
		.returning({ id: signInChallenges.id });
	return rows.length === 1;
}

/** Ends every pending sign-in of an account (its password changed, or it was disabled). */
export async function endChallenges(db: Database, userId: number): Promise<void> {
	await db.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
}

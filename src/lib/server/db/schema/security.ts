import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { users } from './people';

// Sign-in limits and the staff second factor (decision 015) -----------------------------------

/**
 * Failure counters for sign-in, in rate-limiter-flexible's drizzle shape. `key` is a prefix and a
 * keyed hash (client-hash.ts) of an email or a client address, never the value itself.
 */
export const signInLimits = pgTable(
	'sign_in_limits',
	{
		key: text('key').primaryKey(),
		points: integer('points').notNull().default(0),
		expire: timestamp('expire', { withTimezone: true })
	},
	(t) => [index('sign_in_limits_expire_idx').on(t.expire)]
);

/** One TOTP key per staff account; `enabledAt` is null until a first code confirms it. */
export const userSecondFactors = pgTable('user_second_factors', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	/** The raw 20-byte TOTP key, base64url. */
	totpKey: text('totp_key').notNull(),
	enabledAt: timestamp('enabled_at', { withTimezone: true }),
	/** The last 30-second step a code was accepted for: a code is never accepted twice. */
	lastUsedStep: bigint('last_used_step', { mode: 'number' }),
	createdAt: createdAt()
});

/** One-time recovery codes: only their SHA-256; `usedAt` once spent. */
export const recoveryCodes = pgTable(
	'recovery_codes',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		codeHash: text('code_hash').notNull(),
		usedAt: timestamp('used_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('recovery_codes_user_code_key').on(t.userId, t.codeHash)]
);

/**
 * A password accepted, the second factor still to come: the browser holds a random token, this
 * table its SHA-256, for a few minutes. No session exists until the second step passes.
 */
export const signInChallenges = pgTable(
	'sign_in_challenges',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index('sign_in_challenges_user_idx').on(t.userId)]
);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type SignInResult } from '$lib/server/auth';
import { openDatabase, type DatabaseHandle } from '$lib/server/db';
import { signInLimits } from '$lib/server/db/schema';
import { ACCOUNT_FAILURES, ADDRESS_FAILURES } from '$lib/server/sign-in-limits';
import {
	createScratchDatabase,
	databaseKinds,
	describeEachDatabase,
	testDatabaseUrl
} from '../helpers/databases';

const PASSWORD = 'correct horse battery staple';
const NO_MATCH = 'That email and password do not match an account.';
const TOO_MANY = /^Too many sign-in attempts\. Please try again in 1[45] minutes\.$/;

function refusal(result: SignInResult) {
	if (result.ok) throw new Error('expected a refusal, got a session');
	return result;
}

describeEachDatabase('sign-in failure limits', (ctx) => {
	it('limits failures per account whatever the address, for existing and unknown emails alike', async () => {
		await createUser(ctx.db, { email: 'target@example.org', password: PASSWORD, role: 'admin' });
		const messages: Record<string, string> = {};
		for (const email of ['target@example.org', 'nobody-here@example.org']) {
			for (let i = 0; i < ACCOUNT_FAILURES; i++) {
				// A new address every time: rotating addresses must not help.
				const result = refusal(
					await signIn(ctx.db, email, `guess ${i} ${email}`, `198.51.100.${i}`)
				);
				expect(result).toEqual({ ok: false, message: NO_MATCH });
			}
			const blocked = refusal(await signIn(ctx.db, email, PASSWORD, '203.0.113.250'));
			expect(blocked.message).toMatch(TOO_MANY);
			expect(blocked.retryAfterSeconds).toBeGreaterThan(800);
			expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(900);
			expect(blocked.challenge).toBeUndefined();
			messages[email] = blocked.message;
		}
		// The refusal says nothing about whether the account exists.
		expect(messages['target@example.org']).toBe(messages['nobody-here@example.org']);

		// Other accounts, from the same addresses, are not affected.
		await createUser(ctx.db, {
			email: 'bystander@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		expect((await signIn(ctx.db, 'bystander@example.org', PASSWORD, '198.51.100.1')).ok).toBe(true);
	});

	it('limits failures per address across accounts, and a success there does not reset it', async () => {
		await createUser(ctx.db, { email: 'owner@example.org', password: PASSWORD, role: 'moderator' });
		const address = '192.0.2.77';
		for (let i = 0; i < ADDRESS_FAILURES - 1; i++) {
			// A different account every time (most of them unknown): spraying many accounts.
			const result = refusal(await signIn(ctx.db, `spray-${i}@example.org`, PASSWORD, address));
			expect(result.message).toBe(NO_MATCH);
		}
		// The owner signs in from that address: it works, and it does not clear the count.
		expect((await signIn(ctx.db, 'owner@example.org', PASSWORD, address)).ok).toBe(true);
		expect(refusal(await signIn(ctx.db, 'spray-last@example.org', PASSWORD, address)).message).toBe(
			NO_MATCH
		);
		const blocked = refusal(await signIn(ctx.db, 'owner@example.org', PASSWORD, address));
		expect(blocked.message).toMatch(TOO_MANY);
		// The same account from another address is fine.
		expect((await signIn(ctx.db, 'owner@example.org', PASSWORD, '192.0.2.78')).ok).toBe(true);
	});

	it('counts a burst of parallel guesses: no more than the limit are checked', async () => {
		await createUser(ctx.db, { email: 'burst@example.org', password: PASSWORD, role: 'moderator' });
		const results = await Promise.all(
			Array.from({ length: ACCOUNT_FAILURES + 6 }, (_, i) =>
				signIn(ctx.db, 'burst@example.org', `parallel guess ${i}`, `100.64.0.${i}`)
			)
		);
		const checked = results.filter((r) => !r.ok && r.message === NO_MATCH);
		expect(checked.length).toBe(ACCOUNT_FAILURES);
		expect(results.filter((r) => !r.ok && TOO_MANY.test(r.message))).toHaveLength(6);
	});

	it('stores only keyed hashes, never an email or an address', async () => {
		await signIn(ctx.db, 'Stored-Check@Example.org', 'not the password', '198.18.0.9');
		const rows = await ctx.db.select().from(signInLimits);
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows) {
			expect(row.key).toMatch(/^(account|address):[A-Za-z0-9_-]{32}$/);
			expect(row.key.toLowerCase()).not.toContain('example.org');
			expect(row.key).not.toContain('198.18');
		}
	});

	it('takes about as long for an unknown email as for a wrong password', async () => {
		await createUser(ctx.db, {
			email: 'timing@example.org',
			password: PASSWORD,
			role: 'moderator'
		});
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
		const time = async (email: string, i: number) => {
			const started = performance.now();
			const result = refusal(await signIn(ctx.db, email, `wrong password ${i}`, `10.77.0.${i}`));
			expect(result.message).toBe(NO_MATCH);
			return performance.now() - started;
		};
		const known: number[] = [];
		const unknown: number[] = [];
		// Interleaved, so a slow moment on a shared machine hits both alike; under the limit of 10.
		for (let i = 0; i < 7; i++) {
			known.push(await time('timing@example.org', i));
			unknown.push(await time(`timing-unknown-${i}@example.org`, 100 + i));
		}
		// Both hash a password (argon2id, tens of milliseconds): without the decoy an unknown email
		// would answer in a fraction of the time.
		expect(median(unknown)).toBeGreaterThan(median(known) * 0.6);
		expect(median(known)).toBeGreaterThan(median(unknown) * 0.6);
	});
});

describe('sign-in failure counters live in the database', () => {
	const cleanups: (() => Promise<void> | void)[] = [];
	afterAll(async () => {
		for (const cleanup of cleanups.reverse()) await cleanup();
	});

	for (const kind of databaseKinds()) {
		it(`survive a restart (a new database handle) [${kind}]`, async () => {
			let open: () => Promise<DatabaseHandle>;
			if (kind === 'pglite') {
				const dir = mkdtempSync(join(tmpdir(), 'kd-sign-in-limits-'));
				cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
				open = () => openDatabase({ dataDir: dir });
			} else {
				const scratch = await createScratchDatabase(testDatabaseUrl()!, 'sign in restart');
				cleanups.push(() => scratch.drop());
				open = () => openDatabase({ url: scratch.url });
			}
			const first = await open();
			try {
				await createUser(first.db, {
					email: 'restart@example.org',
					password: PASSWORD,
					role: 'admin'
				});
				for (let i = 0; i < ACCOUNT_FAILURES; i++) {
					await signIn(first.db, 'restart@example.org', `guess ${i}`, `172.16.0.${i}`);
				}
			} finally {
				await first.close();
			}
			const second = await open();
			try {
				const blocked = refusal(
					await signIn(second.db, 'restart@example.org', PASSWORD, '172.16.1.1')
				);
				expect(blocked.message).toMatch(TOO_MANY);
			} finally {
				await second.close();
			}
		});
	}
});

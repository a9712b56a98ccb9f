import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { users } from '$lib/server/db/schema';
import { describeError } from '$lib/server/log';
import { describeEachDatabase } from '../helpers/databases';

/**
 * A failed write's error, as the log would carry it: drizzle puts the query's parameters in its
 * message, and PostgreSQL quotes offending values in some of its own, so neither may reach a log
 * line whole.
 */

const EMAIL = 'known.person+logs@example.org';

async function failure(run: () => Promise<unknown>): Promise<unknown> {
	try {
		await run();
	} catch (err) {
		return err;
	}
	throw new Error('the write was expected to fail');
}

describeEachDatabase('errors in logs', (ctx) => {
	it('a unique violation keeps its SQLSTATE, constraint and SQL, never the values written', async () => {
		const row = { email: EMAIL, passwordHash: 'x', role: 'moderator' as const };
		await ctx.db.insert(users).values(row);
		const err = await failure(() => ctx.db.insert(users).values(row));
		// The raw error carries the email: that is what must not be logged.
		expect(String((err as Error).message) + JSON.stringify(err)).toContain(EMAIL);

		const described = describeError(err);
		const line = JSON.stringify(described);
		expect(line).not.toContain(EMAIL);
		expect(line).not.toContain('known.person');
		expect(line).toContain('23505');
		expect(String(described.message)).toMatch(/^Failed query: insert into "users"/);
		expect(line).toContain('"stack"');
	});

	it('a value PostgreSQL quotes in its message is left out with the message', async () => {
		const secret = 'not-a-number-alice@example.org';
		const err = await failure(() => ctx.db.execute(sql`select ${secret}::integer`));
		const line = JSON.stringify(describeError(err));
		expect(line).not.toContain('alice');
		expect(line).toContain('22P02');
	});
});

it('a JSON syntax error is logged without the text it quotes', () => {
	let err: unknown;
	try {
		JSON.parse('{"email": "bob@example.org", oops}');
	} catch (e) {
		err = e;
	}
	const line = JSON.stringify(describeError(err));
	expect(line).toContain('SyntaxError');
	expect(line).not.toContain('bob@example.org');
});

import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { createServer, type Server } from 'node:net';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, unavailableCode } from './outage';

const servers: Server[] = [];
afterEach(() => {
	for (const server of servers.splice(0)) server.close();
});

/** A local TCP server that does `onSocket` with every connection; resolves its port. */
async function listen(onSocket: (socket: import('node:net').Socket) => void): Promise<number> {
	const server = createServer(onSocket);
	servers.push(server);
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return (server.address() as { port: number }).port;
}

/** What drizzle over postgres.js throws for one query to 127.0.0.1:`port`. */
async function queryError(port: number): Promise<unknown> {
	const client = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, {
		max: 1,
		connect_timeout: 1,
		onnotice: () => {}
	});
	try {
		await drizzlePostgres(client).execute(sql`select 1`);
		throw new Error('the query was answered');
	} catch (err) {
		return err;
	} finally {
		await client.end({ timeout: 1 });
	}
}

describe('telling a database outage from other failures', () => {
	it('sees a refused connection through drizzle’s wrapping', async () => {
		// A port that was just free: nothing listens there any more.
		const port = await listen(() => {});
		await new Promise<void>((done) => servers.pop()!.close(() => done()));
		const err = await queryError(port);
		expect(isDatabaseUnavailable(err)).toBe(true);
		expect(unavailableCode(err)).toBe('ECONNREFUSED');
	});

	it('sees a connection that is never answered (a network that swallows packets)', async () => {
		const held: import('node:net').Socket[] = [];
		const port = await listen((socket) => held.push(socket));
		const err = await queryError(port);
		for (const socket of held) socket.destroy();
		expect(isDatabaseUnavailable(err)).toBe(true);
		expect(unavailableCode(err)).toBe('CONNECT_TIMEOUT');
	});

	it('leaves SQL errors of a reachable database alone', async () => {
		const client = await PGlite.create();
		try {
			const err = await drizzlePglite(client)
				.execute(sql`select * from no_such_table`)
				.then(
					() => null,
					(e: unknown) => e
				);
			expect(err).toBeInstanceOf(Error);
			expect(isDatabaseUnavailable(err)).toBe(false);
			expect(unavailableCode(err)).toBeNull();
		} finally {
			await client.close();
		}
	});

	it('knows the SQLSTATEs of a server shutting down or starting, however deep', () => {
		const wrapped = (code: string) => new Error('Failed query', { cause: { code } });
		for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '53300']) {
			expect(unavailableCode(wrapped(code)), code).toBe(code);
		}
		for (const code of ['23505', '42P01', '40001', '22P02']) {
			expect(isDatabaseUnavailable(wrapped(code)), code).toBe(false);
		}
		expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
		expect(isDatabaseUnavailable(null)).toBe(false);
		expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
	});
});

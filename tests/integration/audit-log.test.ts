import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser, type SessionUser } from '$lib/server/auth';
import { auditFilterOptions, diff, listAudit, type AuditQuery } from '$lib/server/audit-log';
import type { Database } from '$lib/server/db';
import { auditLog } from '$lib/server/db/schema';
import { AUDIT_PAGE_SIZE, auditFilterSchema, SYSTEM_ACTOR } from '$lib/schemas/audit';
import { parseQuery } from '$lib/schemas/query';
import { describeEachDatabase } from '../helpers/databases';
import { missing } from '../helpers/rows';

const PASSWORD = 'correct horse battery staple';
let n = 0;

async function person(db: Database, label: string): Promise<SessionUser> {
	return createUser(db, {
		email: `${label}-${++n}-${Date.now().toString(36)}@example.org`,
		password: PASSWORD,
		role: 'moderator'
	});
}

type Row = typeof auditLog.$inferInsert;

/** The new rows' ids, one per row in order (a tuple as long as `rows`). */
async function insert<const R extends readonly Row[]>(
	db: Database,
	rows: R
): Promise<{ [K in keyof R]: number }> {
	const ids = await db
		.insert(auditLog)
		.values([...rows])
		.returning({ id: auditLog.id });
	if (ids.length !== rows.length) throw new Error(`Inserted ${ids.length} of ${rows.length} rows`);
	return ids.map((r) => r.id) as { [K in keyof R]: number };
}

const at = (iso: string) => new Date(iso);

/** What listAudit should return, worked out in JavaScript from every row in the table. */
async function oracle(
	db: Database,
	filters: AuditQuery
): Promise<{ ids: number[]; total: number }> {
	const all = await db.select().from(auditLog);
	const from = filters.from ? Date.parse(`${filters.from}T00:00:00Z`) : -Infinity;
	const to = filters.to ? Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000 : Infinity;
	const match = all
		.filter(
			(r) =>
				(filters.actor === undefined ||
					(filters.actor === SYSTEM_ACTOR ? r.actorId === null : r.actorId === filters.actor)) &&
				(!filters.action || r.action === filters.action) &&
				(!filters.entityType || r.entityType === filters.entityType) &&
				(!filters.entityId || r.entityId === filters.entityId) &&
				r.createdAt.getTime() >= from &&
				r.createdAt.getTime() < to
		)
		.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
	const page = filters.page ?? 1;
	return {
		total: match.length,
		ids: match.slice((page - 1) * AUDIT_PAGE_SIZE, page * AUDIT_PAGE_SIZE).map((r) => r.id)
	};
}

/** The messages of the error a statement fails with, its causes included. */
async function refusal(statement: PromiseLike<unknown>): Promise<string> {
	try {
		await statement;
	} catch (err) {
		const messages: string[] = [];
		for (let e: unknown = err; e instanceof Error; e = e.cause) messages.push(e.message);
		return messages.join(' | ');
	}
	throw new Error('The statement was allowed');
}

function parse(query: string) {
	return parseQuery(auditFilterSchema, new URLSearchParams(query));
}

describeEachDatabase('audit log browser', (ctx) => {
	it('each filter narrows the list, newest first, with the actor shown by email', async () => {
		const alice = await person(ctx.db, 'alice');
		const bob = await person(ctx.db, 'bob');
		const [publish1, hide2, verify, resolve, publishOld] = await insert(ctx.db, [
			{
				actorId: alice.id,
				action: 'rating.publish',
				entityType: 'rating',
				entityId: '9001',
				before: { status: 'held', overall: 4 },
				after: { status: 'published', overall: 4 },
				reason: 'Genuine',
				createdAt: at('2024-03-01T00:00:00Z')
			},
			{
				actorId: alice.id,
				action: 'rating.hide',
				entityType: 'rating',
				entityId: '9002',
				createdAt: at('2024-03-01T23:59:59.999Z')
			},
			{
				actorId: bob.id,
				action: 'provider.verify',
				entityType: 'provider',
				entityId: '9001',
				createdAt: at('2024-03-02T00:00:00Z')
			},
			{
				actorId: null,
				action: 'report.resolve',
				entityType: 'problem_report',
				entityId: '9001',
				createdAt: at('2024-03-03T12:00:00Z')
			},
			{
				actorId: bob.id,
				action: 'rating.publish',
				entityType: 'rating',
				entityId: '9002',
				createdAt: at('2024-02-29T23:59:59.999Z')
			}
		]);
		const mine = new Set([publish1, hide2, verify, resolve, publishOld]);
		const cases: [AuditQuery, number[]][] = [
			[{ actor: alice.id }, [hide2, publish1]],
			[{ actor: bob.id }, [verify, publishOld]],
			[{ actor: SYSTEM_ACTOR, from: '2024-03-03', to: '2024-03-03' }, [resolve]],
			[{ action: 'rating.publish', from: '2024-02-01', to: '2024-03-31' }, [publish1, publishOld]],
			[
				{ entityType: 'rating', to: '2024-03-01', from: '2024-02-29' },
				[hide2, publish1, publishOld]
			],
			[{ entityId: '9001' }, [resolve, verify, publish1]],
			[{ entityType: 'provider', entityId: '9001' }, [verify]],
			[{ actor: alice.id, action: 'rating.hide' }, [hide2]],
			[{ actor: bob.id, entityType: 'problem_report' }, []]
		];
		for (const [filters, expected] of cases) {
			const page = await listAudit(ctx.db, filters);
			const expectedAll = await oracle(ctx.db, filters);
			expect(
				page.entries.map((e) => e.id),
				JSON.stringify(filters)
			).toEqual(expectedAll.ids);
			expect(page.total).toBe(expectedAll.total);
			expect(
				page.entries.map((e) => e.id).filter((id) => mine.has(id)),
				JSON.stringify(filters)
			).toEqual(expected);
		}

		const [first] = (await listAudit(ctx.db, { actor: alice.id, action: 'rating.publish' }))
			.entries;
		expect(first).toMatchObject({
			id: publish1,
			actorEmail: alice.email,
			reason: 'Genuine',
			actionLabel: 'Rating published',
			changes: [{ key: 'status', label: 'Status', before: 'held', after: 'published' }]
		});
		// No raw JSON reaches the page: only the changed fields, in words.
		expect(first).not.toHaveProperty('before');
		expect(first).not.toHaveProperty('after');
		const [system] = (await listAudit(ctx.db, { actor: SYSTEM_ACTOR, entityId: '9001' })).entries;
		expect(system).toMatchObject({ id: resolve, actorId: null, actorEmail: null, changes: [] });

		const options = await auditFilterOptions(ctx.db);
		expect(options.actors).toEqual(
			expect.arrayContaining([
				{ id: alice.id, email: alice.email },
				{ id: bob.id, email: bob.email }
			])
		);
		expect(options.actions.filter((a) => a === 'rating.publish')).toHaveLength(1);
		expect(options.actions).toEqual(expect.arrayContaining(['provider.verify', 'rating.hide']));
		expect(options.actions).toEqual([...options.actions].sort());
		expect(options.entityTypes).toEqual(
			expect.arrayContaining(['problem_report', 'provider', 'rating'])
		);
		expect(new Set(options.entityTypes).size).toBe(options.entityTypes.length);
	});

	it('date bounds are whole UTC days, both ends included', async () => {
		const carol = await person(ctx.db, 'carol');
		const stamps = [
			'2023-06-09T23:59:59.999Z', // before
			'2023-06-10T00:00:00.000Z', // first instant of "from"
			'2023-06-11T12:00:00.000Z',
			'2023-06-12T23:59:59.999Z', // last instant of "to"
			'2023-06-13T00:00:00.000Z' // after
		];
		const ids = await insert(
			ctx.db,
			stamps.map((s) => ({
				actorId: carol.id,
				action: 'provider.verify',
				entityType: 'provider',
				entityId: '1',
				createdAt: at(s)
			}))
		);
		const query = parse(`actor=${carol.id}&from=2023-06-10&to=2023-06-12`);
		if (!query.ok) throw new Error(query.problem.message);
		const page = await listAudit(ctx.db, query.data);
		expect(page.entries.map((e) => e.id)).toEqual([ids[3], ids[2], ids[1]]);
		expect(page.total).toBe(3);

		const oneDay = await listAudit(ctx.db, {
			actor: carol.id,
			from: '2023-06-12',
			to: '2023-06-12'
		});
		expect(oneDay.entries.map((e) => e.id)).toEqual([ids[3]]);
		const onlyFrom = await listAudit(ctx.db, { actor: carol.id, from: '2023-06-13' });
		expect(onlyFrom.entries.map((e) => e.id)).toEqual([ids[4]]);
		const onlyTo = await listAudit(ctx.db, { actor: carol.id, to: '2023-06-09' });
		expect(onlyTo.entries.map((e) => e.id)).toEqual([ids[0]]);
	});

	it('pages 50 at a time with no entry lost or repeated, even at equal times', async () => {
		const dave = await person(ctx.db, 'dave');
		const base = Date.parse('2022-01-01T00:00:00Z');
		const ids = await insert(
			ctx.db,
			Array.from({ length: 123 }, (_, i) => ({
				actorId: dave.id,
				action: 'annotation.create',
				entityType: 'annotation',
				entityId: String(i),
				// Pairs share a timestamp, so the order has to fall back on the id.
				createdAt: new Date(base + Math.floor(i / 2) * 60_000)
			}))
		);
		const pages = [];
		for (let p = 1; p <= 4; p++) pages.push(await listAudit(ctx.db, { actor: dave.id, page: p }));
		expect(pages.map((p) => p.entries.length)).toEqual([50, 50, 23, 0]);
		expect(pages.every((p) => p.total === 123 && p.perPage === AUDIT_PAGE_SIZE)).toBe(true);
		const seen = pages.flatMap((p) => p.entries.map((e) => e.id));
		expect(seen).toEqual([...ids].reverse());
		const second = parse(`actor=${dave.id}&page=2`);
		if (!second.ok) throw new Error(second.problem.message);
		expect((await listAudit(ctx.db, second.data)).entries[0]?.id).toBe(seen[50]);
	});

	it('explains invalid filters instead of failing', () => {
		expect(parse('')).toEqual({ ok: true, data: { page: 1 } });
		expect(parse('actor=&action=&from=&to=&page=')).toEqual({ ok: true, data: { page: 1 } });
		expect(parse('actor=system&entityId= 12 ')).toMatchObject({
			ok: true,
			data: { actor: 'system', entityId: '12' }
		});
		const problems: [string, string, string][] = [
			['from=2024-02-30', 'from', 'The “from” date is not a real date.'],
			['to=yesterday', 'to', 'The “to” date must be a date written YYYY-MM-DD.'],
			['from=2024-03-02&to=2024-03-01', 'to', 'The “to” date must be on or after the “from” date.'],
			['actor=bob', 'actor', 'Choose an actor from the list.'],
			['action=DROP TABLE', 'action', 'Choose an action from the list.'],
			['entityType=a;b', 'entityType', 'Choose an entity type from the list.'],
			['page=0', 'page', 'The page must be 1 or more.'],
			['page=two', 'page', 'The page must be a whole number.'],
			[`entityId=${'x'.repeat(101)}`, 'entityId', 'Entity ids are at most 100 characters.']
		];
		for (const [query, field, message] of problems) {
			const result = parse(query);
			expect(result.ok, query).toBe(false);
			if (!result.ok) expect(result.problem.fields[field], query).toBe(message);
		}
	});

	it('shows only the fields that changed, named and valued in words, never as JSON', () => {
		expect(diff({ status: 'held', n: 1 }, { status: 'published', n: 1 })).toEqual([
			{ key: 'status', label: 'Status', before: 'held', after: 'published' }
		]);
		expect(diff(null, { email: 'a@example.org', role: 'admin' })).toEqual([
			{ key: 'email', label: 'Email', before: '—', after: 'a@example.org' },
			{ key: 'role', label: 'Role', before: '—', after: 'admin' }
		]);
		expect(diff({ at: null, tags: ['a'] }, { at: '2024-01-01', tags: ['a'] })).toEqual([
			{ key: 'at', label: 'at', before: '—', after: '2024-01-01' }
		]);
		expect(diff({ a: { b: 1 } }, { a: { b: 2 } })).toEqual([
			{ key: 'a', label: 'a', before: 'b: 1', after: 'b: 2' }
		]);
		expect(diff(null, null)).toEqual([]);
		expect(diff({ long: 'x'.repeat(500) }, {})[0]?.before.length).toBeLessThanOrEqual(160);

		// A listing edit: prices per treatment, kinds and conditions by name, dates and money.
		const before = {
			slug: 'cedar-clinic',
			kinds: ['clinic'],
			consultFee: 350,
			acceptsInsurance: false,
			lastVerifiedAt: '2026-03-12T14:02:00.000Z',
			routes: [{ code: 'iv', priceMin: 400, priceMax: 650, seriesPrice: 2400 }],
			conditions: ['trd']
		};
		const after = {
			...before,
			kinds: ['clinic', 'kap'],
			consultFee: 300,
			acceptsInsurance: true,
			lastVerifiedAt: '2026-03-13T09:30:00.000Z',
			routes: [
				{ code: 'iv', priceMin: 400, priceMax: 650, seriesPrice: 2400 },
				{ code: 'troche', priceMin: 75 }
			],
			conditions: ['trd', 'ptsd']
		};
		const changes = diff(before, after);
		expect(changes.map((c) => [c.label, c.before, c.after])).toEqual([
			['Kinds', 'Clinic', 'Clinic, Ketamine-assisted psychotherapy (KAP) practice'],
			['Consultation fee', '$350', '$300'],
			['Accepts insurance', 'No', 'Yes'],
			['Last verified', 'Mar 12, 2026, 2:02 PM UTC', 'Mar 13, 2026, 9:30 AM UTC'],
			['Conditions treated', expect.any(String), expect.any(String)],
			['Troche / lozenge (sublingual)', 'not offered', 'from $75']
		]);
		for (const c of changes) {
			expect(c.before + c.after).not.toMatch(/[{}[\]"]/);
		}
		// A request approval's fields, by their names.
		expect(
			diff({ status: 'pending' }, { status: 'approved', applied: ['consultFee', 'routes.iv'] })
		).toEqual([
			{ key: 'status', label: 'Status', before: 'pending', after: 'approved' },
			{
				key: 'applied',
				label: 'Applied from the request',
				before: '—',
				after: 'Consultation fee, IV infusion'
			}
		]);
	});

	it('the audit log refuses UPDATE, DELETE and TRUNCATE', async () => {
		const erin = await person(ctx.db, 'erin');
		const [id] = await insert(ctx.db, [
			{
				actorId: erin.id,
				action: 'rating.hide',
				entityType: 'rating',
				entityId: '77',
				reason: 'original'
			}
		]);
		expect(
			await refusal(ctx.db.execute(sql`update audit_log set reason = 'rewritten' where id = ${id}`))
		).toMatch(/append-only: UPDATE is not allowed/);
		expect(await refusal(ctx.db.execute(sql`delete from audit_log where id = ${id}`))).toMatch(
			/append-only: DELETE is not allowed/
		);
		expect(await refusal(ctx.db.execute(sql`truncate audit_log`))).toMatch(
			/append-only: TRUNCATE is not allowed/
		);
		expect(
			await refusal(ctx.db.update(auditLog).set({ reason: 'rewritten' }).where(eq(auditLog.id, id)))
		).toMatch(/append-only/);
		const [row = missing()] = await ctx.db.select().from(auditLog).where(eq(auditLog.id, id));
		expect(row.reason).toBe('original');
	});
});

import { and, asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { activeFor, addNote, editNote, notesFor, retireNote } from '$lib/server/editorial-notes';
import { createUser } from '$lib/server/auth';
import { annotations, auditLog } from '$lib/server/db/schema';
import { geocode } from '$lib/server/geocode';
import { loadRecord } from '$lib/server/providers';
import {
	changeProvider,
	findProviders,
	parseListingEdit,
	providerHistory,
	providerStatus,
	updateListing
} from '$lib/server/provider-admin';
import { getBySlug, search } from '$lib/server/providers';
import { closeReport, openReports, submitReport } from '$lib/server/reports';
import {
	editorialNoteSchema,
	closeReportSchema,
	parseId,
	providerSearchSchema,
	suspendSchema
} from '$lib/schemas/provider-admin';
import { parseQuery } from '$lib/schemas/query';
import { reportSchema } from '$lib/schemas/report';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';
import { missing } from '../helpers/rows';

/** A FormData as the edit page's form posts it. */
function formData(fields: Record<string, string | string[]>): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) {
		for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
	}
	return form;
}

describeEachDatabase('provider administration', (ctx) => {
	let n = 0;
	const moderator = () =>
		createUser(ctx.db, {
			email: `moderator-${++n}@example.org`,
			password: 'x'.repeat(12),
			role: 'moderator'
		});

	const entriesFor = (entityType: string, entityId: number) =>
		ctx.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, String(entityId))))
			.orderBy(asc(auditLog.id));

	it('finds providers of any status by name, slug, city or ZIP, case-insensitively', async () => {
		// Texas, Colorado and New Mexico belong to this test alone.
		const alder = await insertProvider(ctx.db, {
			name: 'Grove Alder Infusions',
			kinds: ['clinic'],
			state: 'TX',
			city: 'Austin',
			zip: '78701'
		});
		const birch = await insertProvider(ctx.db, {
			name: 'Grove Birch Telehealth',
			kinds: ['telehealth'],
			state: 'CO',
			city: 'Denver',
			zip: '80202',
			status: 'suspended',
			telehealthStates: ['CO']
		});
		const cedar = await insertProvider(ctx.db, {
			name: 'Grove Cedar Spravato',
			kinds: ['spravato'],
			state: 'NM',
			city: 'Santa Fe',
			zip: '87501',
			status: 'pending',
			isDemo: true
		});
		const dogwood = await insertProvider(ctx.db, {
			name: 'Grove Dogwood 100% Clinic',
			slug: 'dogwood-houston',
			kinds: ['clinic'],
			state: 'TX',
			city: 'Houston',
			zip: '77002'
		});
		const ids = async (filters: Parameters<typeof findProviders>[1]) =>
			(await findProviders(ctx.db, filters)).rows.map((r) => r.id);

		expect(await ids({ q: 'ALDER' })).toEqual([alder]);
		expect(await ids({ q: 'denver' })).toEqual([birch]);
		expect(await ids({ q: '8750' })).toEqual([cedar]);
		expect(await ids({ q: 'dogwood-hou' })).toEqual([dogwood]);
		// LIKE wildcards typed into the box are plain characters.
		expect(await ids({ q: '100%' })).toEqual([dogwood]);
		expect(await ids({ q: '%' })).toEqual([dogwood]);
		expect(await ids({ q: 'grove_' })).toEqual([]);

		expect(await ids({ state: 'TX' })).toEqual([alder, dogwood]);
		expect(await ids({ state: 'CO' })).toEqual([birch]);
		expect(await ids({ q: 'grove', status: 'suspended' })).toEqual([birch]);
		expect(await ids({ q: 'grove', status: 'pending' })).toEqual([cedar]);
		expect(await ids({ q: 'grove', status: 'published' })).toEqual([alder, dogwood]);
		expect(await ids({ q: 'grove', demo: 'yes' })).toEqual([cedar]);
		expect(await ids({ q: 'grove', demo: 'no' })).toEqual([alder, birch, dogwood]);
		expect(await ids({ q: 'grove', state: 'TX', status: 'published', demo: 'no' })).toEqual([
			alder,
			dogwood
		]);

		const [row] = (await findProviders(ctx.db, { q: 'cedar' })).rows;
		expect(row).toMatchObject({
			name: 'Grove Cedar Spravato',
			slug: 'grove-cedar-spravato',
			city: 'Santa Fe',
			state: 'NM',
			kinds: ['spravato'],
			status: 'pending',
			isDemo: true,
			lastVerifiedAt: null
		});
	});

	it('pages through 50 providers at a time', async () => {
		for (let i = 1; i <= 51; i++) {
			await insertProvider(ctx.db, {
				name: `Paging Clinic ${String(i).padStart(2, '0')}`,
				kinds: ['clinic'],
				state: 'WY'
			});
		}
		const first = await findProviders(ctx.db, { state: 'WY' });
		expect(first).toMatchObject({ total: 51, page: 1, perPage: 50 });
		expect(first.rows).toHaveLength(50);
		expect(first.rows[0]?.name).toBe('Paging Clinic 01');
		expect(first.rows[49]?.name).toBe('Paging Clinic 50');
		const second = await findProviders(ctx.db, { state: 'WY', page: 2 });
		expect(second.rows.map((r) => r.name)).toEqual(['Paging Clinic 51']);
		const beyond = await findProviders(ctx.db, { state: 'WY', page: 3 });
		expect(beyond).toMatchObject({ total: 51, rows: [] });
	});

	it('explains query values it cannot use instead of failing', () => {
		const query = parseQuery(
			providerSearchSchema,
			new URLSearchParams('q=x&state=XX&status=gone&demo=maybe&page=0')
		);
		expect(query.ok).toBe(false);
		if (query.ok) return;
		expect(Object.keys(query.problem.fields).sort()).toEqual(['demo', 'page', 'state', 'status']);
		expect(query.problem.fields.status).toContain('published, pending or suspended');
		const good = parseQuery(
			providerSearchSchema,
			new URLSearchParams('q=+Austin+&state=tx&status=suspended&demo=no&page=2')
		);
		expect(good).toEqual({
			ok: true,
			data: { q: 'Austin', state: 'TX', status: 'suspended', demo: 'no', page: 2 }
		});
		expect(parseId('12')).toBe(12);
		for (const bad of ['0', '-1', 'abc', '1.5', '99999999999', '2147483648']) {
			expect(parseId(bad), bad).toBeNull();
		}
	});

	it('a moderator rewrites every kind of field, on the record with before and after', async () => {
		const actor = await moderator();
		const id = await insertProvider(ctx.db, {
			name: 'Hawthorn Clinic',
			kinds: ['clinic'],
			state: 'OR',
			city: 'Portland',
			zip: '97201',
			lat: 45.5,
			lng: -122.7,
			routes: [{ code: 'iv', priceMin: 400, priceMax: 600 }],
			conditions: ['mdd']
		});
		const edit = parseListingEdit(
			formData({
				name: 'Hawthorn Mind Care',
				kinds: ['clinic', 'telehealth', 'spravato'],
				description: 'Infusions and\r\nSpravato.',
				street: '1 Main St',
				city: 'Salem',
				state: 'OR',
				zip: '97301',
				phone: '503 555 0123',
				website: 'hawthorn.example',
				email: 'Front@Hawthorn.example',
				'routes.im': 'on',
				'routes.im.priceMin': '$350',
				'routes.im.priceMax': '500',
				'routes.im.seriesPrice': '2,400',
				'routes.im.notes': 'Six sessions',
				'routes.esketamine': 'on',
				consultFee: '150',
				acceptsInsurance: 'on',
				insuranceNotes: 'Spravato only',
				offersPsychotherapy: 'on',
				acceptingNewPatients: 'no',
				acceptingConfirmedOn: '2026-10-01',
				telehealthStates: ['WA', 'OR'],
				conditions: ['ptsd', 'trd'],
				slug: ' Hawthorn-Mind ',
				lat: '44.94',
				lng: '-123.03',
				reason: 'Confirmed by phone'
			})
		);
		expect(edit.ok).toBe(true);
		if (!edit.ok) return;
		expect(await updateListing(ctx.db, id, edit.input, actor)).toEqual({
			ok: true,
			slug: 'hawthorn-mind'
		});

		const saved = await loadRecord(ctx.db, { id: id });
		expect(saved).toMatchObject({ slug: 'hawthorn-mind', lat: 44.94, lng: -123.03 });
		expect(saved!.listing).toEqual({
			name: 'Hawthorn Mind Care',
			kinds: ['clinic', 'telehealth', 'spravato'],
			description: 'Infusions and\nSpravato.',
			street: '1 Main St',
			city: 'Salem',
			state: 'OR',
			zip: '97301',
			phone: '(503) 555-0123',
			website: 'https://hawthorn.example',
			email: 'front@hawthorn.example',
			routes: [
				{
					code: 'im',
					priceMin: 350,
					priceMax: 500,
					seriesPrice: 2400,
					notes: 'Six sessions'
				},
				{ code: 'esketamine' }
			],
			consultFee: 150,
			acceptsInsurance: true,
			insuranceNotes: 'Spravato only',
			offersPsychotherapy: true,
			acceptingNewPatients: 'no',
			acceptingConfirmedOn: '2026-10-01',
			telehealthStates: ['OR', 'WA'],
			conditions: ['trd', 'ptsd']
		});
		// The public profile follows the new slug; the old one is gone.
		expect(await getBySlug(ctx.db, 'hawthorn-clinic')).toBeNull();
		expect(await getBySlug(ctx.db, 'hawthorn-mind')).toMatchObject({
			name: 'Hawthorn Mind Care',
			telehealthStates: ['OR', 'WA']
		});

		const [entry = missing()] = await entriesFor('provider', id);
		expect(entry).toMatchObject({
			actorId: actor.id,
			action: 'provider.update',
			reason: 'Confirmed by phone'
		});
		expect(entry.before).toMatchObject({
			slug: 'hawthorn-clinic',
			name: 'Hawthorn Clinic',
			lat: 45.5,
			routes: [{ code: 'iv', priceMin: 400, priceMax: 600 }],
			conditions: ['mdd'],
			telehealthStates: []
		});
		expect(entry.after).toMatchObject({
			slug: 'hawthorn-mind',
			name: 'Hawthorn Mind Care',
			lat: 44.94,
			lng: -123.03,
			consultFee: 150,
			routes: [
				{ code: 'im', priceMin: 350, priceMax: 500, seriesPrice: 2400 },
				{ code: 'esketamine' }
			],
			telehealthStates: ['WA', 'OR'],
			conditions: ['ptsd', 'trd']
		});
		const history = await providerHistory(ctx.db, id);
		expect(history.map((h) => [h.action, h.actorEmail, h.reason])).toEqual([
			['provider.update', actor.email, 'Confirmed by phone']
		]);
	});

	it('keeps the edit form’s input and says what is wrong, field by field', () => {
		const base = {
			name: 'Juniper Clinic',
			kinds: 'clinic',
			city: 'Austin',
			state: 'TX',
			zip: '78701',
			'routes.iv': 'on',
			slug: 'juniper-clinic'
		};
		const bad = parseListingEdit(
			formData({
				...base,
				'routes.iv.priceMin': '900',
				'routes.iv.priceMax': '100',
				slug: 'Not A Slug!',
				lat: '91',
				lng: ''
			})
		);
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(bad.values).toMatchObject({
			slug: 'Not A Slug!',
			lat: '91',
			'routes.iv.priceMin': '900'
		});
		expect(Object.keys(bad.errors).sort()).toEqual(['lat', 'lng', 'routes.iv.priceMax', 'slug']);

		// Both boxes cleared: the pin goes to the ZIP code's centre.
		const centred = parseListingEdit(formData({ ...base, lat: '', lng: ' ' }));
		const austin = geocode('78701');
		expect(austin.ok).toBe(true);
		if (!centred.ok || !austin.ok) throw new Error('expected a valid edit');
		expect([centred.input.lat, centred.input.lng]).toEqual([austin.place.lat, austin.place.lng]);

		const elsewhere = parseListingEdit(formData({ ...base, state: 'OK', lat: '', lng: '' }));
		expect(elsewhere.ok).toBe(false);
		if (!elsewhere.ok) expect(elsewhere.errors.lat).toContain('ZIP 78701 is in Texas');
	});

	it('refuses a slug another provider uses, and changes nothing', async () => {
		const actor = await moderator();
		await insertProvider(ctx.db, { name: 'Larch Clinic', kinds: ['clinic'], state: 'ID' });
		const id = await insertProvider(ctx.db, {
			name: 'Linden Clinic',
			kinds: ['clinic'],
			state: 'ID',
			routes: ['iv']
		});
		const current = await loadRecord(ctx.db, { id: id });
		const result = await updateListing(
			ctx.db,
			id,
			{
				listing: { ...current!.listing, name: 'Renamed' },
				slug: 'larch-clinic',
				lat: 43,
				lng: -116
			},
			actor
		);
		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			fields: { slug: 'Another provider already uses the slug “larch-clinic” (Larch Clinic).' }
		});
		expect((await loadRecord(ctx.db, { id: id }))!.listing.name).toBe('Linden Clinic');
		expect(await entriesFor('provider', id)).toEqual([]);
		expect(await updateListing(ctx.db, 2_000_000_000, { ...current!, slug: 'x' }, actor)).toEqual({
			ok: false,
			code: 'not_found',
			message: 'That provider does not exist.'
		});
	});

	it('suspending hides a provider from the directory; unsuspending brings it back', async () => {
		const actor = await moderator();
		const id = await insertProvider(ctx.db, {
			name: 'Maple Clinic',
			kinds: ['clinic'],
			state: 'ME',
			routes: ['iv']
		});
		const inMaine = async () =>
			(await search(ctx.db, { state: 'ME', page: 1, pageSize: 20 })).results.map((r) => r.slug);
		expect(await inMaine()).toEqual(['maple-clinic']);

		expect(suspendSchema.safeParse({ reason: '  ' }).success).toBe(false);
		const { reason } = suspendSchema.parse({ reason: 'Clinic closed' });
		expect(await changeProvider(ctx.db, id, { status: 'suspended' }, reason, actor)).toBe(true);
		expect(await getBySlug(ctx.db, 'maple-clinic')).toBeNull();
		expect(await inMaine()).toEqual([]);
		expect((await findProviders(ctx.db, { state: 'ME' })).rows[0]?.status).toBe('suspended');

		expect(await changeProvider(ctx.db, id, { status: 'published' }, undefined, actor)).toBe(true);
		expect(await getBySlug(ctx.db, 'maple-clinic')).toMatchObject({ name: 'Maple Clinic' });
		expect(await inMaine()).toEqual(['maple-clinic']);

		const entries = await entriesFor('provider', id);
		expect(entries.map((e) => [e.action, e.before, e.after, e.reason])).toEqual([
			['provider.suspend', { status: 'published' }, { status: 'suspended' }, 'Clinic closed'],
			['provider.publish', { status: 'suspended' }, { status: 'published' }, null]
		]);
		expect((await providerHistory(ctx.db, id)).map((h) => h.action)).toEqual([
			'provider.publish',
			'provider.suspend'
		]);
		expect(await changeProvider(ctx.db, 2_000_000_000, { verified: true }, undefined, actor)).toBe(
			false
		);
	});

	it('marks a provider verified today', async () => {
		const actor = await moderator();
		const id = await insertProvider(ctx.db, {
			name: 'Nutmeg Clinic',
			kinds: ['clinic'],
			state: 'CT',
			lastVerifiedAt: new Date('2024-03-01T00:00:00Z')
		});
		expect(await changeProvider(ctx.db, id, { verified: true }, 'Called them', actor)).toBe(true);
		const after = await loadRecord(ctx.db, { id: id });
		expect(Date.now() - after!.lastVerifiedAt!.getTime()).toBeLessThan(60_000);
		const [entry] = await entriesFor('provider', id);
		expect(entry).toMatchObject({
			action: 'provider.verify',
			before: { lastVerifiedAt: '2024-03-01T00:00:00.000Z' },
			reason: 'Called them'
		});
		expect((await getBySlug(ctx.db, 'nutmeg-clinic'))!.lastVerifiedAt).toEqual(
			after!.lastVerifiedAt
		);
	});

	it('editorial notes: add, edit and retire, each on the record; the profile shows active ones', async () => {
		const actor = await moderator();
		const id = await insertProvider(ctx.db, {
			name: 'Olive Clinic',
			kinds: ['clinic'],
			state: 'MA',
			routes: ['iv']
		});
		const other = await insertProvider(ctx.db, {
			name: 'Oak Clinic',
			kinds: ['clinic'],
			state: 'MA'
		});

		expect(editorialNoteSchema.safeParse({ title: ' ', body: '' }).error?.issues.length).toBe(2);
		expect(editorialNoteSchema.safeParse({ title: 'x'.repeat(121), body: 'ok' }).success).toBe(
			false
		);
		expect(editorialNoteSchema.safeParse({ title: 'ok', body: 'x'.repeat(2001) }).success).toBe(
			false
		);
		const input = editorialNoteSchema.parse({
			title: '  Licence   under review ',
			body: 'The state board is reviewing\r\nthis licence.'
		});
		expect(input).toEqual({
			title: 'Licence under review',
			body: 'The state board is reviewing\nthis licence.'
		});

		const added = await addNote(ctx.db, id, input, actor);
		expect(added.ok).toBe(true);
		if (!added.ok) return;
		const second = await addNote(ctx.db, id, { title: 'Second', body: 'Another' }, actor);
		if (!second.ok) throw new Error('expected the second note');
		expect((await activeFor(ctx.db, id)).map((a) => a.title).sort()).toEqual([
			'Licence under review',
			'Second'
		]);
		expect(await activeFor(ctx.db, other)).toEqual([]);

		const edited = await editNote(
			ctx.db,
			id,
			added.id,
			{ title: 'Licence reviewed', body: 'The board closed its review.' },
			actor
		);
		expect(edited).toEqual({ ok: true, id: added.id });
		expect((await activeFor(ctx.db, id)).find((a) => a.id === added.id)).toMatchObject({
			title: 'Licence reviewed',
			body: 'The board closed its review.'
		});
		// A note is only changed through its own provider.
		expect(await editNote(ctx.db, other, added.id, { title: 'x', body: 'y' }, actor)).toMatchObject(
			{ ok: false, code: 'not_found' }
		);

		expect(await retireNote(ctx.db, id, added.id, 'Resolved', actor)).toEqual({
			ok: true,
			id: added.id
		});
		expect((await activeFor(ctx.db, id)).map((a) => a.id)).toEqual([second.id]);
		expect(await retireNote(ctx.db, id, added.id, undefined, actor)).toMatchObject({
			ok: false,
			code: 'retired'
		});
		expect(await editNote(ctx.db, id, added.id, { title: 'x', body: 'y' }, actor)).toMatchObject({
			ok: false,
			code: 'retired'
		});
		expect(await addNote(ctx.db, 2_000_000_000, input, actor)).toMatchObject({
			ok: false,
			code: 'not_found'
		});

		const listed = await notesFor(ctx.db, id);
		expect(listed.map((a) => [a.id, a.status, a.createdByEmail])).toEqual([
			[second.id, 'active', actor.email],
			[added.id, 'retired', actor.email]
		]);
		expect(listed[1]?.retiredAt).toBeInstanceOf(Date);
		const [stored] = await ctx.db.select().from(annotations).where(eq(annotations.id, added.id));
		expect(stored).toMatchObject({ status: 'retired', title: 'Licence reviewed' });

		const entries = await entriesFor('annotation', added.id);
		expect(entries.map((e) => [e.action, e.actorId, e.before, e.after, e.reason])).toEqual([
			[
				'annotation.add',
				actor.id,
				null,
				{
					providerId: id,
					title: 'Licence under review',
					body: 'The state board is reviewing\nthis licence.',
					status: 'active'
				},
				null
			],
			[
				'annotation.edit',
				actor.id,
				{
					providerId: id,
					title: 'Licence under review',
					body: 'The state board is reviewing\nthis licence.'
				},
				{ providerId: id, title: 'Licence reviewed', body: 'The board closed its review.' },
				null
			],
			[
				'annotation.retire',
				actor.id,
				{ providerId: id, title: 'Licence reviewed', status: 'active' },
				{ providerId: id, title: 'Licence reviewed', status: 'retired' },
				'Resolved'
			]
		]);
		// The provider's history includes its notes' entries, not its neighbour's.
		expect((await providerHistory(ctx.db, id)).map((h) => h.action)).toEqual([
			'annotation.retire',
			'annotation.edit',
			'annotation.add',
			'annotation.add'
		]);
		expect(await providerHistory(ctx.db, other)).toEqual([]);
	});

	it('the report queue knows which provider each report is about', async () => {
		const id = await insertProvider(ctx.db, {
			name: 'Pecan Clinic',
			kinds: ['clinic'],
			state: 'GA',
			routes: ['iv']
		});
		const sent = await submitReport(
			ctx.db,
			'pecan-clinic',
			reportSchema.parse({ reason: 'closed' }),
			{
				address: '198.51.100.20'
			}
		);
		if (!sent.ok) throw new Error('expected the report to be sent');
		expect((await openReports(ctx.db)).find((r) => r.id === sent.id)).toMatchObject({
			providerId: id,
			providerSlug: 'pecan-clinic'
		});
		// Resolving with "suspend" closes the report and suspends the listing in one go, on record.
		const moderator = await createUser(ctx.db, {
			email: 'pecan-moderator@example.org',
			password: 'a long enough password',
			role: 'moderator'
		});
		expect(
			await closeReport(
				ctx.db,
				sent.id,
				{ status: 'resolved', resolution: 'Closed for good', listing: 'suspend' },
				moderator
			)
		).toEqual({ providerName: 'Pecan Clinic' });
		expect(await providerStatus(ctx.db, id)).toBe('suspended');
		expect(await getBySlug(ctx.db, 'pecan-clinic')).toBeNull();
		const entries = await ctx.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityType, 'provider'), eq(auditLog.entityId, String(id))));
		expect(entries.map((e) => [e.action, e.reason])).toEqual([
			['provider.suspend', 'Closed for good']
		]);
		expect(
			closeReportSchema.parse({
				reportId: String(sent.id),
				resolution: 'Closed',
				suspend: 'on',
				decision: 'resolved'
			})
		).toEqual({
			reportId: sent.id,
			decision: { status: 'resolved', resolution: 'Closed', listing: 'suspend' }
		});
		expect(
			closeReportSchema.safeParse({
				reportId: '99999999999',
				resolution: 'x',
				decision: 'resolved'
			}).success
		).toBe(false);
	});
});

import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { count, eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { createUser, type SessionUser } from '$lib/server/auth';
import {
	checkProvidersCsv,
	exportPublishedCsv,
	exportPublishedJson,
	importProvidersCsv
} from '$lib/server/csv';
import { auditLog, providers } from '$lib/server/db/schema';
import { loadRecord } from '$lib/server/providers';
import { actions } from '../../src/routes/admin/(staff)/import/+page.server';
import { GET as exportCsv } from '../../src/routes/admin/export/providers.csv/+server';
import { GET as exportJson } from '../../src/routes/admin/export/providers.json/+server';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';
import { missing } from '../helpers/rows';

type Row = Record<string, string>;

/** A CSV file with the union of the rows' columns, in first-seen order. */
function csvFile(rows: Row[]): string {
	const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
	return stringify([columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))]);
}

const clinic = (name: string, over: Row = {}): Row => ({
	slug: '',
	name,
	kinds: 'clinic',
	city: 'Austin',
	state: 'TX',
	zip: '78701',
	routes: 'iv',
	...over
});

describeEachDatabase('CSV import and export', (ctx) => {
	let admin: SessionUser;
	let moderator: SessionUser;

	beforeAll(async () => {
		admin = await createUser(ctx.db, {
			email: 'csv-admin@example.org',
			password: 'x'.repeat(12),
			role: 'admin'
		});
		moderator = await createUser(ctx.db, {
			email: 'csv-moderator@example.org',
			password: 'x'.repeat(12),
			role: 'moderator'
		});
	});

	async function counts() {
		const [[p = missing()], [a = missing()]] = await Promise.all([
			ctx.db.select({ n: count() }).from(providers),
			ctx.db.select({ n: count() }).from(auditLog)
		]);
		return { providers: p.n, audit: a.n };
	}

	async function bySlug(slug: string) {
		const [row] = await ctx.db
			.select({ id: providers.id })
			.from(providers)
			.where(eq(providers.slug, slug));
		return row ? loadRecord(ctx.db, { id: row.id }) : null;
	}

	const auditFor = (source: string) =>
		ctx.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.reason, `CSV import: ${source}`));

	it('imports the example file: new providers readable, placed at their ZIP, audited', async () => {
		const text = readFileSync('docs/examples/providers-import.csv', 'utf8');
		const before = await counts();
		const report = await importProvidersCsv(ctx.db, text, admin, 'providers-import.csv');
		expect(report).toEqual({ ok: true, rows: 3, creates: 3, updates: 0, errors: [] });
		expect(await counts()).toEqual({
			providers: before.providers + 3,
			audit: before.audit + 3
		});

		const blue = await bySlug('bluebonnet-infusion-clinic-austin');
		expect(blue).toMatchObject({
			status: 'published',
			lat: 30.2713,
			lng: -97.7426,
			lastVerifiedAt: new Date('2025-03-01T00:00:00Z'),
			listing: {
				name: 'Bluebonnet Infusion Clinic',
				kinds: ['clinic'],
				description:
					'IV infusions in a quiet room, with music and eye masks. A driver home is required.',
				zip: '78701',
				phone: '(512) 555-0101',
				website: 'https://bluebonnet.example',
				routes: [
					{ code: 'iv', priceMin: 400, priceMax: 650, seriesPrice: 2400 },
					{ code: 'im', priceMin: 300 }
				],
				consultFee: 350,
				acceptsInsurance: false,
				offersPsychotherapy: true,
				telehealthStates: [],
				conditions: ['trd', 'ptsd', 'anxiety']
			}
		});
		expect(await bySlug('lakeshore-spravato-center-chicago')).toMatchObject({
			status: 'published',
			listing: {
				kinds: ['spravato', 'clinic'],
				website: 'https://lakeshore.example',
				phone: '(312) 555-0102',
				routes: [{ code: 'esketamine', notes: 'Most commercial plans and the VA' }],
				acceptsInsurance: true
			}
		});
		const evergreen = await bySlug('evergreen-at-home-ketamine-portland');
		expect(evergreen).toMatchObject({
			status: 'pending',
			lastVerifiedAt: null,
			listing: {
				street: undefined,
				telehealthStates: ['CA', 'OR', 'WA'],
				routes: [{ code: 'troche', priceMin: 75, priceMax: 90, seriesPrice: 300 }]
			}
		});

		const entries = await auditFor('providers-import.csv');
		expect(entries.map((e) => [e.action, e.actorId, e.entityType, e.before]).sort()).toEqual(
			Array(3).fill(['provider.import.create', admin.id, 'provider', null])
		);
		expect(entries.find((e) => e.entityId === String(evergreen!.id))?.after).toMatchObject({
			slug: 'evergreen-at-home-ketamine-portland',
			status: 'pending',
			name: 'Evergreen At-Home Ketamine'
		});

		// The same slug-less file again would list every practice twice: refused, nothing written.
		const again = await importProvidersCsv(ctx.db, text, admin, 'again.csv');
		expect(again.ok).toBe(false);
		expect(again.errors.map((e) => [e.row, e.column])).toEqual([
			[2, 'slug'],
			[3, 'slug'],
			[4, 'slug']
		]);
		expect(again.errors[0]?.message).toMatch(
			/already listed as “bluebonnet-infusion-clinic-austin”/
		);
		expect(await counts()).toEqual({ providers: before.providers + 3, audit: before.audit + 3 });
	});

	it('updates the provider a slug names, keeping the columns the file leaves out', async () => {
		const id = await insertProvider(ctx.db, {
			name: 'Update Me Clinic',
			slug: 'update-me-clinic',
			kinds: ['clinic'],
			city: 'Austin',
			state: 'TX',
			zip: '78701',
			lat: 30.1,
			lng: -97.1,
			description: 'Keep this description.',
			phone: '(512) 555-0110',
			status: 'suspended',
			routes: [{ code: 'iv', priceMin: 300, priceMax: 500, notes: 'Keep these notes' }]
		});
		const file = csvFile([
			{
				...clinic('Update Me Clinic', { slug: 'Update-Me-Clinic', routes: 'iv;troche' }),
				iv_price_max: '550',
				troche_price_min: '80',
				status: 'suspended',
				last_verified: '2025-01-15'
			}
		]);
		const report = await importProvidersCsv(ctx.db, file, admin, 'update.csv');
		expect(report).toEqual({ ok: true, rows: 1, creates: 0, updates: 1, errors: [] });
		const after = await loadRecord(ctx.db, { id: id });
		expect(after).toMatchObject({
			slug: 'update-me-clinic',
			status: 'suspended',
			lat: 30.1,
			lng: -97.1,
			lastVerifiedAt: new Date('2025-01-15T00:00:00Z'),
			listing: {
				description: 'Keep this description.',
				phone: '(512) 555-0110',
				routes: [
					{ code: 'iv', priceMin: 300, priceMax: 550, notes: 'Keep these notes' },
					{ code: 'troche', priceMin: 80 }
				]
			}
		});
		const [entry] = await auditFor('update.csv');
		expect(entry).toMatchObject({
			action: 'provider.import.update',
			entityId: String(id),
			actorId: admin.id,
			before: { routes: [{ code: 'iv', priceMax: 500 }] },
			after: {
				routes: [
					{ code: 'iv', priceMax: 550 },
					{ code: 'troche', priceMin: 80 }
				]
			}
		});

		// Moving it re-places it at the new ZIP; a route dropped from `routes` loses its prices;
		// the status column, left out, keeps the stored status.
		const moved = csvFile([
			clinic('Update Me Clinic', {
				slug: 'update-me-clinic',
				city: 'New York',
				state: 'NY',
				zip: '10001',
				routes: 'troche'
			})
		]);
		expect((await importProvidersCsv(ctx.db, moved, admin, 'move.csv')).ok).toBe(true);
		expect(await loadRecord(ctx.db, { id: id })).toMatchObject({
			status: 'suspended',
			lat: 40.7484,
			lng: -73.9967,
			listing: { state: 'NY', routes: [{ code: 'troche', priceMin: 80 }] }
		});
	});

	it('reports every bad cell with its spreadsheet row and column, and writes nothing', async () => {
		const rows: Row[] = [
			clinic('Bad Kind', { kinds: 'clinic;hospital' }),
			clinic('Bad Route', { routes: 'iv;vape' }),
			clinic('Bad State', { state: 'ZZ' }),
			clinic('Bad Condition', { conditions: 'mdd;sadness' }),
			clinic('Bad Price', { iv_price_min: 'cheap' }),
			clinic('Min Over Max', { iv_price_min: '800', iv_price_max: '400' }),
			clinic('Unoffered Price', { troche_price_min: '90' }),
			clinic('Wrong State Zip', { zip: '10001' }),
			clinic('Unknown Zip', { zip: '00000' }),
			clinic('', {}),
			clinic('Lat Range', { lat: '95', lng: '-97' }),
			clinic('Only Lat', { lat: '30.2' }),
			clinic('Lat Word', { lat: 'north', lng: '-97' }),
			clinic('Insurance Maybe', { accepts_insurance: 'maybe' }),
			clinic('Therapy Sometimes', { offers_psychotherapy: 'sometimes' }),
			clinic('Telehealth Nowhere', { kinds: 'telehealth' }),
			clinic('Clinic With States', { telehealth_states: 'TX' }),
			clinic('Telehealth Bad State', { kinds: 'telehealth', telehealth_states: 'TX;XX' }),
			clinic('Bad Slug', { slug: 'Bad Slug!' }),
			clinic('Bad Status', { status: 'open' }),
			clinic('Bad Date', { last_verified: '2025-02-30' }),
			clinic('Negative Fee', { consult_fee: '-5' }),
			clinic('Spravato Without It', { kinds: 'spravato' }),
			clinic('Bad Website', { website: 'not a url' }),
			clinic('Short Phone', { phone: '555-0100' }),
			clinic('Fine Clinic Among Bad', { iv_price_min: '$1,200' })
		];
		const before = await counts();
		const report = await importProvidersCsv(ctx.db, csvFile(rows), admin, 'bad.csv');
		expect(report).toMatchObject({ ok: false, rows: 26, creates: 26, updates: 0 });
		expect(report.errors.map((e) => [e.row, e.column])).toEqual([
			[2, 'kinds'],
			[3, 'routes'],
			[4, 'state'],
			[5, 'conditions'],
			[6, 'iv_price_min'],
			[7, 'iv_price_max'],
			[8, 'troche_price_min'],
			[9, 'zip'],
			[10, 'zip'],
			[11, 'name'],
			[12, 'lat'],
			[13, 'lng'],
			[14, 'lat'],
			[15, 'accepts_insurance'],
			[16, 'offers_psychotherapy'],
			[17, 'telehealth_states'],
			[18, 'telehealth_states'],
			[19, 'telehealth_states'],
			[20, 'slug'],
			[21, 'status'],
			[22, 'last_verified'],
			[23, 'consult_fee'],
			[24, 'routes'],
			[25, 'website'],
			[26, 'phone']
		]);
		const message = (row: number) => report.errors.find((e) => e.row === row)?.message;
		expect(message(2)).toMatch(/“hospital”/);
		expect(message(3)).toMatch(/“vape”/);
		expect(message(8)).toMatch(/routes does not list troche/);
		expect(message(9)).toMatch(/New York, not Texas/);
		expect(message(10)).toMatch(/don't know the ZIP code 00000/);
		expect(message(17)).toMatch(/needs the states/);
		expect(message(19)).toMatch(/“XX”/);
		expect(message(24)).toMatch(/add esketamine to routes/);
		expect(await counts()).toEqual(before);
		expect(await bySlug('fine-clinic-among-bad-austin')).toBeNull();
	});

	it('names both rows of a slug repeated in the file', async () => {
		const report = await checkProvidersCsv(
			ctx.db,
			csvFile([
				clinic('Twin One', { slug: 'twin-clinic' }),
				clinic('Other', { slug: 'other-clinic' }),
				clinic('Twin Two', { slug: 'twin-clinic' })
			])
		);
		expect(report.ok).toBe(false);
		expect(report.errors).toEqual([
			{ row: 2, column: 'slug', message: expect.stringContaining('also on row 4') as string },
			{ row: 4, column: 'slug', message: expect.stringContaining('also on row 2') as string }
		]);
	});

	it('stops at header problems before reading rows', async () => {
		const report = await checkProvidersCsv(
			ctx.db,
			'name,kinds,city,state,colour\nBad Header,clinic,Austin,TX,blue\n'
		);
		expect(report).toEqual({
			ok: false,
			rows: 0,
			creates: 0,
			updates: 0,
			errors: [
				{ row: 1, column: 'colour', message: expect.stringContaining('Unknown column') as string },
				{ row: 1, column: 'zip', message: 'The required column “zip” is missing.' },
				{ row: 1, column: 'routes', message: 'The required column “routes” is missing.' }
			]
		});
		const empty = await checkProvidersCsv(ctx.db, '');
		expect(empty.errors).toEqual([{ row: null, column: null, message: 'The file is empty.' }]);
	});

	it('writes nothing, not even the good rows or updates, when one row is bad', async () => {
		const id = await insertProvider(ctx.db, {
			name: 'All Or Nothing Clinic',
			slug: 'all-or-nothing',
			kinds: ['clinic'],
			state: 'TX',
			zip: '78701',
			routes: [{ code: 'iv', priceMin: 100 }]
		});
		const stored = await loadRecord(ctx.db, { id: id });
		const before = await counts();
		const file = csvFile([
			clinic('Good One'),
			clinic('All Or Nothing Clinic', { slug: 'all-or-nothing', iv_price_min: '999' }),
			clinic('Good Two', { city: 'Chicago', state: 'IL', zip: '60601' }),
			clinic('Bad One', { zip: '10001' })
		]);
		const report = await importProvidersCsv(ctx.db, file, admin, 'partial.csv');
		expect(report).toMatchObject({ ok: false, rows: 4, creates: 3, updates: 1 });
		expect(report.errors.map((e) => [e.row, e.column])).toEqual([[5, 'zip']]);
		expect(await counts()).toEqual(before);
		expect(await loadRecord(ctx.db, { id: id })).toEqual(stored);
		expect(await bySlug('good-one-austin')).toBeNull();
		expect(await auditFor('partial.csv')).toEqual([]);
	});

	it('a check (dry run) reports what would happen and writes nothing', async () => {
		const id = await insertProvider(ctx.db, {
			name: 'Dry Run Clinic',
			slug: 'dry-run-clinic',
			kinds: ['clinic'],
			state: 'TX',
			zip: '78701',
			routes: ['iv']
		});
		const stored = await loadRecord(ctx.db, { id: id });
		const before = await counts();
		const report = await checkProvidersCsv(
			ctx.db,
			csvFile([
				clinic('Dry Run Clinic', { slug: 'dry-run-clinic', iv_price_min: '450' }),
				clinic('Dry Run New', { routes: 'iv;im' })
			])
		);
		expect(report).toEqual({ ok: true, rows: 2, creates: 1, updates: 1, errors: [] });
		expect(await counts()).toEqual(before);
		expect(await loadRecord(ctx.db, { id: id })).toEqual(stored);
		expect(await bySlug('dry-run-new-austin')).toBeNull();
	});

	it('exports only published providers, and the export re-imports as identical updates', async () => {
		await insertProvider(ctx.db, {
			name: 'Round Trip Alpha',
			slug: 'round-trip-alpha',
			kinds: ['clinic', 'telehealth'],
			city: 'Denver',
			state: 'CO',
			zip: '80202',
			lat: 39.75,
			lng: -104.99,
			description: 'Line one, with a comma\n"Quoted" line two; and a semicolon',
			street: '=1+1 Formula Way',
			phone: '(303) 555-0111',
			website: 'https://alpha.example/path?q=1',
			email: 'care@alpha.example',
			consultFee: 250,
			acceptsInsurance: true,
			insuranceNotes: 'Some plans, out of network',
			offersPsychotherapy: true,
			lastVerifiedAt: new Date('2025-01-02T15:30:00Z'),
			routes: [
				{ code: 'iv', priceMin: 400, priceMax: 700, seriesPrice: 2800, notes: '+ magnesium' },
				{ code: 'troche', priceMin: 80, priceMax: 90 }
			],
			telehealthStates: ['CO', 'NM'],
			conditions: ['trd', 'ptsd']
		});
		await insertProvider(ctx.db, {
			name: '@Home Ketamine',
			slug: 'at-home-ketamine',
			kinds: ['kap'],
			city: 'Boulder',
			state: 'CO',
			zip: '00000',
			lat: 40.01,
			lng: -105.27,
			routes: ['rdt']
		});
		await insertProvider(ctx.db, {
			name: 'Round Trip Pending',
			kinds: ['clinic'],
			state: 'AK',
			status: 'pending',
			routes: ['iv']
		});
		await insertProvider(ctx.db, {
			name: 'Round Trip Suspended',
			kinds: ['clinic'],
			state: 'AK',
			status: 'suspended',
			routes: ['iv']
		});

		const publishedRows = await ctx.db
			.select({ id: providers.id, slug: providers.slug })
			.from(providers)
			.where(eq(providers.status, 'published'));
		const snapshot = async () =>
			Promise.all(
				publishedRows.map(async ({ id }) => {
					// Rewritten, so the version moves on; everything else reads back the same.
					const {
						updatedAt: _updatedAt,
						version: _version,
						...rest
					} = (await loadRecord(ctx.db, { id: id }))!;
					return rest;
				})
			);
		const before = await snapshot();

		const text = await exportPublishedCsv(ctx.db);
		const records: Row[] = parse(text, { bom: true, columns: true });
		expect(records.map((r) => r.slug).sort()).toEqual(publishedRows.map((r) => r.slug).sort());
		expect(records.map((r) => r.slug)).not.toContain('round-trip-pending');
		expect(records.map((r) => r.slug)).not.toContain('round-trip-suspended');
		const states = records.map((r) => r.state);
		expect(states).toEqual([...states].sort());
		const alpha = records.find((r) => r.slug === 'round-trip-alpha')!;
		expect(alpha).toMatchObject({
			kinds: 'clinic;telehealth',
			street: "'=1+1 Formula Way",
			iv_price_min: '400',
			iv_series_price: '2800',
			iv_notes: "'+ magnesium",
			im_price_min: '',
			accepts_insurance: 'yes',
			telehealth_states: 'CO;NM',
			status: 'published',
			last_verified: '2025-01-02'
		});
		expect(records.find((r) => r.slug === 'at-home-ketamine')?.name).toBe("'@Home Ketamine");

		const auditBefore = (await counts()).audit;
		const report = await importProvidersCsv(ctx.db, text, admin, 'export.csv');
		expect(report).toEqual({
			ok: true,
			rows: publishedRows.length,
			creates: 0,
			updates: publishedRows.length,
			errors: []
		});
		expect(await snapshot()).toEqual(before);
		expect((await counts()).audit).toBe(auditBefore + publishedRows.length);
		const updates = await ctx.db
			.select({ n: count() })
			.from(auditLog)
			.where(eq(auditLog.reason, 'CSV import: export.csv'));
		expect(updates[0]?.n).toBe(publishedRows.length);

		const json = await exportPublishedJson(ctx.db);
		expect(json.map((p) => p.slug)).toEqual(records.map((r) => r.slug));
		expect(json.find((p) => p.slug === 'round-trip-alpha')).toMatchObject({
			name: 'Round Trip Alpha',
			street: '=1+1 Formula Way',
			kinds: ['clinic', 'telehealth'],
			lat: 39.75,
			iv_price_min: 400,
			iv_series_price: 2800,
			iv_notes: '+ magnesium',
			im_price_min: null,
			accepts_insurance: true,
			telehealth_states: ['CO', 'NM'],
			conditions: ['trd', 'ptsd'],
			last_verified: '2025-01-02'
		});
	});

	it('serves the exports and the import page to admins only', async () => {
		const event = (user: SessionUser, path: string, init?: RequestInit) =>
			({
				locals: { db: ctx.db, dbKind: ctx.kind, user },
				url: new URL(`http://localhost${path}`),
				request: new Request(`http://localhost${path}`, init)
			}) as never;

		const csvResponse = await exportCsv(event(admin, '/admin/export/providers.csv'));
		expect(csvResponse.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csvResponse.headers.get('content-disposition')).toMatch(
			/^attachment; filename="providers-\d{4}-\d{2}-\d{2}\.csv"$/
		);
		expect(await csvResponse.text()).toContain('slug,name,kinds');
		const jsonResponse = await exportJson(event(admin, '/admin/export/providers.json'));
		expect(jsonResponse.headers.get('content-disposition')).toMatch(/providers-.*\.json"$/);
		expect(Array.isArray(await jsonResponse.json())).toBe(true);
		await expect(exportCsv(event(moderator, '/admin/export/providers.csv'))).rejects.toMatchObject({
			status: 403
		});
		await expect(
			exportJson(event(moderator, '/admin/export/providers.json'))
		).rejects.toMatchObject({ status: 403 });

		const upload = (user: SessionUser, action: 'check' | 'import', text: string | null) => {
			const form = new FormData();
			if (text !== null) form.set('file', new File([text], 'page.csv', { type: 'text/csv' }));
			return actions[action](
				event(user, `/admin/import?/${action}`, { method: 'POST', body: form })
			);
		};
		const good = csvFile([
			clinic('Page Upload Clinic', { city: 'Chicago', state: 'IL', zip: '60601' })
		]);
		await expect(upload(moderator, 'import', good)).rejects.toMatchObject({ status: 403 });
		expect(await bySlug('page-upload-clinic-chicago')).toBeNull();
		expect(await upload(admin, 'check', good)).toMatchObject({
			mode: 'check',
			report: { ok: true, creates: 1 }
		});
		expect(await bySlug('page-upload-clinic-chicago')).toBeNull();
		expect(await upload(admin, 'import', good)).toMatchObject({
			mode: 'import',
			fileName: 'page.csv',
			report: { ok: true, rows: 1, creates: 1, updates: 0 }
		});
		expect(await bySlug('page-upload-clinic-chicago')).not.toBeNull();
		expect(await upload(admin, 'import', good)).toMatchObject({
			status: 400,
			data: { report: { ok: false, errorCount: 1 } }
		});
		expect(await upload(admin, 'check', null)).toMatchObject({
			status: 400,
			data: { fileError: 'Choose a CSV file to check or import.' }
		});
	});
});

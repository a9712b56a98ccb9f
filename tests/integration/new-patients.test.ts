import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import { isoToday } from '$lib/domain/new-patients';
import type { Listing } from '$lib/domain/provider';
import { createUser, type SessionUser } from '$lib/server/auth';
import { exportPublishedCsv, importProvidersCsv } from '$lib/server/csv';
import * as providers from '$lib/server/providers';
import { loadRecord, writeListing } from '$lib/server/providers';
import { providerFiltersSchema } from '$lib/schemas/filters';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';

/**
 * "Accepting new patients" (yes / no / not known, with the day it was last confirmed): stored,
 * filtered on, carried by the CSV both ways, and never stored as an answer without its day.
 */

const listing = (over: Partial<Listing>): Listing => ({
	name: 'Settle Clinic',
	kinds: ['clinic'],
	description: '',
	city: 'Austin',
	state: 'TX',
	zip: '78701',
	routes: [{ code: 'iv' }],
	acceptsInsurance: false,
	offersPsychotherapy: false,
	acceptingNewPatients: 'unknown',
	telehealthStates: [],
	conditions: [],
	...over
});

describeEachDatabase('accepting new patients', (ctx) => {
	let admin: SessionUser;

	beforeAll(async () => {
		admin = await createUser(ctx.db, {
			email: 'new-patients-admin@example.org',
			password: 'x'.repeat(12),
			role: 'admin'
		});
		const common = { kinds: ['clinic'] as const, state: 'TX' as const, routes: ['iv' as const] };
		await insertProvider(ctx.db, {
			...common,
			kinds: ['clinic'],
			name: 'Open Door Clinic',
			acceptingNewPatients: 'yes',
			acceptingConfirmedOn: '2026-11-02'
		});
		await insertProvider(ctx.db, {
			...common,
			kinds: ['clinic'],
			name: 'Full Books Clinic',
			acceptingNewPatients: 'no',
			acceptingConfirmedOn: '2026-10-20'
		});
		await insertProvider(ctx.db, { ...common, kinds: ['clinic'], name: 'Quiet Clinic' });
	});

	it('filters to providers who said yes, and the list entry carries the answer and its day', async () => {
		const filters = providerFiltersSchema.parse({ state: 'TX', accepting: 'yes' });
		const { results, total } = await providers.search(ctx.db, filters);
		expect(total).toBe(1);
		expect(results[0]).toMatchObject({
			name: 'Open Door Clinic',
			acceptingNewPatients: 'yes',
			acceptingConfirmedOn: '2026-11-02'
		});
		const all = await providers.search(ctx.db, providerFiltersSchema.parse({ state: 'TX' }));
		expect(all.total).toBe(3);
		const refused = providerFiltersSchema.safeParse({ accepting: 'no' });
		expect(refused.success ? null : refused.error.issues[0]?.message).toBe(
			'accepting must be “yes” or left out.'
		);
	});

	it('imports and exports the two columns, and names a bad answer by its column', async () => {
		const header =
			'slug,name,kinds,city,state,zip,routes,accepting_new_patients,accepting_confirmed_on\n';
		const good = await importProvidersCsv(
			ctx.db,
			`${header},Import Door Clinic,clinic,Austin,TX,78701,iv,Yes,2026-09-30\n`,
			admin,
			'accepting.csv'
		);
		expect(good.ok).toBe(true);
		const rows = parse<Record<string, string>>(await exportPublishedCsv(ctx.db), {
			columns: true,
			bom: true
		});
		expect(rows.find((r) => r.name === 'Import Door Clinic')).toMatchObject({
			accepting_new_patients: 'yes',
			accepting_confirmed_on: '2026-09-30'
		});
		expect(rows.find((r) => r.name === 'Quiet Clinic')).toMatchObject({
			accepting_new_patients: 'unknown',
			accepting_confirmed_on: ''
		});

		const bad = await importProvidersCsv(
			ctx.db,
			`${header},Maybe Clinic,clinic,Austin,TX,78701,iv,sometimes,\n`,
			admin,
			'bad.csv'
		);
		expect(bad.ok).toBe(false);
		expect(bad.errors).toContainEqual(
			expect.objectContaining({
				column: 'accepting_new_patients',
				message: 'Choose whether you accept new patients: yes, no or not saying.'
			})
		);
	});

	it('never stores an answer without its day, nor a day without an answer', async () => {
		const placement = {
			slug: 'settle-clinic',
			lat: 30.27,
			lng: -97.74,
			status: 'published' as const,
			lastVerifiedAt: null
		};
		const id = await writeListing(ctx.db, listing({ acceptingNewPatients: 'yes' }), placement);
		expect((await loadRecord(ctx.db, { id }))?.listing).toMatchObject({
			acceptingNewPatients: 'yes',
			acceptingConfirmedOn: isoToday()
		});
		await writeListing(ctx.db, listing({ acceptingConfirmedOn: '2026-01-05' }), placement, id);
		const record = await loadRecord(ctx.db, { id });
		expect(record?.listing.acceptingNewPatients).toBe('unknown');
		expect(record?.listing.acceptingConfirmedOn).toBeUndefined();
	});
});

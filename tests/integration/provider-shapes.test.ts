import { beforeAll, expect, it } from 'vitest';
import { listingLines } from '$lib/domain/provider-fields';
import { listEntryJson, profileJson } from '$lib/server/api';
import { exportPublishedCsv, exportPublishedJson } from '$lib/server/csv';
import * as providers from '$lib/server/providers';
import { auditView, loadRecord } from '$lib/server/providers';

import { describeEachDatabase } from '../helpers/databases';
import { insertProviders, type ProviderFixture } from '../helpers/fixtures';

/**
 * Every shape a provider record is turned into — the card and list entry, the profile, the API's
 * JSON, the review lines, the CSV and JSON exports — pinned for a few providers that between them
 * use every field (blank and filled). A restructuring of how records are loaded and shaped must
 * leave these exactly as they are; a deliberate change updates the snapshot in the same commit.
 */

const verified = new Date('2026-05-04T12:30:00.000Z');

const FIXTURES: ProviderFixture[] = [
	{
		name: 'Alamo Ketamine Clinic',
		kinds: ['clinic', 'spravato'],
		state: 'TX',
		city: 'San Antonio',
		zip: '78205',
		lat: 29.42,
		lng: -98.49,
		description: 'IV infusions with vitals monitored; bring a driver.',
		website: 'https://alamo.example',
		phone: '(210) 555-0101',
		email: 'hello@alamo.example',
		street: '100 Main St, Suite 200',
		consultFee: 350,
		acceptsInsurance: true,
		insuranceNotes: '=Spravato with most plans',
		offersPsychotherapy: true,
		acceptingNewPatients: 'yes',
		acceptingConfirmedOn: '2026-11-20',
		lastVerifiedAt: verified,
		routes: [
			{ code: 'iv', priceMin: 400, priceMax: 650, seriesPrice: 2100, notes: 'Six over two weeks' },
			{ code: 'im', priceMin: 250, priceMax: 250 },
			{ code: 'esketamine' }
		],
		conditions: ['trd', 'ptsd', 'mdd']
	},
	{
		name: 'Drift Telehealth',
		kinds: ['telehealth', 'kap'],
		state: 'CA',
		city: 'Oakland',
		zip: '94612',
		lat: 37.8,
		lng: -122.27,
		telehealthStates: ['TX', 'CA', 'NY'],
		routes: [
			{ code: 'rdt', priceMax: 110 },
			{ code: 'troche', priceMin: 80 }
		]
	},
	{
		name: 'Bare Clinic',
		kinds: ['clinic'],
		state: 'NY',
		city: 'Albany',
		zip: '12207',
		lat: 42.65,
		lng: -73.75,
		routes: ['iv']
	}
];

/** What changes on every run (the time a row was written) is left out. */
function stable<T>(value: T): T {
	return JSON.parse(
		JSON.stringify(value, (key, v: unknown) => (key === 'updatedAt' ? '(written at)' : v))
	) as T;
}

describeEachDatabase('provider shapes', (ctx) => {
	const origin = 'https://directory.example.org';

	beforeAll(async () => {
		await insertProviders(ctx.db, FIXTURES);
	});

	it('list entries (cards and the API list) are unchanged', async () => {
		const { results } = await providers.search(ctx.db, { page: 1, pageSize: 10 });
		expect(stable(results)).toMatchSnapshot('summaries');
		expect(stable(results.map((p) => listEntryJson(p, origin)))).toMatchSnapshot('api list');
	});

	it('profiles (page and API) are unchanged', async () => {
		for (const { name } of FIXTURES) {
			const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
			const profile = await providers.getBySlug(ctx.db, slug);
			expect(profile, slug).not.toBeNull();
			const { id: _id, ...rest } = profile!;
			expect(stable(rest)).toMatchSnapshot(`profile ${slug}`);
			const { id: _apiId, ...json } = profileJson(profile!, origin) as { id?: unknown };
			expect(stable(json)).toMatchSnapshot(`api profile ${slug}`);
		}
	});

	it('review lines, exports and the CSV are unchanged', async () => {
		const json = await exportPublishedJson(ctx.db);
		expect(json).toMatchSnapshot('json export');
		expect(await exportPublishedCsv(ctx.db)).toMatchSnapshot('csv export');
		const { results } = await providers.search(ctx.db, { page: 1, pageSize: 10 });
		for (const summary of results) {
			const id = await providers.publishedId(ctx.db, summary.slug);
			const record = await loadRecord(ctx.db, { id: id! });
			expect(listingLines(record!.listing)).toMatchSnapshot(`lines ${summary.slug}`);
			expect(stable(auditView(record!))).toMatchSnapshot(`audit ${summary.slug}`);
		}
	});
});

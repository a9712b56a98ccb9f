import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createUser, type SessionUser } from '$lib/server/auth';
import { checkProvidersCsv, importProvidersCsv } from '$lib/server/csv';
import { problemReports, providerSlugHistory } from '$lib/server/db/schema';
import * as requests from '$lib/server/requests';
import * as providerAdmin from '$lib/server/provider-admin';
import * as providers from '$lib/server/providers';
import { getBySlug } from '$lib/server/providers';
import { submitReport } from '$lib/server/reports';
import { listingRequestSchema, listingToFlat, nestListing } from '$lib/schemas/listing';
import { reportSchema } from '$lib/schemas/report';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';
import { missing } from '../helpers/rows';

let counter = 0;
const address = () => `198.18.1.${++counter}`;

describeEachDatabase('slug history', (ctx) => {
	let moderator: SessionUser;

	beforeAll(async () => {
		moderator = await createUser(ctx.db, {
			email: 'slug-history@example.org',
			password: 'a long enough password',
			role: 'moderator'
		});
	});

	async function clinic(name: string, slug: string) {
		const id = await insertProvider(ctx.db, {
			name,
			slug,
			kinds: ['clinic'],
			state: 'TX',
			city: 'Austin',
			zip: '78701',
			routes: ['iv']
		});
		return (await providers.loadRecord(ctx.db, { id: id }))!;
	}

	async function rename(id: number, slug: string) {
		const record = (await providers.loadRecord(ctx.db, { id: id }))!;
		return providerAdmin.updateListing(
			ctx.db,
			id,
			{ listing: record.listing, slug, lat: record.lat, lng: record.lng },
			moderator
		);
	}

	it('a renamed listing keeps its old addresses, leading to the new one in one step', async () => {
		const juniper = await clinic('Juniper Clinic', 'juniper-clinic');
		expect(await providers.currentSlugFor(ctx.db, 'juniper-clinic')).toBeNull();
		expect(await providers.currentSlugFor(ctx.db, 'Juniper-Clinic')).toBe('juniper-clinic');

		expect(await rename(juniper.id, 'juniper-ketamine-austin')).toEqual({
			ok: true,
			slug: 'juniper-ketamine-austin'
		});
		expect(await rename(juniper.id, 'juniper-austin')).toMatchObject({ ok: true });
		for (const old of ['juniper-clinic', 'JUNIPER-CLINIC', 'juniper-ketamine-austin']) {
			expect(await providers.currentSlugFor(ctx.db, old), old).toBe('juniper-austin');
		}
		expect(await providers.currentSlugFor(ctx.db, 'no-such-clinic')).toBeNull();
		expect(
			(await ctx.db.select().from(providerSlugHistory)).map((h) => [h.slug, h.providerId]).sort()
		).toEqual([
			['juniper-clinic', juniper.id],
			['juniper-ketamine-austin', juniper.id]
		]);

		// Taking an old address back is fine; it stops being "former".
		expect(await rename(juniper.id, 'juniper-clinic')).toMatchObject({ ok: true });
		expect(await providers.currentSlugFor(ctx.db, 'juniper-austin')).toBe('juniper-clinic');
		expect(await providers.currentSlugFor(ctx.db, 'juniper-clinic')).toBeNull();
		expect((await ctx.db.select().from(providerSlugHistory)).map((h) => h.slug).sort()).toEqual([
			'juniper-austin',
			'juniper-ketamine-austin'
		]);

		// A suspended listing is not redirected to.
		await providerAdmin.changeProvider(
			ctx.db,
			juniper.id,
			{ status: 'suspended' },
			'Closed',
			moderator
		);
		expect(await providers.currentSlugFor(ctx.db, 'juniper-austin')).toBeNull();
		await providerAdmin.changeProvider(
			ctx.db,
			juniper.id,
			{ status: 'published' },
			'Open',
			moderator
		);
	});

	it('no other provider takes an address that still leads somewhere', async () => {
		const maple = await clinic('Maple Clinic', 'maple-clinic');
		await rename(maple.id, 'maple-ketamine');
		const other = await clinic('Other Clinic', 'other-clinic');

		expect(await rename(other.id, 'maple-clinic')).toEqual({
			ok: false,
			code: 'invalid',
			fields: {
				slug: '“maple-clinic” was the address of Maple Clinic (now “maple-ketamine”), and old links still lead there; choose another slug.'
			}
		});
		expect(await providers.uniqueSlug(ctx.db, 'Maple Clinic')).toBe('maple-clinic-2');

		// A new listing's approval cannot take it either.
		const flat = {
			...listingToFlat({ ...other.listing, name: 'Maple Clinic' }),
			contactName: 'Someone',
			contactEmail: 'someone@example.org',
			authorised: 'on',
			idempotencyKey: `slug-history-${Date.now().toString(36)}`
		};
		const sent = await requests.submitRequest(
			ctx.db,
			listingRequestSchema.parse(nestListing(flat)),
			{ address: address() }
		);
		if (!sent.ok) throw new Error('request refused');
		expect(
			await requests.approveRequest(ctx.db, sent.id, moderator, { slug: 'maple-clinic' })
		).toMatchObject({
			ok: false,
			code: 'invalid',
			fields: { slug: expect.stringContaining('Maple Clinic') as string }
		});
		// Its suggested slug steps around the old address.
		expect((await requests.requestDetail(ctx.db, sent.id))!.suggestedSlug).toBe(
			'maple-clinic-austin'
		);
	});

	it('approving a request under a new slug leaves the old one leading to the listing', async () => {
		const birch = await clinic('Birch Clinic', 'birch-clinic');
		const flat = {
			...listingToFlat(birch.listing),
			phone: '512-555-0101',
			contactName: 'Birch',
			contactEmail: 'birch@example.org',
			authorised: 'on',
			idempotencyKey: `slug-history-birch-${Date.now().toString(36)}`,
			baseVersion: String(birch.version)
		};
		const sent = await requests.submitRequest(
			ctx.db,
			listingRequestSchema.parse(nestListing(flat)),
			{
				address: address(),
				providerSlug: 'birch-clinic'
			}
		);
		if (!sent.ok) throw new Error('request refused');
		expect(
			await requests.approveRequest(ctx.db, sent.id, moderator, { slug: 'birch-ketamine-austin' })
		).toMatchObject({ ok: true, slug: 'birch-ketamine-austin' });
		expect(await providers.currentSlugFor(ctx.db, 'birch-clinic')).toBe('birch-ketamine-austin');
		expect(await getBySlug(ctx.db, 'birch-ketamine-austin')).toMatchObject({
			phone: '(512) 555-0101'
		});
	});

	it('forms sent from a page opened before the rename still reach the listing', async () => {
		const aspen = await clinic('Aspen Clinic', 'aspen-clinic');
		await rename(aspen.id, 'aspen-ketamine');
		const report = await submitReport(
			ctx.db,
			'aspen-clinic',
			reportSchema.parse({ reason: 'wrong_phone' }),
			{ address: address() }
		);
		if (!report.ok) throw new Error('report refused');
		const [stored = missing()] = await ctx.db
			.select()
			.from(problemReports)
			.where(eq(problemReports.id, report.id));
		expect(stored.providerId).toBe(aspen.id);

		const flat = {
			...listingToFlat((await providers.loadRecord(ctx.db, { id: aspen.id }))!.listing),
			phone: '512-555-0102',
			contactName: 'Aspen',
			contactEmail: 'aspen@example.org',
			authorised: 'on',
			idempotencyKey: `slug-history-aspen-${Date.now().toString(36)}`
		};
		const sent = await requests.submitRequest(
			ctx.db,
			listingRequestSchema.parse(nestListing(flat)),
			{
				address: address(),
				providerSlug: 'Aspen-Clinic'
			}
		);
		expect(sent).toMatchObject({ ok: true });
		const detail = await requests.requestDetail(ctx.db, (sent as { id: number }).id);
		expect(detail?.current?.id).toBe(aspen.id);
	});

	it('a CSV row naming an old address is told the new one; new rows step around old addresses', async () => {
		const elm = await clinic('Elm Clinic', 'elm-clinic-austin');
		await rename(elm.id, 'elm-ketamine');
		const header = 'slug,name,kinds,city,state,zip,routes';
		const report = await checkProvidersCsv(
			ctx.db,
			[header, 'elm-clinic-austin,Elm Clinic,clinic,Austin,TX,78701,iv'].join('\n')
		);
		expect(report.errors).toEqual([
			{
				row: 2,
				column: 'slug',
				message:
					'“elm-clinic-austin” is the old address of Elm Clinic, now “elm-ketamine”: put “elm-ketamine” here to update that listing, or another slug to add a new one.'
			}
		]);
		// A blank slug is made from name and city: "Elm-Clinic" in Austin would be the old address.
		const imported = await importProvidersCsv(
			ctx.db,
			[
				header,
				'elm-ketamine,Elm Clinic,clinic,Austin,TX,78701,iv',
				',Elm-Clinic,clinic,Austin,TX,78701,im'
			].join('\n'),
			moderator,
			'slugs.csv'
		);
		expect(imported).toMatchObject({ ok: true, updates: 1, creates: 1 });
		expect(await getBySlug(ctx.db, 'elm-clinic-austin-2')).toMatchObject({ name: 'Elm-Clinic' });
		expect(await providers.currentSlugFor(ctx.db, 'elm-clinic-austin')).toBe('elm-ketamine');
	});
});

import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser, type SessionUser } from '$lib/server/auth';
import {
	auditLog,
	listingRequests,
	providerFeedback,
	providers,
	ratings
} from '$lib/server/db/schema';
import { geocode } from '$lib/server/geocode';
import * as requests from '$lib/server/requests';
import { coverage, getBySlug, search } from '$lib/server/providers';
import { recomputeFeedback } from '$lib/server/ratings';
import { listingRequestSchema, nestListing } from '$lib/schemas/listing';
import { providerFiltersSchema } from '$lib/schemas/filters';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';
import { missing } from '../helpers/rows';

/** A request as the form posts it: flat field names, strings only. */
function formRequest(
	overrides: Record<string, string | string[] | null> = {},
	key = `key-${Math.random().toString(36).slice(2, 12)}`
) {
	const flat: Record<string, string | string[]> = {
		name: 'Juniper Ketamine Center',
		kinds: ['clinic', 'telehealth'],
		description: 'Infusions and Spravato in a calm setting.',
		street: '500 Congress Ave',
		city: 'Austin',
		state: 'TX',
		zip: '78701',
		phone: '512-555-0142',
		website: 'juniper.example',
		email: 'Hello@Juniper.example',
		'routes.iv': 'on',
		'routes.iv.priceMin': '$400',
		'routes.iv.priceMax': '650',
		'routes.iv.seriesPrice': '2,400',
		'routes.esketamine': 'on',
		consultFee: '150',
		acceptsInsurance: 'on',
		insuranceNotes: 'Spravato with most plans',
		offersPsychotherapy: 'on',
		telehealthStates: ['TX', 'OK'],
		conditions: ['trd', 'ptsd'],
		contactName: 'Dr. Rosa Vega',
		contactEmail: 'rosa@juniper.example',
		authorised: 'on',
		idempotencyKey: key
	};
	for (const [key, value] of Object.entries(overrides)) {
		if (value === null) delete flat[key];
		else flat[key] = value;
	}
	return listingRequestSchema.parse(nestListing(flat));
}

let addressCounter = 0;
const nextAddress = () => `203.0.113.${++addressCounter}`;

describeEachDatabase('listing requests', (ctx) => {
	let moderator: SessionUser;

	const auditFor = async (entityType: string, entityId: number) =>
		ctx.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, String(entityId))));

	it('a new request is stored pending with the listing and private contact, once per token', async () => {
		moderator = await createUser(ctx.db, {
			email: 'listings-moderator@example.org',
			password: 'a long enough password',
			role: 'moderator'
		});
		const input = formRequest({}, 'first-request-token');
		const address = nextAddress();
		const sent = await requests.submitRequest(ctx.db, input, { address });
		expect(sent).toMatchObject({ ok: true, replay: false });
		const again = await requests.submitRequest(ctx.db, input, { address });
		expect(again).toEqual({ ok: true, id: (sent as { id: number }).id, replay: true });

		const rows = await ctx.db.select().from(listingRequests);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			status: 'pending',
			providerId: null,
			contactName: 'Dr. Rosa Vega',
			contactEmail: 'rosa@juniper.example'
		});
		expect(rows[0]?.clientHash).not.toContain(address);
		expect(rows[0]?.payload).toMatchObject({
			name: 'Juniper Ketamine Center',
			phone: '(512) 555-0142',
			website: 'https://juniper.example',
			email: 'hello@juniper.example',
			routes: [
				{ code: 'iv', priceMin: 400, priceMax: 650, seriesPrice: 2400 },
				{ code: 'esketamine' }
			]
		});
		const pending = await requests.pendingRequests(ctx.db);
		expect(pending.map((p) => [p.kind, p.name, p.state])).toEqual([
			['new', 'Juniper Ketamine Center', 'TX']
		]);
		// Nothing is public before a moderator approves it.
		expect(await ctx.db.select().from(providers)).toEqual([]);
	});

	it('refuses a ZIP outside the state, and an update for a listing that is not published', async () => {
		const wrongZip = await requests.submitRequest(ctx.db, formRequest({ zip: '10001' }), {
			address: nextAddress()
		});
		expect(wrongZip).toEqual({
			ok: false,
			code: 'invalid',
			fields: { zip: 'ZIP 10001 is in New York, not Texas; check the ZIP or the state.' }
		});
		const unknownZip = await requests.submitRequest(ctx.db, formRequest({ zip: '00001' }), {
			address: nextAddress()
		});
		expect(unknownZip).toMatchObject({
			ok: false,
			code: 'invalid',
			fields: { zip: expect.any(String) as string }
		});

		await insertProvider(ctx.db, {
			name: 'Suspended Clinic',
			kinds: ['clinic'],
			state: 'TX',
			status: 'suspended',
			routes: ['iv']
		});
		for (const slug of ['suspended-clinic', 'no-such-clinic']) {
			expect(
				await requests.submitRequest(ctx.db, formRequest(), {
					address: nextAddress(),
					providerSlug: slug
				})
			).toMatchObject({ ok: false, code: 'not_found' });
		}
		expect(await ctx.db.select().from(listingRequests)).toHaveLength(1);
	});

	it('limits one address to five requests an hour, with the wait in the message', async () => {
		const address = nextAddress();
		for (let i = 0; i < 5; i++) {
			expect((await requests.submitRequest(ctx.db, formRequest(), { address })).ok).toBe(true);
		}
		const limited = await requests.submitRequest(ctx.db, formRequest(), { address });
		expect(limited).toMatchObject({ ok: false, code: 'rate_limited' });
		expect((limited as { message: string }).message).toMatch(/try again in \d+ minutes?/);
		// Another address is unaffected.
		expect(
			(await requests.submitRequest(ctx.db, formRequest(), { address: nextAddress() })).ok
		).toBe(true);
	});

	it('approving a new request publishes it, verified now, at the ZIP centre, findable by state and route', async () => {
		const [request = missing()] = await ctx.db
			.select()
			.from(listingRequests)
			.where(eq(listingRequests.idempotencyKey, 'first-request-token'));
		const before = await coverage(ctx.db);
		const approved = await requests.approveRequest(ctx.db, request.id, moderator);
		expect(approved).toMatchObject({ ok: true, slug: 'juniper-ketamine-center-austin' });
		const { providerId } = approved as { providerId: number };

		const profile = await getBySlug(ctx.db, 'juniper-ketamine-center-austin');
		expect(profile).toMatchObject({
			name: 'Juniper Ketamine Center',
			kinds: ['clinic', 'telehealth'],
			city: 'Austin',
			state: 'TX',
			zip: '78701',
			phone: '(512) 555-0142',
			consultFee: 150,
			acceptsInsurance: true,
			offersPsychotherapy: true,
			telehealthStates: ['OK', 'TX'],
			conditions: ['trd', 'ptsd']
		});
		const centre = geocode('78701');
		expect(centre.ok).toBe(true);
		if (centre.ok)
			expect([profile!.lat, profile!.lng]).toEqual([centre.place.lat, centre.place.lng]);
		expect(Date.now() - profile!.lastVerifiedAt!.getTime()).toBeLessThan(60_000);

		const inTexas = await search(ctx.db, providerFiltersSchema.parse({ state: 'TX', route: 'iv' }));
		expect(inTexas.results.map((p) => p.slug)).toContain('juniper-ketamine-center-austin');
		// Its telehealth licence in Oklahoma does not make it serve Oklahoma: IV and Spravato are
		// given only in its Austin office (decision 001).
		const inOklahoma = await search(ctx.db, providerFiltersSchema.parse({ state: 'OK' }));
		expect(inOklahoma.results.map((p) => p.slug)).not.toContain('juniper-ketamine-center-austin');
		const after = await coverage(ctx.db);
		const row = (m: typeof after, code: string) => m.states.find((s) => s.code === code)!;
		expect(row(after, 'TX').total - row(before, 'TX').total).toBe(1);
		expect(row(after, 'TX').byRoute.iv - row(before, 'TX').byRoute.iv).toBe(1);
		expect(row(after, 'OK').total - row(before, 'OK').total).toBe(0);

		const [stored] = await ctx.db
			.select()
			.from(listingRequests)
			.where(eq(listingRequests.id, request.id));
		expect(stored).toMatchObject({ status: 'approved', providerId, decidedBy: moderator.id });
		expect((await auditFor('listing_request', request.id)).map((e) => e.action)).toEqual([
			'request.approve'
		]);
		const [created = missing()] = await auditFor('provider', providerId);
		expect(created).toMatchObject({
			action: 'provider.create',
			actorId: moderator.id,
			before: null
		});
		expect(created.after).toMatchObject({
			slug: 'juniper-ketamine-center-austin',
			status: 'published',
			name: 'Juniper Ketamine Center'
		});

		// A decided request cannot be decided again.
		expect(await requests.approveRequest(ctx.db, request.id, moderator)).toMatchObject({
			ok: false,
			code: 'not_pending'
		});
		expect(await requests.rejectRequest(ctx.db, request.id, 'late', moderator)).toMatchObject({
			ok: false,
			code: 'not_pending'
		});
	});

	it('an admin can set the slug and the map point; a slug in use is refused and nothing changes', async () => {
		const sent = await requests.submitRequest(
			ctx.db,
			formRequest({ name: 'Second Site', city: 'Austin', zip: '78702' }),
			{ address: nextAddress() }
		);
		const id = (sent as { id: number }).id;
		const taken = await requests.approveRequest(ctx.db, id, moderator, {
			slug: 'juniper-ketamine-center-austin'
		});
		expect(taken).toEqual({
			ok: false,
			code: 'invalid',
			fields: {
				slug: 'Another provider already uses the slug “juniper-ketamine-center-austin” (Juniper Ketamine Center).'
			}
		});
		const [still = missing()] = await ctx.db
			.select()
			.from(listingRequests)
			.where(eq(listingRequests.id, id));
		expect(still.status).toBe('pending');
		expect(await getBySlug(ctx.db, 'second-site-austin')).toBeNull();

		const placed = await requests.approveRequest(ctx.db, id, moderator, {
			slug: 'juniper-east',
			lat: 30.2621,
			lng: -97.7195
		});
		expect(placed).toMatchObject({ ok: true, slug: 'juniper-east' });
		expect(await getBySlug(ctx.db, 'juniper-east')).toMatchObject({ lat: 30.2621, lng: -97.7195 });
	});

	it('two approvals racing for one slug never fail with an error: one gets it, the other is told', async () => {
		const ids: number[] = [];
		for (let i = 0; i < 4; i++) {
			const sent = await requests.submitRequest(
				ctx.db,
				formRequest({ name: 'Twin Pines Ketamine', city: 'Austin', zip: '78701' }),
				{ address: nextAddress() }
			);
			ids.push((sent as { id: number }).id);
		}
		const results = await Promise.all(
			ids.map((id) => requests.approveRequest(ctx.db, id, moderator, { slug: 'twin-pines' }))
		);
		const approved = results.filter((r) => r.ok);
		expect(approved).toHaveLength(1);
		for (const refused of results.filter((r) => !r.ok)) {
			expect(refused).toEqual({
				ok: false,
				code: 'invalid',
				fields: {
					slug: expect.stringMatching(
						/^Another provider already uses the slug “twin-pines”/
					) as string
				}
			});
		}
		const stillPending = (await requests.pendingRequests(ctx.db)).map((p) => p.id);
		expect(ids.filter((id) => stillPending.includes(id))).toHaveLength(3);
	});

	it('an update request replaces the listing but keeps its ratings, with before and after on record', async () => {
		const providerId = await insertProvider(ctx.db, {
			name: 'Cedar Clinic',
			slug: 'cedar-clinic',
			kinds: ['clinic'],
			state: 'TX',
			city: 'Austin',
			zip: '78701',
			routes: [{ code: 'iv', priceMin: 500, priceMax: 500 }],
			conditions: ['mdd'],
			lastVerifiedAt: new Date('2024-05-01T00:00:00Z')
		});
		await ctx.db.insert(ratings).values([
			{ providerId, overall: 5, publishedAt: new Date() },
			{ providerId, overall: 3, publishedAt: new Date() }
		]);
		await recomputeFeedback(ctx.db, providerId);

		const sent = await requests.submitRequest(
			ctx.db,
			formRequest({
				name: 'Cedar Clinic',
				kinds: ['clinic', 'kap'],
				telehealthStates: [],
				'routes.esketamine': null,
				'routes.iv.priceMin': '450',
				'routes.iv.priceMax': '550',
				'routes.troche': 'on',
				conditions: ['mdd', 'anxiety']
			}),
			{ address: nextAddress(), providerSlug: 'cedar-clinic' }
		);
		expect(sent.ok).toBe(true);
		const id = (sent as { id: number }).id;
		const detail = await requests.requestDetail(ctx.db, id);
		expect(detail).toMatchObject({
			kind: 'update',
			current: { id: providerId, slug: 'cedar-clinic' }
		});

		const approved = await requests.approveRequest(ctx.db, id, moderator);
		expect(approved).toEqual({ ok: true, providerId, slug: 'cedar-clinic' });
		const profile = await getBySlug(ctx.db, 'cedar-clinic');
		expect(profile).toMatchObject({
			kinds: ['clinic', 'kap'],
			conditions: ['mdd', 'anxiety'],
			routes: [
				{ code: 'iv', priceMin: 450, priceMax: 550 },
				{ code: 'troche', priceMin: null }
			]
		});
		expect(profile!.lastVerifiedAt!.getFullYear()).toBeGreaterThan(2024);
		// Ratings and their aggregate are untouched by an update.
		const [feedback] = await ctx.db
			.select()
			.from(providerFeedback)
			.where(eq(providerFeedback.providerId, providerId));
		expect(feedback).toMatchObject({ ratingCount: 2, overallMean: 4 });

		const entries = await auditFor('provider', providerId);
		expect(entries.map((e) => e.action)).toEqual(['provider.update']);
		expect(entries[0]?.before).toMatchObject({
			kinds: ['clinic'],
			routes: [{ code: 'iv', priceMin: 500, priceMax: 500 }]
		});
		expect(entries[0]?.after).toMatchObject({
			kinds: ['clinic', 'kap'],
			routes: [{ code: 'iv', priceMin: 450, priceMax: 550 }, { code: 'troche' }]
		});
	});

	it('a rejection keeps the reason on the request and in the audit log, and publishes nothing', async () => {
		const sent = await requests.submitRequest(ctx.db, formRequest({ name: 'Unlicensed Place' }), {
			address: nextAddress()
		});
		const id = (sent as { id: number }).id;
		expect(
			await requests.rejectRequest(ctx.db, id, 'Could not confirm a licence', moderator)
		).toEqual({
			ok: true
		});
		const [stored] = await ctx.db.select().from(listingRequests).where(eq(listingRequests.id, id));
		expect(stored).toMatchObject({
			status: 'rejected',
			decisionReason: 'Could not confirm a licence',
			decidedBy: moderator.id
		});
		const [entry] = await auditFor('listing_request', id);
		expect(entry).toMatchObject({
			action: 'request.reject',
			reason: 'Could not confirm a licence'
		});
		expect(await getBySlug(ctx.db, 'unlicensed-place-austin')).toBeNull();
		expect((await requests.pendingRequests(ctx.db)).map((p) => p.id)).not.toContain(id);
	});

	it('erases contact details 90 days after the decision, never before and never while pending', async () => {
		const later = new Date(Date.now() + 91 * 86_400_000);
		const soon = new Date(Date.now() + 89 * 86_400_000);
		expect(await requests.eraseOldContacts(ctx.db, soon)).toBe(0);
		const erased = await requests.eraseOldContacts(ctx.db, later);
		const rows = await ctx.db.select().from(listingRequests);
		const decided = rows.filter((r) => r.status !== 'pending');
		expect(erased).toBe(decided.length);
		expect(decided.every((r) => r.contactEmail === '' && r.contactName === '')).toBe(true);
		expect(
			rows.filter((r) => r.status === 'pending').every((r) => r.contactEmail.includes('@'))
		).toBe(true);
	});
});

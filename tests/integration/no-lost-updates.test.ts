import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createUser, type SessionUser } from '$lib/server/auth';
import { auditLog, listingRequests, providers } from '$lib/server/db/schema';
import * as requests from '$lib/server/requests';
import * as providerAdmin from '$lib/server/provider-admin';
import * as records from '$lib/server/providers';
import { getBySlug } from '$lib/server/providers';
import { closeReport, submitReport } from '$lib/server/reports';
import {
	listingRequestSchema,
	listingToFlat,
	nestListing,
	type Listing
} from '$lib/schemas/listing';
import { reportSchema } from '$lib/schemas/report';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider, type ProviderFixture } from '../helpers/fixtures';
import { first, missing } from '../helpers/rows';

let addressCounter = 0;
const nextAddress = () => `198.18.0.${++addressCounter}`;
let keyCounter = 0;
const nextKey = () => `no-lost-updates-${++keyCounter}-${Date.now().toString(36)}`;

type Flat = Record<string, string | string[]>;

/**
 * What the update form posts: the listing as the form showed it (`seen`), with the provider's
 * changes typed over it, and the hidden fields saying what it started from.
 */
function updateForm(
	seen: records.ProviderRecord,
	changes: Flat,
	extra: { message?: string; baseVersion?: string | null; base?: string } = {}
) {
	const shown = listingToFlat(seen.listing);
	const flat: Flat = {
		...shown,
		...changes,
		contactName: 'Dr. Ana Ruiz',
		contactEmail: 'ana@example.org',
		authorised: 'on',
		idempotencyKey: nextKey(),
		base: extra.base ?? JSON.stringify(shown)
	};
	if (extra.baseVersion !== null) flat.baseVersion = extra.baseVersion ?? String(seen.version);
	if (extra.message) flat.message = extra.message;
	return listingRequestSchema.parse(nestListing(flat));
}

/** The admin edit: the listing with some fields changed, from the version the form showed. */
function adminEdit(seen: records.ProviderRecord, change: Partial<Listing>) {
	return {
		listing: { ...seen.listing, ...change },
		slug: seen.slug,
		lat: seen.lat,
		lng: seen.lng,
		version: seen.version,
		base: seen.listing,
		baseSlug: seen.slug
	};
}

describeEachDatabase('no lost updates', (ctx) => {
	let moderator: SessionUser;

	beforeAll(async () => {
		moderator = await createUser(ctx.db, {
			email: 'no-lost-updates@example.org',
			password: 'a long enough password',
			role: 'moderator'
		});
	});
	let n = 0;

	/** A published Austin clinic charging $350 for a consultation. */
	async function clinic(over: Partial<ProviderFixture> = {}) {
		const name = `Cedar Clinic ${++n}`;
		const id = await insertProvider(ctx.db, {
			name,
			kinds: ['clinic'],
			state: 'TX',
			city: 'Austin',
			zip: '78701',
			lat: 30.27,
			lng: -97.74,
			phone: '(512) 555-0100',
			consultFee: 350,
			routes: [{ code: 'iv', priceMin: 400, priceMax: 650 }],
			conditions: ['trd'],
			...over
		});
		return (await records.loadRecord(ctx.db, { id: id }))!;
	}

	async function requestUpdate(
		record: records.ProviderRecord,
		form: ReturnType<typeof updateForm>
	) {
		const sent = await requests.submitRequest(ctx.db, form, {
			address: nextAddress(),
			providerSlug: record.slug
		});
		if (!sent.ok) throw new Error(`request refused: ${JSON.stringify(sent)}`);
		return sent.id;
	}

	const load = async (id: number) => (await records.loadRecord(ctx.db, { id: id }))!;

	it('approving an older request keeps a moderator’s later edit: $300 stays $300', async () => {
		const opened = await clinic();
		// The practice asks for a new phone number; its form still shows the $350 fee.
		const requestId = await requestUpdate(opened, updateForm(opened, { phone: '512-555-0199' }));
		// A moderator then corrects the fee to $300.
		expect(
			await providerAdmin.updateListing(
				ctx.db,
				opened.id,
				adminEdit(await load(opened.id), { consultFee: 300 }),
				moderator
			)
		).toMatchObject({ ok: true });

		const detail = (await requests.requestDetail(ctx.db, requestId))!;
		expect(detail.base?.consultFee).toBe(350);
		const fee = detail.merge!.find((f) => f.key === 'consultFee')!;
		expect(fee).toEqual({
			key: 'consultFee',
			requested: false,
			changedSince: true,
			outcome: 'keep'
		});
		expect(detail.merge!.find((f) => f.key === 'phone')).toMatchObject({ outcome: 'take' });

		const now = await load(opened.id);
		expect(
			await requests.approveRequest(ctx.db, requestId, moderator, { version: now.version })
		).toMatchObject({ ok: true });
		const profile = await getBySlug(ctx.db, opened.slug);
		expect(profile).toMatchObject({ consultFee: 300, phone: '(512) 555-0199' });
		const [approval = missing()] = await ctx.db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.entityType, 'listing_request'), eq(auditLog.entityId, String(requestId)))
			);
		expect(approval.after).toEqual({ status: 'approved', applied: ['phone'], kept: [] });
	});

	it('where both changed a field, approval waits for the moderator’s explicit choice', async () => {
		const opened = await clinic();
		const requestId = await requestUpdate(opened, updateForm(opened, { consultFee: '400' }));
		await providerAdmin.updateListing(
			ctx.db,
			opened.id,
			adminEdit(await load(opened.id), { consultFee: 300 }),
			moderator
		);
		const version = (await load(opened.id)).version;

		expect(await requests.approveRequest(ctx.db, requestId, moderator, { version })).toEqual({
			ok: false,
			code: 'invalid',
			fields: { 'choice.consultFee': requests.CHOOSE_VALUE }
		});
		const [still = missing()] = await ctx.db
			.select()
			.from(listingRequests)
			.where(eq(listingRequests.id, requestId));
		expect(still.status).toBe('pending');
		expect((await load(opened.id)).listing.consultFee).toBe(300);

		expect(
			await requests.approveRequest(ctx.db, requestId, moderator, {
				version,
				choices: { consultFee: 'requested' }
			})
		).toMatchObject({ ok: true });
		expect((await load(opened.id)).listing.consultFee).toBe(400);
	});

	it('refuses an approval reviewed against an older version, writing nothing', async () => {
		const opened = await clinic();
		const requestId = await requestUpdate(opened, updateForm(opened, { phone: '512-555-0142' }));
		const reviewed = (await load(opened.id)).version;
		await providerAdmin.changeProvider(
			ctx.db,
			opened.id,
			{ verified: true },
			'Called them',
			moderator
		);

		const result = await requests.approveRequest(ctx.db, requestId, moderator, {
			version: reviewed
		});
		expect(result).toMatchObject({ ok: false, code: 'stale', version: reviewed + 1 });
		expect((result as { message: string }).message).toMatch(
			/^The listing was changed at \d\d:\d\d UTC, after this page was opened\./
		);
		expect((await load(opened.id)).listing.phone).toBe('(512) 555-0100');
		const [still = missing()] = await ctx.db
			.select()
			.from(listingRequests)
			.where(eq(listingRequests.id, requestId));
		expect(still.status).toBe('pending');
	});

	it('an approval and an edit racing on one listing: one wins, the other is refused, neither is lost', async () => {
		const opened = await clinic();
		const requestId = await requestUpdate(opened, updateForm(opened, { phone: '512-555-0177' }));
		const seen = await load(opened.id);
		const [edit, approval] = await Promise.all([
			providerAdmin.updateListing(
				ctx.db,
				opened.id,
				adminEdit(seen, { consultFee: 280 }),
				moderator
			),
			requests.approveRequest(ctx.db, requestId, moderator, { version: seen.version })
		]);
		expect([edit.ok, approval.ok].filter(Boolean)).toHaveLength(1);
		const loser = edit.ok ? approval : edit;
		expect(loser).toMatchObject({ ok: false, code: 'stale' });
		const after = await load(opened.id);
		expect(after.version).toBe(seen.version + 1);
		expect(after.listing).toMatchObject(
			edit.ok
				? { consultFee: 280, phone: '(512) 555-0100' }
				: { consultFee: 350, phone: '(512) 555-0177' }
		);
	});

	it('keeps the listing the provider saw when it changed while they were typing', async () => {
		const opened = await clinic();
		// The form is open at the $350 version; a moderator corrects the fee to $300 meanwhile.
		await providerAdmin.updateListing(
			ctx.db,
			opened.id,
			adminEdit(await load(opened.id), { consultFee: 300 }),
			moderator
		);
		// The provider sends the form as they filled it: a new phone, the fee they saw untouched.
		const requestId = await requestUpdate(opened, updateForm(opened, { phone: '512-555-0123' }));
		const [stored = missing()] = await ctx.db
			.select()
			.from(listingRequests)
			.where(eq(listingRequests.id, requestId));
		expect(stored.baseVersion).toBe(opened.version);
		expect((stored.basePayload as Listing).consultFee).toBe(350);

		const version = (await load(opened.id)).version;
		expect(await requests.approveRequest(ctx.db, requestId, moderator, { version })).toMatchObject({
			ok: true
		});
		expect((await load(opened.id)).listing).toMatchObject({
			consultFee: 300,
			phone: '(512) 555-0123'
		});
	});

	it('trusts its own copy, not the form’s, while the version the form saw is current', async () => {
		const opened = await clinic();
		const forged = JSON.stringify({ ...listingToFlat(opened.listing), consultFee: '999' });
		const requestId = await requestUpdate(
			opened,
			updateForm(opened, { phone: '512-555-0155' }, { base: forged })
		);
		const [stored = missing()] = await ctx.db
			.select()
			.from(listingRequests)
			.where(eq(listingRequests.id, requestId));
		expect(stored.baseVersion).toBe(opened.version);
		expect(stored.basePayload).toEqual(opened.listing);
	});

	it('a request without a recorded start makes every difference a choice once the listing changed', async () => {
		const opened = await clinic();
		const [legacy = missing()] = await ctx.db
			.insert(listingRequests)
			.values({
				providerId: opened.id,
				payload: { ...opened.listing, phone: '(512) 555-0166' },
				contactName: 'Old form',
				contactEmail: 'old@example.org'
			})
			.returning({ id: listingRequests.id });
		// Nothing written since the request: the listing now is what it started from.
		expect(
			(await requests.requestDetail(ctx.db, legacy.id))!.merge!.filter((f) => f.outcome !== 'keep')
		).toEqual([{ key: 'phone', requested: true, changedSince: false, outcome: 'take' }]);

		await providerAdmin.updateListing(
			ctx.db,
			opened.id,
			adminEdit(await load(opened.id), { consultFee: 300 }),
			moderator
		);
		const detail = (await requests.requestDetail(ctx.db, legacy.id))!;
		expect(detail.base).toBeNull();
		expect(detail.merge!.filter((f) => f.outcome === 'choose').map((f) => f.key)).toEqual([
			'phone',
			'consultFee'
		]);
		expect(await requests.approveRequest(ctx.db, legacy.id, moderator)).toMatchObject({
			ok: false,
			code: 'invalid',
			fields: { 'choice.phone': requests.CHOOSE_VALUE, 'choice.consultFee': requests.CHOOSE_VALUE }
		});
	});

	it('does not put a listing suspended since the request back on the site without being told to', async () => {
		const opened = await clinic();
		const first = await requestUpdate(opened, updateForm(opened, { phone: '512-555-0111' }));
		const second = await requestUpdate(opened, updateForm(opened, { phone: '512-555-0112' }));
		await providerAdmin.changeProvider(
			ctx.db,
			opened.id,
			{ status: 'suspended' },
			'Phone disconnected',
			moderator
		);
		expect(await requests.approveRequest(ctx.db, first, moderator)).toEqual({
			ok: false,
			code: 'invalid',
			fields: { publish: requests.CHOOSE_PUBLISH }
		});
		expect(
			await requests.approveRequest(ctx.db, first, moderator, { publish: false })
		).toMatchObject({ ok: true });
		expect(await load(opened.id)).toMatchObject({
			status: 'suspended',
			listing: { phone: '(512) 555-0111' }
		});
		expect(
			await requests.approveRequest(ctx.db, second, moderator, {
				publish: true,
				choices: { phone: 'requested' }
			})
		).toMatchObject({ ok: true });
		expect(await load(opened.id)).toMatchObject({
			status: 'published',
			listing: { phone: '(512) 555-0112' }
		});
	});

	it('refuses choices that together break a listing rule, and says so', async () => {
		const opened = await clinic({ kinds: ['clinic', 'telehealth'], telehealthStates: ['TX'] });
		// The practice stops telehealth; a moderator adds an Oklahoma licence meanwhile.
		const requestId = await requestUpdate(
			opened,
			updateForm(opened, { kinds: ['clinic'], telehealthStates: [] })
		);
		await providerAdmin.updateListing(
			ctx.db,
			opened.id,
			adminEdit(await load(opened.id), { telehealthStates: ['OK', 'TX'] }),
			moderator
		);
		const kept = await requests.approveRequest(ctx.db, requestId, moderator, {
			choices: { telehealthStates: 'current' }
		});
		expect(kept).toMatchObject({ ok: false, code: 'invalid' });
		expect((kept as { fields: Record<string, string> }).fields.form).toMatch(
			/^Together, these choices break a listing rule: Tick “Telehealth” under kinds of practice, or clear the telehealth states\./
		);
		expect(
			await requests.approveRequest(ctx.db, requestId, moderator, {
				choices: { telehealthStates: 'requested' }
			})
		).toMatchObject({ ok: true });
		expect((await load(opened.id)).listing).toMatchObject({
			kinds: ['clinic'],
			telehealthStates: []
		});
	});

	it('a moderator’s save over someone else’s newer change is refused with what changed; a verification in between is no conflict', async () => {
		const opened = await clinic();
		const mine = await load(opened.id);
		const theirs = await load(opened.id);
		expect(
			await providerAdmin.updateListing(
				ctx.db,
				opened.id,
				adminEdit(theirs, { consultFee: 300 }),
				moderator
			)
		).toMatchObject({ ok: true });
		const refused = await providerAdmin.updateListing(
			ctx.db,
			opened.id,
			adminEdit(mine, { phone: '(512) 555-0188' }),
			moderator
		);
		expect(refused).toMatchObject({
			ok: false,
			code: 'stale',
			changes: [{ label: 'Consultation fee', was: '$350', now: '$300' }]
		});
		expect((await load(opened.id)).listing).toMatchObject({
			consultFee: 300,
			phone: '(512) 555-0100'
		});

		const fresh = await load(opened.id);
		await providerAdmin.changeProvider(ctx.db, opened.id, { verified: true }, undefined, moderator);
		expect(
			await providerAdmin.updateListing(
				ctx.db,
				opened.id,
				adminEdit(fresh, { phone: '(512) 555-0188' }),
				moderator
			)
		).toMatchObject({ ok: true });
		expect((await load(opened.id)).listing).toMatchObject({
			consultFee: 300,
			phone: '(512) 555-0188'
		});
	});

	it('every write to a provider moves its version on', async () => {
		const opened = await clinic();
		const version = async () =>
			first(
				await ctx.db
					.select({ v: providers.version })
					.from(providers)
					.where(eq(providers.id, opened.id))
			).v;
		expect(await version()).toBe(1);
		await providerAdmin.updateListing(
			ctx.db,
			opened.id,
			adminEdit(opened, { city: 'Austin' }),
			moderator
		);
		expect(await version()).toBe(2);
		await providerAdmin.changeProvider(ctx.db, opened.id, { verified: true }, undefined, moderator);
		expect(await version()).toBe(3);
		const report = await submitReport(
			ctx.db,
			opened.slug,
			reportSchema.parse({ reason: 'wrong_phone' }),
			{ address: nextAddress() }
		);
		if (!report.ok) throw new Error('report refused');
		await closeReport(
			ctx.db,
			report.id,
			{ status: 'resolved', resolution: 'Checked', listing: 'verify' },
			moderator
		);
		expect(await version()).toBe(4);
		const requestId = await requestUpdate(
			await load(opened.id),
			updateForm(await load(opened.id), { phone: '512-555-0133' })
		);
		await requests.approveRequest(ctx.db, requestId, moderator);
		expect(await version()).toBe(5);
	});

	it('keeps the private message for the moderators, lists pending requests per listing, and erases the message with the contact', async () => {
		const opened = await clinic();
		const requestId = await requestUpdate(
			opened,
			updateForm(
				opened,
				{ consultFee: '300' },
				{ message: 'We lowered the fee in March.\r\nCall me.' }
			)
		);
		const detail = (await requests.requestDetail(ctx.db, requestId))!;
		expect(detail.message).toBe('We lowered the fee in March.\nCall me.');
		// The message is never part of the listing that gets published.
		expect(JSON.stringify(detail.listing)).not.toContain('March');

		await providerAdmin.changeProvider(ctx.db, opened.id, { verified: true }, undefined, moderator);
		const pending = await requests.pendingRequestsFor(ctx.db, opened.id);
		expect(pending).toEqual([
			expect.objectContaining({
				id: requestId,
				kind: 'update',
				providerId: opened.id,
				listingChanged: true,
				hasMessage: true
			})
		]);

		const version = (await load(opened.id)).version;
		await requests.approveRequest(ctx.db, requestId, moderator, { version });
		expect(await requests.pendingRequestsFor(ctx.db, opened.id)).toEqual([]);
		await requests.eraseOldContacts(ctx.db, new Date(Date.now() + 91 * 86_400_000));
		const [erased] = await ctx.db
			.select()
			.from(listingRequests)
			.where(eq(listingRequests.id, requestId));
		expect(erased).toMatchObject({ contactName: '', contactEmail: '', message: null });
	});
});

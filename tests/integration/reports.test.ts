import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser } from '$lib/server/auth';
import {
	auditLog,
	problemReports,
	providerFeedback,
	providers,
	ratings
} from '$lib/server/db/schema';
import { queueCounts } from '$lib/server/moderation';
import { recomputeFeedback, reported, setRatingStatus } from '$lib/server/ratings';
import { closeReport, openReports, submitRatingReport, submitReport } from '$lib/server/reports';
import {
	closeReportSchema,
	DISMISS_AND_SUSPEND,
	VERIFY_AND_SUSPEND
} from '$lib/schemas/provider-admin';
import { OTHER_NEEDS_NOTE, ratingReportSchema, reportSchema } from '$lib/schemas/report';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';
import { first, missing } from '../helpers/rows';

describeEachDatabase('problem reports', (ctx) => {
	it('a visitor reports a problem; a moderator resolves it and marks the listing verified, on the record', async () => {
		const moderator = await createUser(ctx.db, {
			email: 'reports@example.org',
			password: 'a long enough password',
			role: 'moderator'
		});
		const providerId = await insertProvider(ctx.db, {
			name: 'Report Clinic',
			kinds: ['clinic'],
			state: 'TX',
			routes: ['iv'],
			lastVerifiedAt: new Date('2025-01-01T00:00:00Z')
		});
		const input = reportSchema.parse({ reason: 'wrong_phone', note: 'Rings a\r\nbakery.' });
		const sent = await submitReport(ctx.db, 'report-clinic', input, { address: '198.51.100.7' });
		expect(sent.ok).toBe(true);
		const [stored = missing()] = await ctx.db
			.select()
			.from(problemReports)
			.where(eq(problemReports.providerId, providerId));
		expect(stored).toMatchObject({
			reason: 'wrong_phone',
			note: 'Rings a\nbakery.',
			status: 'open'
		});
		expect(stored.clientHash).not.toContain('198.51.100.7');
		expect((await openReports(ctx.db)).map((r) => r.providerName)).toEqual(['Report Clinic']);

		const closed = await closeReport(
			ctx.db,
			stored.id,
			{ status: 'resolved', resolution: 'Phone corrected after calling them', listing: 'verify' },
			moderator
		);
		expect(closed).toEqual({ providerName: 'Report Clinic' });
		expect(await openReports(ctx.db)).toEqual([]);
		const [provider = missing()] = await ctx.db
			.select()
			.from(providers)
			.where(eq(providers.id, providerId));
		expect(Date.now() - provider.lastVerifiedAt!.getTime()).toBeLessThan(60_000);
		const actions = (await ctx.db.select().from(auditLog).where(eq(auditLog.actorId, moderator.id)))
			.map((e) => `${e.action} ${e.entityType}:${e.entityId}`)
			.sort();
		expect(actions).toEqual([
			`provider.verify provider:${providerId}`,
			`report.resolve problem_report:${stored.id}`
		]);
		// Closing twice does nothing.
		expect(
			await closeReport(ctx.db, stored.id, { status: 'dismissed', resolution: 'again' }, moderator)
		).toBeNull();
	});

	it('refuses unknown listings and validates the reason', async () => {
		const input = reportSchema.parse({ reason: 'closed' });
		expect(
			await submitReport(ctx.db, 'no-such-provider', input, { address: '198.51.100.8' })
		).toMatchObject({
			ok: false,
			code: 'not_found'
		});
		const bad = reportSchema.safeParse({ reason: 'spam', note: 'x'.repeat(1001) });
		expect(bad.success).toBe(false);
		expect(bad.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
			['reason', 'Choose what is wrong with this listing.'],
			['note', 'Keep the note to 1,000 characters or fewer.']
		]);
	});

	it('a reported rating waits in the ratings queue; hiding it closes the reports and changes the aggregate', async () => {
		const moderator = await createUser(ctx.db, {
			email: 'rating-reports@example.org',
			password: 'a long enough password',
			role: 'moderator'
		});
		const providerId = await insertProvider(ctx.db, {
			name: 'Rated Clinic',
			kinds: ['clinic'],
			state: 'TX',
			routes: ['iv']
		});
		const [fair = missing(), fake = missing(), waiting = missing()] = await ctx.db
			.insert(ratings)
			.values([
				{ providerId, overall: 4, publishedAt: new Date() },
				{ providerId, overall: 1, comment: 'Written by a rival', publishedAt: new Date() },
				{ providerId, overall: 5, status: 'held' }
			])
			.returning({ id: ratings.id });
		await recomputeFeedback(ctx.db, providerId);

		const input = ratingReportSchema.parse({ reason: 'not_patient', note: 'Same text on 3 sites' });
		const address = { address: '198.51.100.20' };
		expect(await submitRatingReport(ctx.db, 'rated-clinic', fake.id, input, address)).toMatchObject(
			{
				ok: true
			}
		);
		expect(
			await submitRatingReport(ctx.db, 'rated-clinic', fake.id, { reason: 'spam' }, address)
		).toMatchObject({ ok: true });
		// Only published ratings of that provider can be reported.
		for (const [slug, id] of [
			['rated-clinic', waiting.id],
			['report-clinic', fair.id],
			['rated-clinic', 999_999]
		] as const) {
			expect(await submitRatingReport(ctx.db, slug, id, input, address)).toMatchObject({
				ok: false,
				code: 'not_found'
			});
		}

		// The ratings queue has it, once, with both reports; the listing reports queue does not.
		const queue = await reported(ctx.db);
		expect(queue.map((r) => [r.id, r.reports.map((x) => x.reason)])).toEqual([
			[fake.id, ['not_patient', 'spam']]
		]);
		expect((await openReports(ctx.db)).some((r) => r.providerName === 'Rated Clinic')).toBe(false);
		expect(await queueCounts(ctx.db)).toMatchObject({ reportedRatings: 1, heldRatings: 1 });
		const [feedbackBefore] = await ctx.db
			.select()
			.from(providerFeedback)
			.where(eq(providerFeedback.providerId, providerId));
		expect(feedbackBefore).toMatchObject({ ratingCount: 2, overallMean: 2.5 });

		expect(
			await setRatingStatus(ctx.db, fake.id, 'hidden', 'Not a patient (copied text)', moderator)
		).toBe(true);
		const [feedbackAfter] = await ctx.db
			.select()
			.from(providerFeedback)
			.where(eq(providerFeedback.providerId, providerId));
		expect(feedbackAfter).toMatchObject({ ratingCount: 1, overallMean: 4 });
		const closed = await ctx.db
			.select()
			.from(problemReports)
			.where(eq(problemReports.ratingId, fake.id));
		expect(closed.map((r) => [r.status, r.resolution, r.resolvedBy])).toEqual([
			['resolved', 'Not a patient (copied text)', moderator.id],
			['resolved', 'Not a patient (copied text)', moderator.id]
		]);
		const [entry] = await ctx.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityType, 'rating'), eq(auditLog.entityId, String(fake.id))));
		expect(entry).toMatchObject({
			action: 'rating.hide',
			before: { status: 'published' },
			after: { status: 'hidden', reportsClosed: closed.map((r) => r.id).sort((a, b) => a - b) },
			reason: 'Not a patient (copied text)'
		});
		expect(await reported(ctx.db)).toEqual([]);
		expect(await queueCounts(ctx.db)).toMatchObject({ reportedRatings: 0 });
	});

	it('“Something else” needs details, for a listing and for a rating', () => {
		for (const schema of [reportSchema, ratingReportSchema]) {
			const blank = schema.safeParse({ reason: 'other', note: '  \r\n ' });
			expect(blank.success).toBe(false);
			expect(blank.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
				['note', OTHER_NEEDS_NOTE]
			]);
			expect(schema.safeParse({ reason: 'other' }).success).toBe(false);
			expect(schema.parse({ reason: 'other', note: 'Shares a name with my clinic' })).toEqual({
				reason: 'other',
				note: 'Shares a name with my clinic'
			});
		}
		// The listed reasons speak for themselves.
		expect(reportSchema.safeParse({ reason: 'closed' }).success).toBe(true);
		expect(ratingReportSchema.safeParse({ reason: 'spam' }).success).toBe(true);
	});

	it('refuses to close a report with contradictory changes to the listing', () => {
		const form = { reportId: '12', resolution: 'Checked' };
		const refused = (input: Record<string, string>) => {
			const parsed = closeReportSchema.safeParse(input);
			return parsed.success ? null : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
		};
		expect(refused({ ...form, decision: 'resolved', markVerified: 'on', suspend: 'on' })).toEqual([
			['suspend', VERIFY_AND_SUSPEND]
		]);
		expect(refused({ ...form, decision: 'dismissed', suspend: 'on' })).toEqual([
			['suspend', DISMISS_AND_SUSPEND]
		]);
		expect(closeReportSchema.parse({ ...form, decision: 'resolved', suspend: 'on' })).toEqual({
			reportId: 12,
			decision: { status: 'resolved', resolution: 'Checked', listing: 'suspend' }
		});
		expect(closeReportSchema.parse({ ...form, decision: 'dismissed', markVerified: 'on' })).toEqual(
			{
				reportId: 12,
				decision: { status: 'dismissed', resolution: 'Checked', listing: 'verify' }
			}
		);
		expect(closeReportSchema.parse({ ...form, decision: 'resolved' })).toEqual({
			reportId: 12,
			decision: { status: 'resolved', resolution: 'Checked' }
		});
	});

	it('keeping a reported rating published, or publishing it again after a hold, keeps its date', async () => {
		const moderator = await createUser(ctx.db, {
			email: 'keep-date@example.org',
			password: 'a long enough password',
			role: 'moderator'
		});
		const providerId = await insertProvider(ctx.db, {
			name: 'Dated Clinic',
			kinds: ['clinic'],
			state: 'TX',
			routes: ['iv']
		});
		const monthAgo = new Date(Date.now() - 30 * 86_400_000);
		const weekAgo = new Date(Date.now() - 7 * 86_400_000);
		const [reportedOne = missing(), heldAfter = missing(), neverPublished = missing()] =
			await ctx.db
				.insert(ratings)
				.values([
					{ providerId, overall: 2, comment: 'Long wait', publishedAt: monthAgo },
					{ providerId, overall: 4, comment: 'Kind staff', publishedAt: weekAgo },
					{ providerId, overall: 5, comment: 'Held at once', status: 'held' }
				])
				.returning({ id: ratings.id });
		const publishedAt = async (id: number) =>
			first(await ctx.db.select().from(ratings).where(eq(ratings.id, id))).publishedAt;

		const sent = await submitRatingReport(
			ctx.db,
			'dated-clinic',
			reportedOne.id,
			{ reason: 'not_patient' },
			{ address: '198.51.100.31' }
		);
		expect(sent.ok).toBe(true);
		expect(await setRatingStatus(ctx.db, reportedOne.id, 'published', null, moderator)).toBe(true);
		expect(await publishedAt(reportedOne.id)).toEqual(monthAgo);

		await setRatingStatus(ctx.db, heldAfter.id, 'held', 'Checking', moderator);
		await setRatingStatus(ctx.db, heldAfter.id, 'published', null, moderator);
		expect(await publishedAt(heldAfter.id)).toEqual(weekAgo);

		// A rating held before it ever appeared is dated when it first does.
		expect(await publishedAt(neverPublished.id)).toBeNull();
		await setRatingStatus(ctx.db, neverPublished.id, 'published', null, moderator);
		expect(Date.now() - (await publishedAt(neverPublished.id))!.getTime()).toBeLessThan(60_000);
	});
});

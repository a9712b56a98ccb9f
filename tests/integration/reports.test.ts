import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createUser } from '$lib/server/auth';
import { auditLog, problemReports, providers } from '$lib/server/db/schema';
import { closeReport, openReports, submitReport } from '$lib/server/reports';
import { reportSchema } from '$lib/schemas/report';
import { describeEachDatabase } from '../helpers/databases';
import { insertProvider } from '../helpers/fixtures';

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
		const [stored] = await ctx.db
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
			{ status: 'resolved', resolution: 'Phone corrected after calling them', markVerified: true },
			moderator
		);
		expect(closed).toBe(true);
		expect(await openReports(ctx.db)).toEqual([]);
		const [provider] = await ctx.db.select().from(providers).where(eq(providers.id, providerId));
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
			await closeReport(
				ctx.db,
				stored.id,
				{ status: 'dismissed', resolution: 'again', markVerified: false },
				moderator
			)
		).toBe(false);
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
});

import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import * as reports from '$lib/server/reports';
import { fieldText } from '$lib/forms/text';
import { fieldErrors } from '$lib/schemas/errors';
import { closeReportSchema, parseId } from '$lib/schemas/provider-admin';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { keepTyped } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	return { reports: await reports.openReports(event.locals.db) };
};

// Typed by what it returns (not as Actions[string]), so the page's `form` keeps the results' types.
function close(status: 'resolved' | 'dismissed') {
	return async (event: RequestEvent) => {
		const user = requireRole(event);
		const { db } = event.locals;
		const form = Object.fromEntries(await event.request.formData());
		const values = {
			resolution: fieldText(form.resolution),
			markVerified: form.markVerified === 'on' ? 'on' : undefined,
			suspend: form.suspend === 'on' ? 'on' : undefined
		};
		const reportId = parseId(form.reportId);
		const parsed = closeReportSchema.safeParse({ ...form, decision: status });
		if (!parsed.success) {
			return fail(400, { reportId, values, errors: fieldErrors(parsed.error) });
		}
		const { decision } = parsed.data;
		// Closing, verifying and suspending happen in one transaction, or not at all.
		const done = await reports.closeReport(db, parsed.data.reportId, decision, user);
		if (!done) {
			return fail(404, { reportId, errors: { form: 'That report is already closed.' } });
		}
		return { done: { name: done.providerName, status, listing: decision.listing ?? null } };
	};
}

const closing = {
	resolve: close('resolved'),
	dismiss: close('dismissed')
} satisfies Actions;

export const actions = keepTyped(closing, (form) => ({
	reportId: parseId(form.get('reportId')),
	values: {
		resolution: fieldText(form.get('resolution')),
		markVerified: form.get('markVerified') === 'on' ? 'on' : undefined,
		suspend: form.get('suspend') === 'on' ? 'on' : undefined
	}
}));

import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import * as reports from '$lib/server/reports';
import { fieldErrors } from '$lib/schemas/errors';
import { resolveReportSchema } from '$lib/schemas/report';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	return { reports: await reports.openReports(event.locals.db) };
};

function close(status: 'resolved' | 'dismissed'): NonNullable<Actions[string]> {
	return async (event) => {
		const user = requireRole(event);
		const form = Object.fromEntries(await event.request.formData());
		const parsed = resolveReportSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, { reportId: Number(form.reportId), errors: fieldErrors(parsed.error) });
		}
		const { reportId, resolution, markVerified } = parsed.data;
		const done = await reports.closeReport(
			event.locals.db,
			reportId,
			{ status, resolution, markVerified },
			user
		);
		if (!done) return fail(404, { reportId, errors: { form: 'That report is already closed.' } });
		return { done: { reportId, status } };
	};
}

export const actions: Actions = { resolve: close('resolved'), dismiss: close('dismissed') };

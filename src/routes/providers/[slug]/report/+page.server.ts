import { error, fail, redirect } from '@sveltejs/kit';
import * as providers from '$lib/server/providers';
import * as reports from '$lib/server/reports';
import { redirectToCurrentSlug } from '$lib/server/slug-redirect';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from '$lib/server/http';
import { fieldErrors } from '$lib/schemas/errors';
import { HONEYPOT_FIELD } from '$lib/schemas/rating';
import { reportSchema } from '$lib/schemas/report';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const provider = await providers.getBySlug(locals.db, params.slug);
	if (!provider) {
		await redirectToCurrentSlug(locals.db, url, params.slug);
		error(404, { message: 'We could not find that provider.', code: 'not_found' });
	}
	return { provider: { slug: provider.slug, name: provider.name } };
};

export const actions: Actions = {
	default: async ({ request, params, locals, getClientAddress }) => {
		const form = await request.formData();
		const values = {
			reason: form.get('reason') ?? undefined,
			note: String(form.get('note') ?? '')
		};
		if (String(form.get(HONEYPOT_FIELD) ?? '') !== '') {
			redirect(303, `/providers/${params.slug}?reported=1`);
		}
		const parsed = reportSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const address = clientAddressOf(getClientAddress);
		if (!address) return fail(503, { values, errors: { form: ADDRESS_UNAVAILABLE } });
		const result = await reports.submitReport(locals.db, params.slug, parsed.data, { address });
		if (!result.ok) {
			if (result.code === 'not_found') error(404, { message: result.message, code: 'not_found' });
			return fail(429, { values, errors: { form: result.message } });
		}
		redirect(303, `/providers/${params.slug}?reported=1`);
	}
};

import { error, fail, redirect } from '@sveltejs/kit';
import { caughtByHoneypot, HONEYPOT } from '$lib/forms/honeypot';
import { formError, formPageData, keepTyped, rateLimited } from '$lib/server/forms';
import * as providers from '$lib/server/providers';
import * as reports from '$lib/server/reports';
import { redirectToCurrentSlug } from '$lib/server/slug-redirect';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from '$lib/server/http';
import { fieldErrors } from '$lib/schemas/errors';
import { reportSchema, reportFormValues } from '$lib/schemas/report';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url, request }) =>
	formPageData(
		request,
		async () => {
			const provider = await providers.getBySlug(locals.db, params.slug);
			if (!provider) {
				await redirectToCurrentSlug(locals.db, url, params.slug);
				error(404, { message: 'We could not find that provider.', code: 'not_found' });
			}
			return { provider: { slug: provider.slug, name: provider.name } };
		},
		() => ({ provider: { slug: params.slug, name: 'this provider' } })
	);

const report = {
	default: async ({ request, params, locals, getClientAddress }) => {
		const form = await request.formData();
		const values = reportFormValues(form);
		if (caughtByHoneypot(form, HONEYPOT.feedback)) {
			redirect(303, `/providers/${params.slug}?reported=1`);
		}
		const parsed = reportSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const address = clientAddressOf(getClientAddress);
		if (!address) return formError(503, ADDRESS_UNAVAILABLE, { values });
		const result = await reports.submitReport(locals.db, params.slug, parsed.data, { address });
		if (!result.ok) {
			if (result.code === 'not_found') error(404, { message: result.message, code: 'not_found' });
			return rateLimited(result, { values });
		}
		redirect(303, `/providers/${params.slug}?reported=1`);
	}
} satisfies Actions;

export const actions = keepTyped(report, (form) => ({ values: reportFormValues(form) }));

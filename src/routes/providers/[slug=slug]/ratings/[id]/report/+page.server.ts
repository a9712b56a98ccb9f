import { error, fail, redirect } from '@sveltejs/kit';
import { caughtByHoneypot, HONEYPOT } from '$lib/forms/honeypot';
import { formError, formPageData, keepTyped, rateLimited } from '$lib/server/forms';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from '$lib/server/http';
import * as reports from '$lib/server/reports';
import { redirectToCurrentSlug } from '$lib/server/slug-redirect';
import { fieldErrors } from '$lib/schemas/errors';
import { parseId } from '$lib/schemas/provider-admin';
import { ratingReportSchema, reportFormValues } from '$lib/schemas/report';
import type { Actions, PageServerLoad } from './$types';

function notFound(): never {
	error(404, {
		message: 'We could not find that rating. It may have been removed.',
		code: 'not_found'
	});
}

export const load: PageServerLoad = ({ params, locals, url, request }) =>
	formPageData(
		request,
		async () => {
			const ratingId = parseId(params.id);
			const found =
				ratingId === null ? null : await reports.publishedRating(locals.db, params.slug, ratingId);
			if (!found) {
				if (ratingId !== null) await redirectToCurrentSlug(locals.db, url, params.slug);
				notFound();
			}
			return {
				provider: { slug: params.slug, name: found.providerName },
				rating: { overall: found.overall, comment: found.comment }
			};
		},
		// The rating itself cannot be shown without the database; the form can.
		() => ({ provider: { slug: params.slug, name: 'this provider' }, rating: null })
	);

const reportRating = {
	default: async ({ request, params, locals, getClientAddress }) => {
		const ratingId = parseId(params.id);
		if (ratingId === null) notFound();
		const form = await request.formData();
		const values = reportFormValues(form);
		const thanks = `/providers/${params.slug}?reported=rating#comments`;
		if (caughtByHoneypot(form, HONEYPOT.feedback)) redirect(303, thanks);
		const parsed = ratingReportSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const address = clientAddressOf(getClientAddress);
		if (!address) return formError(503, ADDRESS_UNAVAILABLE, { values });
		const result = await reports.submitRatingReport(locals.db, params.slug, ratingId, parsed.data, {
			address
		});
		if (!result.ok) {
			if (result.code === 'not_found') notFound();
			return rateLimited(result, { values });
		}
		redirect(303, thanks);
	}
} satisfies Actions;

export const actions = keepTyped(reportRating, (form) => ({
	values: reportFormValues(form)
}));

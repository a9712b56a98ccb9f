import { error, fail, redirect } from '@sveltejs/kit';
import { listingLines } from '$lib/domain/listing-view';
import { requireRole } from '$lib/server/auth';
import * as listings from '$lib/server/listings';
import { fieldErrors } from '$lib/schemas/errors';
import { parseId } from '$lib/schemas/provider-admin';
import { approveSchema, rejectSchema } from '$lib/schemas/requests';
import type { Actions, PageServerLoad } from './$types';

function requestId(raw: string): number {
	const id = parseId(raw);
	if (id === null) error(404, { message: 'There is no such listing request.', code: 'not_found' });
	return id;
}

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	const detail = await listings.requestDetail(event.locals.db, requestId(event.params.id));
	if (!detail) error(404, { message: 'There is no such listing request.', code: 'not_found' });
	const requested = listingLines(detail.listing);
	const current = detail.current ? listingLines(detail.current.listing) : null;
	return {
		request: {
			id: detail.id,
			kind: detail.kind,
			status: detail.status,
			contactName: detail.contactName,
			contactEmail: detail.contactEmail,
			createdAt: detail.createdAt,
			decisionReason: detail.decisionReason,
			decidedAt: detail.decidedAt,
			decidedBy: detail.decidedBy,
			name: detail.listing.name
		},
		lines: requested.map((line, i) => ({
			...line,
			current: current?.[i].value ?? null,
			changed: current !== null && current[i].value !== line.value
		})),
		currentListing: detail.current
			? {
					slug: detail.current.slug,
					status: detail.current.status,
					lat: detail.current.lat,
					lng: detail.current.lng,
					lastVerifiedAt: detail.current.lastVerifiedAt
				}
			: null,
		located: detail.located,
		suggestedSlug: detail.suggestedSlug
	};
};

export const actions: Actions = {
	approve: async (event) => {
		const user = requireRole(event);
		const id = requestId(event.params.id);
		const values = Object.fromEntries(await event.request.formData()) as Record<string, string>;
		const parsed = approveSchema.safeParse(values);
		if (!parsed.success)
			return fail(400, { action: 'approve', values, errors: fieldErrors(parsed.error) });
		const result = await listings.approveRequest(event.locals.db, id, user, parsed.data);
		if (!result.ok) {
			if (result.code === 'invalid') {
				return fail(400, { action: 'approve', values, errors: result.fields });
			}
			return fail(result.code === 'not_found' ? 404 : 409, {
				action: 'approve',
				values,
				errors: { form: result.message }
			});
		}
		redirect(303, `/admin/requests?decided=${id}`);
	},
	reject: async (event) => {
		const user = requireRole(event);
		const id = requestId(event.params.id);
		const values = Object.fromEntries(await event.request.formData()) as Record<string, string>;
		const parsed = rejectSchema.safeParse(values);
		if (!parsed.success) {
			return fail(400, { action: 'reject', values, errors: fieldErrors(parsed.error) });
		}
		const result = await listings.rejectRequest(event.locals.db, id, parsed.data.reason, user);
		if (!result.ok) {
			return fail(result.code === 'not_found' ? 404 : 409, {
				action: 'reject',
				values,
				errors: { form: result.message }
			});
		}
		redirect(303, `/admin/requests?decided=${id}`);
	}
};

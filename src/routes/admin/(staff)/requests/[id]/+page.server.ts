import { error, fail, redirect } from '@sveltejs/kit';
import { listingLines } from '$lib/domain/provider-fields';
import { requireRole } from '$lib/server/auth';
import * as requests from '$lib/server/requests';
import { fieldErrors } from '$lib/schemas/errors';
import { parseId } from '$lib/schemas/provider-admin';
import { approveSchema, choicesOf, rejectSchema } from '$lib/schemas/requests';
import type { Actions, PageServerLoad } from './$types';
import { keepTyped } from '$lib/server/forms';

function requestId(raw: string): number {
	const id = parseId(raw);
	if (id === null) error(404, { message: 'There is no such listing request.', code: 'not_found' });
	return id;
}

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	const detail = await requests.requestDetail(event.locals.db, requestId(event.params.id));
	if (!detail) error(404, { message: 'There is no such listing request.', code: 'not_found' });
	const requested = listingLines(detail.listing);
	const current = detail.current ? listingLines(detail.current.listing) : null;
	const base = detail.base ? listingLines(detail.base) : null;
	const merge = detail.merge;
	const requestedZipMoved =
		detail.current !== null &&
		(detail.current.listing.zip !== detail.listing.zip ||
			detail.current.listing.state !== detail.listing.state);
	return {
		request: {
			id: detail.id,
			kind: detail.kind,
			status: detail.status,
			message: detail.message,
			contactName: detail.contactName,
			contactEmail: detail.contactEmail,
			createdAt: detail.createdAt,
			decisionReason: detail.decisionReason,
			decidedAt: detail.decidedAt,
			decidedBy: detail.decidedBy,
			name: detail.listing.name
		},
		// The line lists are all of the same fields in the same order, so index i is the same field.
		lines: requested.map((line, i) => {
			const now = current?.[i];
			const seen = base?.[i];
			const merged = merge?.[i];
			return {
				key: line.key,
				label: line.label,
				value: line.value,
				current: now?.value ?? null,
				/** What the provider saw, when the listing has changed since. */
				was: merged?.changedSince && seen ? seen.value : null,
				requestedChange: merged ? merged.requested : now !== undefined && now.value !== line.value,
				changedSince: merged?.changedSince ?? null,
				outcome: merged?.outcome ?? null
			};
		}),
		baseKnown: detail.base !== null,
		currentListing: detail.current
			? {
					slug: detail.current.slug,
					status: detail.current.status,
					version: detail.current.version,
					updatedAt: detail.current.updatedAt,
					lat: detail.current.lat,
					lng: detail.current.lng,
					lastVerifiedAt: detail.current.lastVerifiedAt,
					providerId: detail.current.id
				}
			: null,
		/** The map point approval starts from: the listing's own, unless the request moves it. */
		point:
			detail.current && !requestedZipMoved
				? { lat: detail.current.lat, lng: detail.current.lng }
				: detail.located.ok
					? { lat: detail.located.lat, lng: detail.located.lng }
					: null,
		pointMoves: requestedZipMoved,
		located: detail.located,
		suggestedSlug: detail.suggestedSlug
	};
};

/** Choice errors come back as `choices.<field>`; the page's inputs are named `choice.<field>`. */
const choiceKeys = (errors: Record<string, string>) =>
	Object.fromEntries(
		Object.entries(errors).map(([key, message]) => [key.replace(/^choices\./, 'choice.'), message])
	);

const decisions = {
	approve: async (event) => {
		const user = requireRole(event);
		const id = requestId(event.params.id);
		const values = Object.fromEntries(await event.request.formData()) as Record<string, string>;
		const parsed = approveSchema.safeParse({ ...values, choices: choicesOf(values) });
		if (!parsed.success) {
			return fail(400, {
				action: 'approve',
				values,
				errors: choiceKeys(fieldErrors(parsed.error))
			});
		}
		const result = await requests.approveRequest(event.locals.db, id, user, parsed.data);
		if (!result.ok) {
			if (result.code === 'invalid') {
				return fail(400, { action: 'approve', values, errors: result.fields });
			}
			if (result.code === 'stale') {
				// The page reloads with the listing as it is now; the moderator's other choices stay.
				const { version: _seen, ...kept } = values;
				return fail(409, { action: 'approve', values: kept, errors: { form: result.message } });
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
		const result = await requests.rejectRequest(event.locals.db, id, parsed.data.reason, user);
		if (!result.ok) {
			return fail(result.code === 'not_found' ? 404 : 409, {
				action: 'reject',
				values,
				errors: { form: result.message }
			});
		}
		redirect(303, `/admin/requests?decided=${id}`);
	}
} satisfies Actions;

export const actions = keepTyped(decisions, (form, action) => ({
	action,
	values: Object.fromEntries(form) as Record<string, string>
}));

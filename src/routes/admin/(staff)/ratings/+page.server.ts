import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { ratingInWords } from '$lib/server/moderation';
import * as ratings from '$lib/server/ratings';
import { moderationSchema } from '$lib/schemas/admin';
import { fieldErrors } from '$lib/schemas/errors';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { keepTyped } from '$lib/server/forms';
import { parseId } from '$lib/schemas/provider-admin';

export const load: PageServerLoad = async (event) => {
	requireRole(event);
	const [queue, reported] = await Promise.all([
		ratings.held(event.locals.db),
		ratings.reported(event.locals.db)
	]);
	return { queue, reported };
};

// Typed by what it returns (not as Actions[string]), so the page's `form` keeps the results' types.
function decide(status: 'published' | 'hidden') {
	return async (event: RequestEvent) => {
		const user = requireRole(event);
		const parsed = moderationSchema.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });
		const { ratingId, reason } = parsed.data;
		if (status === 'hidden' && !reason) {
			return fail(400, { ratingId, errors: { reason: 'Give a reason for hiding a rating.' } });
		}
		const found = await ratings.setRatingStatus(event.locals.db, ratingId, status, reason, user);
		if (!found) return fail(404, { errors: { form: 'That rating no longer exists.' } });
		const rating = (await ratingInWords(event.locals.db, ratingId)) ?? 'the rating';
		return { done: { rating, status } };
	};
}

const decisions = { publish: decide('published'), hide: decide('hidden') } satisfies Actions;

export const actions = keepTyped(decisions, (form) => ({
	ratingId: parseId(form.get('ratingId'))
}));

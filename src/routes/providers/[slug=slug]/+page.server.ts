import { error } from '@sveltejs/kit';
import * as editorialNotes from '$lib/server/editorial-notes';
import * as providers from '$lib/server/providers';
import * as ratings from '$lib/server/ratings';
import { redirectToCurrentSlug } from '$lib/server/slug-redirect';
import type { PageServerLoad } from './$types';

const RATED = ['published', 'held', 'received'] as const;
/** `1` for a report about the listing, `rating` for one about a patient's rating. */
const REPORTED = ['1', 'rating'] as const;

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const provider = await providers.getBySlug(locals.db, params.slug);
	if (!provider) {
		await redirectToCurrentSlug(locals.db, url, params.slug);
		error(404, {
			message: 'We could not find that provider. It may have been removed or renamed.',
			code: 'not_found'
		});
	}
	const pageParam = url.searchParams.get('comments') ?? '1';
	const commentsPage =
		/^\d{1,5}$/.test(pageParam) && Number(pageParam) >= 1 ? Number(pageParam) : 1;
	const [comments, editorial] = await Promise.all([
		ratings.comments(locals.db, provider.id, commentsPage),
		editorialNotes.activeFor(locals.db, provider.id)
	]);
	const rated = RATED.find((r) => r === url.searchParams.get('rated'));
	return {
		provider,
		comments: { ...comments, page: commentsPage, perPage: ratings.COMMENTS_PER_PAGE },
		editorial,
		rated,
		reported: REPORTED.find((r) => r === url.searchParams.get('reported'))
	};
};

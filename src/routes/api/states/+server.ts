import { json } from '@sveltejs/kit';
import * as providers from '$lib/server/providers';
import type { RequestHandler } from './$types';

/**
 * The same for every visitor and unchanged until a listing changes: the kept-answer cache
 * (decision 021) gives it an entity tag from its bytes and answers revalidations with 304.
 */
export const GET: RequestHandler = async ({ locals }) => {
	const { states, nation } = await providers.coverage(locals.db);
	return json({ states, nation });
};

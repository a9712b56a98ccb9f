import { json } from '@sveltejs/kit';
import * as providers from '$lib/server/providers';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const { states, nation } = await providers.coverage(locals.db);
	return json({ states, nation });
};

import { redirect } from '@sveltejs/kit';
import * as auth from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/admin');

export const actions: Actions = {
	default: async ({ cookies, locals }) => {
		const token = cookies.get(auth.SESSION_COOKIE);
		if (token) await auth.signOut(locals.db, token);
		cookies.delete(auth.SESSION_COOKIE, { path: '/' });
		redirect(303, '/admin/sign-in');
	}
};

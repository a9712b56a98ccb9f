import { redirect } from '@sveltejs/kit';
import * as auth from '$lib/server/auth';
import { clearSessionCookie, sessionToken } from '$lib/server/session-cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/admin');

export const actions: Actions = {
	default: async ({ cookies, locals, url }) => {
		const token = sessionToken(cookies, url);
		if (token) await auth.signOut(locals.db, token);
		clearSessionCookie(cookies, url);
		redirect(303, '/admin/sign-in');
	}
};

import { fail, redirect } from '@sveltejs/kit';
import * as auth from '$lib/server/auth';
import { formError, keepTypedOnOutage } from '$lib/server/forms';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from '$lib/server/http';
import { fieldText } from '$lib/forms/text';
import { fieldErrors } from '$lib/schemas/errors';
import { safeNext, signInSchema } from '$lib/schemas/admin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

const signIn = {
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = fieldText(form.get('email'));
		const parsed = signInSchema.safeParse({ email, password: form.get('password') ?? undefined });
		if (!parsed.success) return fail(400, { email, errors: fieldErrors(parsed.error) });
		const address = clientAddressOf(getClientAddress);
		if (!address) return formError(503, ADDRESS_UNAVAILABLE, { email });
		const result = await auth.signIn(locals.db, parsed.data.email, parsed.data.password, address);
		if (!result.ok) {
			return formError(result.retryAfterSeconds ? 429 : 400, result.message, { email });
		}
		cookies.set(auth.SESSION_COOKIE, result.token, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			expires: result.expiresAt
		});
		redirect(303, safeNext(fieldText(form.get('next') ?? url.searchParams.get('next'))));
	}
} satisfies Actions;

export const actions = keepTypedOnOutage(signIn, (form) => ({
	email: fieldText(form.get('email'))
}));

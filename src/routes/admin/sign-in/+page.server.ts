import { fail, redirect } from '@sveltejs/kit';
import * as auth from '$lib/server/auth';
import { formError, keepTyped } from '$lib/server/forms';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from '$lib/server/http';
import { setSessionCookie } from '$lib/server/session-cookie';
import { fieldText } from '$lib/forms/text';
import { fieldErrors } from '$lib/schemas/errors';
import { safeNext, secondStepSchema, signInSchema } from '$lib/schemas/admin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

const signIn = {
	/** One action for both steps: the second step's form carries the challenge token. */
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const next = safeNext(fieldText(form.get('next') ?? url.searchParams.get('next')));
		const address = clientAddressOf(getClientAddress);
		if (form.has('challenge')) {
			const parsed = secondStepSchema.safeParse({
				challenge: form.get('challenge') ?? undefined,
				code: form.get('code') ?? undefined,
				recoveryCode: form.get('recoveryCode') ?? undefined
			});
			const challenge = fieldText(form.get('challenge'));
			if (!parsed.success) {
				const errors = fieldErrors(parsed.error);
				// A tampered or missing token: back to the first step.
				if (errors.challenge) return formError(400, auth.CHALLENGE_EXPIRED, { email: '' });
				return fail(400, { step: 'code' as const, challenge, errors });
			}
			if (!address)
				return formError(503, ADDRESS_UNAVAILABLE, { step: 'code' as const, challenge });
			const { code, recoveryCode } = parsed.data;
			const result = await auth.completeSignIn(
				locals.db,
				parsed.data.challenge,
				recoveryCode ?? code ?? '',
				address
			);
			if (!result.ok) {
				if (result.restart) return formError(400, result.message, { email: '' });
				const field = recoveryCode !== undefined ? 'recoveryCode' : 'code';
				return fail(result.retryAfterSeconds ? 429 : 400, {
					step: 'code' as const,
					challenge,
					errors: result.retryAfterSeconds ? { form: result.message } : { [field]: result.message }
				});
			}
			setSessionCookie(cookies, url, result.token, result.expiresAt);
			redirect(303, next);
		}
		const email = fieldText(form.get('email'));
		const parsed = signInSchema.safeParse({ email, password: form.get('password') ?? undefined });
		if (!parsed.success) return fail(400, { email, errors: fieldErrors(parsed.error) });
		if (!address) return formError(503, ADDRESS_UNAVAILABLE, { email });
		const result = await auth.signIn(locals.db, parsed.data.email, parsed.data.password, address);
		if (!result.ok && result.challenge) {
			return { step: 'code' as const, challenge: result.challenge, errors: {} };
		}
		if (!result.ok) {
			return formError(result.retryAfterSeconds ? 429 : 400, result.message, { email });
		}
		setSessionCookie(cookies, url, result.token, result.expiresAt);
		redirect(303, next);
	}
} satisfies Actions;

export const actions = keepTyped(signIn, (form) =>
	form.has('challenge')
		? { step: 'code' as const, challenge: fieldText(form.get('challenge')) }
		: { email: fieldText(form.get('email')) }
);

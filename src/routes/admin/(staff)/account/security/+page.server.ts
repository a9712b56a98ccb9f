import { fail } from '@sveltejs/kit';
import * as auth from '$lib/server/auth';
import { formError } from '$lib/server/forms';
import { ADDRESS_UNAVAILABLE, clientAddressOf } from '$lib/server/http';
import * as secondFactor from '$lib/server/second-factor';
import { mustEnrol } from '$lib/server/session-cookie';
import { fieldErrors } from '$lib/schemas/errors';
import { confirmIdentitySchema, totpCodeSchema } from '$lib/schemas/admin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = auth.requireRole(event);
	return {
		status: await secondFactor.status(event.locals.db, user),
		required: mustEnrol(user)
	};
};

export const actions: Actions = {
	start: async (event) => {
		const user = auth.requireRole(event);
		if (!(await secondFactor.startEnrolment(event.locals.db, user.id))) {
			return formError(400, 'Two-step sign-in is already on for your account.', {
				action: 'start'
			});
		}
		return { action: 'start' };
	},

	confirm: async (event) => {
		const user = auth.requireRole(event);
		const form = await event.request.formData();
		const parsed = totpCodeSchema.safeParse({ code: form.get('code') ?? undefined });
		if (!parsed.success) {
			return fail(400, { action: 'confirm', errors: fieldErrors(parsed.error) });
		}
		const result = await secondFactor.confirmEnrolment(event.locals.db, user.id, parsed.data.code);
		if (!result.ok) return fail(400, { action: 'confirm', errors: { code: result.message } });
		return { action: 'confirm', recoveryCodes: result.recoveryCodes };
	},

	disable: async (event) => {
		const user = auth.requireRole(event);
		if (mustEnrol(user)) {
			return formError(400, 'Admins must keep two-step sign-in on for this directory.', {
				action: 'disable'
			});
		}
		const form = await event.request.formData();
		const parsed = confirmIdentitySchema.safeParse({ secret: form.get('secret') ?? undefined });
		if (!parsed.success) {
			return fail(400, { action: 'disable', errors: fieldErrors(parsed.error) });
		}
		const address = clientAddressOf(event.getClientAddress);
		if (!address) return formError(503, ADDRESS_UNAVAILABLE, { action: 'disable' });
		const check = await auth.confirmIdentity(event.locals.db, user, parsed.data.secret, address);
		if (!check.ok) {
			return check.retryAfterSeconds
				? formError(429, check.message, { action: 'disable' })
				: fail(400, { action: 'disable', errors: { secret: check.message } });
		}
		await secondFactor.disable(event.locals.db, user.id);
		return { action: 'disable', done: 'Two-step sign-in is off for your account.' };
	}
};

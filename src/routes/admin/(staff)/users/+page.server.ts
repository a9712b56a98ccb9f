import { fail, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import * as users from '$lib/server/users';
import { fieldText } from '$lib/forms/text';
import { fieldErrors } from '$lib/schemas/errors';
import {
	changeRoleSchema,
	createUserSchema,
	setPasswordSchema,
	userIdSchema
} from '$lib/schemas/users';
import type { Actions, PageServerLoad } from './$types';
import { keepTyped } from '$lib/server/forms';

const ADMIN = ['admin'] as const;

export const load: PageServerLoad = async (event) => {
	const me = requireRole(event, ADMIN);
	return { me: me.id, accounts: await users.listUsers(event.locals.db) };
};

async function formOf(event: RequestEvent) {
	return Object.fromEntries(await event.request.formData());
}

/** The form's own account id, when it parses, so the page can show errors on the right row. */
const idOf = (form: Record<string, unknown>) => {
	const n = Number(form.userId);
	return Number.isInteger(n) && n > 0 ? n : null;
};

const refused = (action: string, userId: number | null, result: users.UserRefusal) =>
	fail(result.status, { action, userId, errors: { [result.field]: result.message } });

const accounts = {
	create: async (event) => {
		const actor = requireRole(event, ADMIN);
		const form = await formOf(event);
		// Never send the password back.
		const values = { email: fieldText(form.email), role: fieldText(form.role) };
		const parsed = createUserSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, { action: 'create', values, errors: fieldErrors(parsed.error) });
		}
		const result = await users.createAccount(event.locals.db, parsed.data, actor);
		if (!result.ok)
			return fail(result.status, {
				action: 'create',
				values,
				errors: { [result.field]: result.message }
			});
		return {
			action: 'create',
			done: `Account ${result.user.email} created (${result.user.role}).`
		};
	},

	role: async (event) => {
		const actor = requireRole(event, ADMIN);
		const form = await formOf(event);
		const parsed = changeRoleSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, { action: 'role', userId: idOf(form), errors: fieldErrors(parsed.error) });
		}
		const { userId, role } = parsed.data;
		const result = await users.changeRole(event.locals.db, userId, role, actor);
		if (!result.ok) return refused('role', userId, result);
		return {
			action: 'role',
			userId,
			done: result.changed
				? `${result.user.email} is now ${result.user.role === 'admin' ? 'an admin' : 'a moderator'}.`
				: `${result.user.email} already had that role; nothing changed.`
		};
	},

	disable: async (event) => {
		const actor = requireRole(event, ADMIN);
		const form = await formOf(event);
		const parsed = userIdSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, { action: 'status', userId: idOf(form), errors: fieldErrors(parsed.error) });
		}
		const result = await users.disableUser(event.locals.db, parsed.data.userId, actor);
		if (!result.ok) return refused('status', parsed.data.userId, result);
		return {
			action: 'status',
			userId: result.user.id,
			done: result.changed
				? `${result.user.email} is disabled and signed out everywhere.`
				: `${result.user.email} was already disabled.`
		};
	},

	enable: async (event) => {
		const actor = requireRole(event, ADMIN);
		const form = await formOf(event);
		const parsed = userIdSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, { action: 'status', userId: idOf(form), errors: fieldErrors(parsed.error) });
		}
		const result = await users.enableUser(event.locals.db, parsed.data.userId, actor);
		if (!result.ok) return refused('status', parsed.data.userId, result);
		return {
			action: 'status',
			userId: result.user.id,
			done: result.changed
				? `${result.user.email} can sign in again.`
				: `${result.user.email} was already active.`
		};
	},

	password: async (event) => {
		const actor = requireRole(event, ADMIN);
		const form = await formOf(event);
		const parsed = setPasswordSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, {
				action: 'password',
				userId: idOf(form),
				errors: fieldErrors(parsed.error)
			});
		}
		const { userId, password } = parsed.data;
		const result = await users.setPassword(event.locals.db, userId, password, actor);
		if (!result.ok) return refused('password', userId, result);
		return {
			action: 'password',
			userId,
			done: `New password set for ${result.user.email}; their sessions were ended. Share the password securely.`
		};
	},

	resetSecondFactor: async (event) => {
		const actor = requireRole(event, ADMIN);
		const form = await formOf(event);
		const parsed = userIdSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, {
				action: 'twoStep',
				userId: idOf(form),
				errors: fieldErrors(parsed.error)
			});
		}
		const result = await users.resetSecondFactor(event.locals.db, parsed.data.userId, actor);
		if (!result.ok) return refused('twoStep', parsed.data.userId, result);
		return {
			action: 'twoStep',
			userId: result.user.id,
			done: result.changed
				? `Two-step sign-in is off for ${result.user.email} and their sessions were ended: they sign in with their password and can set it up again.`
				: `${result.user.email} had no two-step sign-in; nothing changed.`
		};
	}
} satisfies Actions;

export const actions = keepTyped(accounts, (form, action) => ({
	action:
		action === 'disable' || action === 'enable'
			? 'status'
			: action === 'resetSecondFactor'
				? 'twoStep'
				: action,
	userId: idOf(Object.fromEntries(form)),
	values: { email: fieldText(form.get('email')), role: fieldText(form.get('role')) }
}));

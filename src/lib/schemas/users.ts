import { rowId } from './fields';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN, STAFF_ROLES, type StaffRole } from './limits';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN, STAFF_ROLES, type StaffRole };

const userId = rowId('Missing account.');

const role = z.enum(STAFF_ROLES, { error: 'Choose admin or moderator.' });

const password = z
	.string({ error: 'Enter a password.' })
	.min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
	.max(PASSWORD_MAX_LENGTH, `Use ${PASSWORD_MAX_LENGTH} characters or fewer.`);

export const createUserSchema = z.object({
	email: z
		.string({ error: 'Enter an email address.' })
		.trim()
		.toLowerCase()
		.min(1, 'Enter an email address.')
		.max(254, 'Use an email address of 254 characters or fewer.')
		.email('Enter an email address like name@example.org.'),
	role,
	password
});

export const changeRoleSchema = z.object({ userId, role });
export const userIdSchema = z.object({ userId });
export const setPasswordSchema = z.object({ userId, password });

export type CreateUserInput = z.output<typeof createUserSchema>;

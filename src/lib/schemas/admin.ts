import { rowId } from './fields';
import { z } from 'zod';

export const signInSchema = z.object({
	email: z.string({ error: 'Enter your email.' }).trim().email('Enter the email you sign in with.'),
	password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.')
});

export const moderationSchema = z.object({
	ratingId: rowId('Missing rating.'),
	reason: z
		.string()
		.trim()
		.max(500, 'Keep the reason to 500 characters or fewer.')
		.optional()
		.transform((r) => r || null)
});

/**
 * Only paths inside the admin area may be returned to after signing in, written in printable
 * ASCII as the app itself writes them (percent-encoded): no line break or NUL can reach the
 * Location header, no backslash can make a browser read another host.
 */
export function safeNext(next: string | null): string {
	return next && next.length <= 2000 && /^\/admin(\/|\?|$)[\x21-\x5b\x5d-\x7e]*$/.test(next)
		? next
		: '/admin';
}

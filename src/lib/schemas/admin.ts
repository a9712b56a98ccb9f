import { z } from 'zod';

export const signInSchema = z.object({
	email: z.string({ error: 'Enter your email.' }).trim().email('Enter the email you sign in with.'),
	password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.')
});

export const moderationSchema = z.object({
	ratingId: z.coerce.number({ error: 'Missing rating.' }).int().positive('Missing rating.'),
	reason: z
		.string()
		.trim()
		.max(500, 'Keep the reason to 500 characters or fewer.')
		.optional()
		.transform((r) => r || null)
});

/** Only paths inside the admin area may be returned to after signing in. */
export function safeNext(next: string | null): string {
	return next && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/admin';
}

import { rowId } from './fields';
import { z } from 'zod';

export const signInSchema = z.object({
	email: z.string({ error: 'Enter your email.' }).trim().email('Enter the email you sign in with.'),
	password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.')
});

/** The second sign-in step: the challenge token and either an app code or a recovery code. */
export const secondStepSchema = z
	.object({
		challenge: z.string({ error: 'This sign-in has expired.' }).min(20).max(100),
		code: z.string().trim().max(20, 'Enter the 6-digit code.').optional(),
		recoveryCode: z.string().trim().max(40, 'Enter a recovery code like abcde-12345.').optional()
	})
	.superRefine((value, ctx) => {
		if (value.recoveryCode !== undefined) {
			if (!/^[a-z2-7]{5}-?[a-z2-7]{5}$/i.test(value.recoveryCode.replace(/\s/g, ''))) {
				ctx.addIssue({
					code: 'custom',
					path: ['recoveryCode'],
					message: 'Enter a recovery code like abcde-fghij: ten letters and digits.'
				});
			}
		} else if (!/^\d{6}$/.test((value.code ?? '').replace(/[\s-]/g, ''))) {
			ctx.addIssue({
				code: 'custom',
				path: ['code'],
				message: 'Enter the 6-digit code from your authenticator app.'
			});
		}
	});

/** Turning the second factor on (a code from the new key) or off (the password or a code). */
export const totpCodeSchema = z.object({
	code: z
		.string({ error: 'Enter the 6-digit code from your authenticator app.' })
		.transform((c) => c.replace(/[\s-]/g, ''))
		.pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.'))
});
export const confirmIdentitySchema = z.object({
	secret: z
		.string({ error: 'Enter your password or a current code.' })
		.min(1, 'Enter your password or a current code.')
		.max(200, 'Enter your password or a current code.')
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

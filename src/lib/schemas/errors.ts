import type { z } from 'zod';

/** The first message for each field, keyed by the field's name (nested paths joined by dots). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? issue.path.map(String).join('.') : 'form';
		out[key.replace(/\.\d+$/, '')] ??= issue.message;
	}
	return out;
}

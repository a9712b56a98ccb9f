import type { z } from 'zod';

export interface QueryProblem {
	message: string;
	fields: Record<string, string>;
}

export type QueryResult<T> = { ok: true; data: T } | { ok: false; problem: QueryProblem };

/**
 * Parses URL search parameters with a zod object schema. Empty values count as absent, so a GET
 * form's blank selects mean "any".
 */
export function parseQuery<S extends z.ZodType>(
	schema: S,
	params: URLSearchParams,
	only?: readonly string[]
): QueryResult<z.output<S>> {
	const input: Record<string, string> = {};
	for (const [key, value] of params) {
		if (value.trim() === '' || (only && !only.includes(key))) continue;
		input[key] = value;
	}
	const parsed = schema.safeParse(input);
	if (parsed.success) return { ok: true, data: parsed.data };
	const fields: Record<string, string> = {};
	for (const issue of parsed.error.issues) {
		const key = String(issue.path[0] ?? 'query');
		fields[key] ??= issue.message;
	}
	return { ok: false, problem: { message: Object.values(fields).join(' '), fields } };
}

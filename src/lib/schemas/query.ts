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

export interface IgnoredParam {
	name: string;
	value: string;
	message: string;
}

/**
 * For pages, where a hand-edited address should still show the page: parses like `parseQuery`,
 * then leaves out each parameter that has a problem (with the others of its `group`, e.g. lat and
 * lng together) and parses again, so the rest of the search still applies. `schema` must accept
 * an empty query.
 */
export function parseQueryForgiving<S extends z.ZodType>(
	schema: S,
	params: URLSearchParams,
	groups: Record<string, readonly string[]> = {}
): { data: z.output<S>; ignored: IgnoredParam[] } {
	const kept = new URLSearchParams(params);
	const ignored: IgnoredParam[] = [];
	for (let attempt = 0; attempt < 10; attempt++) {
		const result = parseQuery(schema, kept);
		if (result.ok) return { data: result.data, ignored };
		let dropped = false;
		for (const [field, message] of Object.entries(result.problem.fields)) {
			for (const name of groups[field] ?? [field]) {
				if (!kept.has(name)) continue;
				ignored.push({ name, value: kept.get(name) ?? '', message });
				kept.delete(name);
				dropped = true;
			}
		}
		if (!dropped) break;
	}
	const fallback = schema.safeParse({});
	if (!fallback.success) throw new Error('parseQueryForgiving needs a schema that accepts {}');
	for (const [name, value] of kept) {
		if (value.trim() !== '') ignored.push({ name, value, message: 'Left out.' });
	}
	return { data: fallback.data, ignored };
}

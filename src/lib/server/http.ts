import { json } from '@sveltejs/kit';
import type { QueryProblem } from '../schemas/query';

/** The API's one error shape: `{ error: { code, message, fields? } }`. */
export function apiError(
	status: number,
	code: string,
	message: string,
	fields?: Record<string, string>
): Response {
	return json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status });
}

export function invalidQuery(problem: QueryProblem): Response {
	return apiError(400, 'invalid_query', problem.message, problem.fields);
}

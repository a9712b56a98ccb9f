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

/**
 * The client's address, or null when adapter-node cannot tell it (ADDRESS_HEADER set but the proxy
 * did not send the header): a deployment problem to report, not a crash.
 */
export function clientAddressOf(getClientAddress: () => string): string | null {
	try {
		return getClientAddress();
	} catch (err) {
		console.error('Client address unavailable:', err instanceof Error ? err.message : err);
		return null;
	}
}

export const ADDRESS_UNAVAILABLE =
	'We could not accept this right now because of a problem on our side. Please try again later.';

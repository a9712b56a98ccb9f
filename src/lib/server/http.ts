import { json } from '@sveltejs/kit';
import type { QueryProblem } from '../schemas/query';
import { withoutControlCharacters } from '../forms/text';
import { describeError, log } from './log';

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
		log.error({ err: describeError(err) }, 'client address unavailable');
		return null;
	}
}

export const ADDRESS_UNAVAILABLE =
	'We could not accept this right now because of a problem on our side. Please try again later.';

/** The code and wording of each error status the API and the pages can give on their own. */
const STATUS_ERRORS: Record<number, { code: string; message: string }> = {
	400: {
		code: 'bad_request',
		message:
			'We could not read that request. Check the address (a stray % sign, for example) and try again.'
	},
	401: { code: 'unauthorized', message: 'Sign in first.' },
	403: { code: 'forbidden', message: 'This is not open to you.' },
	404: { code: 'not_found', message: 'We could not find that page.' },
	405: { code: 'method_not_allowed', message: 'This address does not accept that method.' },
	413: {
		code: 'too_large',
		message:
			'That was larger than we accept in one request. Shorten it, or split a CSV file into smaller files, and send it again.'
	},
	414: { code: 'uri_too_long', message: 'That address is too long for us to read.' },
	415: {
		code: 'unsupported_media_type',
		message: 'We could not read the body of that request in the format it was sent.'
	},
	429: { code: 'rate_limited', message: 'Too many requests. Please wait a little and try again.' },
	431: {
		code: 'headers_too_large',
		message: 'That address or its headers are too long for us to read.'
	},
	503: {
		code: 'service_unavailable',
		message: 'The directory is not available right now. Please try again in a minute.'
	}
};

const INTERNAL = {
	code: 'internal_error',
	message: 'Something went wrong on our side. Please try again in a moment.'
};

/** The code and message for an error status: a 4xx says what was wrong, a 5xx apologises. */
export function statusError(status: number): { code: string; message: string } {
	return STATUS_ERRORS[status] ?? (status >= 500 ? INTERNAL : (STATUS_ERRORS[400] ?? INTERNAL));
}

function hasApiShape(body: unknown): boolean {
	if (typeof body !== 'object' || body === null) return false;
	const error = (body as { error?: unknown }).error;
	if (typeof error !== 'object' || error === null) return false;
	const { code, message } = error as { code?: unknown; message?: unknown };
	return typeof code === 'string' && typeof message === 'string';
}

/** Headers an error answer keeps when its body is rewritten. */
const KEPT_HEADERS = ['allow', 'retry-after', 'x-request-id', 'cache-control'];

/**
 * An API error answer in the API's one shape. SvelteKit answers some errors itself (405 with
 * plain text, 400 for a malformed path as a page, `{ message, code }` for a thrown error): those
 * are rewritten; an answer already in shape is returned as it is.
 */
export async function inApiShape(response: Response): Promise<Response> {
	if (response.status < 400) return response;
	if (response.headers.get('content-type')?.includes('application/json')) {
		const body: unknown = await response
			.clone()
			.json()
			.catch(() => null);
		if (hasApiShape(body)) return response;
	}
	const { code, message } = statusError(response.status);
	const shaped = apiError(response.status, code, message);
	for (const name of KEPT_HEADERS) {
		const value = response.headers.get(name);
		if (value !== null) shaped.headers.set(name, value);
	}
	return shaped;
}

/**
 * A JSON request body, or the answer to give instead: 413 when it is over the size limit (the
 * body stream fails with that status), `invalid_json` when it does not parse.
 */
export async function readJson(
	request: Request,
	what: string
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
	let text: string;
	try {
		text = await request.text();
	} catch (err) {
		const status = (err as { status?: unknown } | null)?.status;
		if (status === 413) {
			const { code, message } = statusError(413);
			return { ok: false, response: apiError(413, code, message) };
		}
		return {
			ok: false,
			response: apiError(400, 'unreadable_body', 'We could not read the request body.')
		};
	}
	try {
		// The one text cleaning (control characters out) applies to JSON strings too.
		const body: unknown = JSON.parse(text, (_key, value: unknown) =>
			typeof value === 'string' ? withoutControlCharacters(value) : value
		);
		return { ok: true, body };
	} catch {
		return { ok: false, response: apiError(400, 'invalid_json', `Send ${what} as a JSON object.`) };
	}
}

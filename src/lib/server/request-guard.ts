import { withoutControlCharacters } from '../forms/text';

/**
 * What the app reads of a request, made safe before any load or action sees it:
 * - form posts it cannot read are refused: an action name no page has (`?/__proto__`,
 *   `?/default`), a body that is not a form, a form body that does not parse, one over the size
 *   limit. Each is the sender's mistake, so each is a 4xx that says what was wrong, never the 500
 *   SvelteKit would give when the action trips over it;
 * - text is cleaned at this one point, for every form and every query string: control
 *   characters (NUL above all, which PostgreSQL cannot store) are removed, and form fields named
 *   after Object's own keys (`__proto__`) are dropped.
 */

export interface Refusal {
	status: number;
	code: string;
	message: string;
}

/** Every action the app's forms name is a camelCase word (`approve`, `editAnnotation`). */
const ACTION_NAME = /^[a-z][a-zA-Z]{0,40}$/;

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/** The action a POST names with `?/name`, as SvelteKit reads it; null for the default action. */
function namedAction(url: URL): string | null {
	for (const [key] of url.searchParams) if (key.startsWith('/')) return key.slice(1);
	return null;
}

const mediaType = (header: string | null) =>
	(header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** adapter-node's size limit rejects the body stream with a 413 error. */
const tooLarge = (err: unknown) =>
	typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 413;

export const TOO_LARGE: Refusal = {
	status: 413,
	code: 'too_large',
	message:
		'That was larger than we accept in one request. Shorten the text, or split a CSV file into smaller files, and send it again.'
};

/**
 * Why a POST to a page cannot be handled, or the request its action should read: the same one,
 * or when some field held control characters, a copy with them removed.
 */
export async function readableForm(
	request: Request,
	url: URL
): Promise<{ refusal: Refusal } | { request: Request }> {
	const name = namedAction(url);
	if (
		name !== null &&
		(!ACTION_NAME.test(name) || name === 'default' || name in Object.prototype)
	) {
		return {
			refusal: {
				status: 404,
				code: 'no_such_action',
				message: 'This page has no form by that name. Go back to the page and send its form again.'
			}
		};
	}
	if (!FORM_TYPES.has(mediaType(request.headers.get('content-type')))) {
		return {
			refusal: {
				status: 415,
				code: 'unsupported_media_type',
				message:
					'Forms here must be sent as application/x-www-form-urlencoded or multipart/form-data, as the site’s own forms send them. Go back to the page and send its form again.'
			}
		};
	}
	let form: FormData;
	try {
		form = await request.clone().formData();
	} catch (err) {
		if (tooLarge(err)) return { refusal: TOO_LARGE };
		return {
			refusal: {
				status: 400,
				code: 'unreadable_form',
				message: 'We could not read that form submission. Go back to the page and send it again.'
			}
		};
	}
	return { request: cleanedForm(request, form) };
}

/**
 * Field names no form has and objects built from a form must not get: `__proto__` would make
 * `Object.fromEntries(form)` an object devalue refuses to send back.
 */
const OBJECT_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function cleanedForm(request: Request, form: FormData): Request {
	const entries = [...form];
	const clean = entries
		.map(([key, value]): [string, FormDataEntryValue] => [
			withoutControlCharacters(key),
			typeof value === 'string' ? withoutControlCharacters(value) : value
		])
		.filter(([key]) => !OBJECT_KEYS.has(key));
	if (
		clean.length === entries.length &&
		clean.every(([key, value], i) => key === entries[i]?.[0] && value === entries[i]?.[1])
	) {
		return request;
	}
	const text = clean.filter((entry): entry is [string, string] => typeof entry[1] === 'string');
	const multipart = text.length < clean.length;
	const body = new FormData();
	for (const [key, value] of clean) body.append(key, value);
	const headers = new Headers(request.headers);
	// The body is encoded anew: its type (and a multipart boundary) and length come with it.
	headers.delete('content-type');
	headers.delete('content-length');
	return new Request(request.url, {
		method: request.method,
		headers,
		body: multipart ? body : new URLSearchParams(text)
	});
}

/** The query string with control characters removed from every name and value (in place). */
export function cleanSearch(url: URL): void {
	const pairs = [...url.searchParams];
	const clean = pairs.map(([key, value]) => [
		withoutControlCharacters(key),
		withoutControlCharacters(value)
	]);
	if (clean.every(([key, value], i) => key === pairs[i]?.[0] && value === pairs[i]?.[1])) return;
	url.search = new URLSearchParams(clean).toString();
}

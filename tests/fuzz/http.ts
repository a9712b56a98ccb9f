import { parse as parseDevalue } from 'devalue';

/**
 * Raw HTTP for the fuzz suite (Node's fetch, redirects never followed), and the properties every
 * answer to invalid input must have.
 */

export type Fields = [string, string][];

export interface Sent {
	method: string;
	path: string;
	headers: Record<string, string>;
	/** What the body was, for the report (never the whole of a large body). */
	body?: string;
}

export interface Answer {
	sent: Sent;
	status: number;
	headers: Headers;
	text: string;
}

let addressCounter = 0;
/** A different client address per request, so per-address limits never hide a bug. */
export function nextAddress(): string {
	addressCounter++;
	return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export async function send(
	origin: string,
	path: string,
	init: {
		method?: string;
		headers?: Record<string, string>;
		body?: string | Buffer | Uint8Array;
		describe?: string;
	} = {}
): Promise<Answer> {
	const method = init.method ?? 'GET';
	const headers = { 'x-forwarded-for': nextAddress(), ...init.headers };
	const sent: Sent = {
		method,
		path,
		headers,
		body:
			init.describe ??
			(init.body === undefined
				? undefined
				: typeof init.body === 'string'
					? init.body.slice(0, 300)
					: `<${init.body.length} bytes>`)
	};
	try {
		const response = await fetch(origin + path, {
			method,
			headers,
			body: init.body as BodyInit | undefined,
			redirect: 'manual',
			signal: AbortSignal.timeout(30_000)
		});
		return {
			sent,
			status: response.status,
			headers: response.headers,
			text: await response.text()
		};
	} catch (err) {
		// A reset connection is an answer too (status 0): never a pass.
		const cause = (err as { cause?: { code?: string; message?: string } }).cause;
		return {
			sent,
			status: 0,
			headers: new Headers(),
			text: `fetch failed: ${cause?.code ?? ''} ${cause?.message ?? String(err)}`
		};
	}
}

export function urlencoded(fields: Fields): string {
	const params = new URLSearchParams();
	for (const [name, value] of fields) params.append(name, value);
	return params.toString();
}

/** multipart/form-data by hand, so it can also be malformed on purpose. */
export function multipart(fields: Fields, boundary: string): Buffer {
	const escape = (name: string) =>
		name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
	const parts: Buffer[] = [];
	for (const [name, value] of fields) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\ncontent-disposition: form-data; name="${escape(name)}"\r\n\r\n${value}\r\n`
			)
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return Buffer.concat(parts);
}

/** A file part with known bytes (Blob contents cannot be read synchronously). */
export function multipartWithFile(
	fields: Fields,
	file: { field: string; name: string; bytes: Buffer } | null,
	boundary: string
): Buffer {
	const base = multipart(fields, boundary);
	if (!file) return base;
	const head = base.subarray(0, base.length - `--${boundary}--\r\n`.length);
	return Buffer.concat([
		head,
		Buffer.from(
			`--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name.replace(/["\r\n]/g, '_')}"\r\ncontent-type: text/csv\r\n\r\n`
		),
		file.bytes,
		Buffer.from(`\r\n--${boundary}--\r\n`)
	]);
}

export type Encoding = 'urlencoded' | 'multipart';

export interface FormPost {
	path: string;
	/** The named action, or null for the default one. */
	action: string | null;
	fields: Fields;
	encoding: Encoding;
	/** As `use:enhance` sends it (an ActionResult in JSON), or as a plain browser form (a page). */
	enhanced: boolean;
	cookie?: string;
	headers?: Record<string, string>;
}

export async function postForm(origin: string, post: FormPost): Promise<Answer> {
	const url = post.action === null ? post.path : `${post.path}?/${post.action}`;
	const headers: Record<string, string> = { origin };
	if (post.enhanced) {
		headers['x-sveltekit-action'] = 'true';
		headers.accept = 'application/json';
	} else {
		headers.accept = 'text/html';
	}
	if (post.cookie) headers.cookie = post.cookie;
	Object.assign(headers, post.headers);
	const described = post.fields
		.map(([k, v]) => `${k}=${v.slice(0, 60)}`)
		.join('&')
		.slice(0, 400);
	if (post.encoding === 'urlencoded') {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		return send(origin, url, {
			method: 'POST',
			headers,
			body: urlencoded(post.fields),
			describe: described
		});
	}
	const boundary = `----fuzz${Math.random().toString(36).slice(2)}`;
	headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
	return send(origin, url, {
		method: 'POST',
		headers,
		body: multipart(post.fields, boundary),
		describe: `(multipart) ${described}`
	});
}

// ---------------------------------------------------------------------------------------------
// What an answer must be

export const GENERIC = /something went wrong|internal error/i;

/** A form action's answer, read the same way whether it came enhanced (JSON) or as a page. */
export interface FormOutcome {
	status: number;
	kind: 'failure' | 'redirect' | 'error' | 'success' | 'page' | 'other';
	location: string | null;
	messages: string[];
}

export function readForm(answer: Answer, enhanced: boolean): FormOutcome {
	const location = answer.headers.get('location');
	if (enhanced && answer.headers.get('content-type')?.startsWith('application/json')) {
		try {
			const body = JSON.parse(answer.text) as {
				type?: string;
				status?: number;
				location?: string;
				data?: string;
				error?: { message?: unknown };
			};
			if (body.type === 'failure') {
				const data = (body.data ? parseDevalue(body.data) : {}) as Record<string, unknown>;
				return {
					status: body.status ?? answer.status,
					kind: 'failure',
					location: null,
					messages: messagesOf(data)
				};
			}
			if (body.type === 'redirect') {
				return {
					status: body.status ?? answer.status,
					kind: 'redirect',
					location: body.location ?? null,
					messages: []
				};
			}
			if (body.type === 'error') {
				const message = body.error?.message;
				return {
					status: answer.status,
					kind: 'error',
					location: null,
					messages: typeof message === 'string' ? [message] : []
				};
			}
			if (body.type === 'success') {
				return { status: body.status ?? 200, kind: 'success', location: null, messages: [] };
			}
		} catch {
			// not an ActionResult: judged as text below
		}
	}
	if (answer.headers.get('content-type')?.startsWith('text/html')) {
		return { status: answer.status, kind: 'page', location, messages: pageMessages(answer.text) };
	}
	return {
		status: answer.status,
		kind: 'other',
		location,
		messages: answer.text.trim() ? [answer.text.trim().slice(0, 300)] : []
	};
}

function messagesOf(data: Record<string, unknown>): string[] {
	const out: string[] = [];
	const errors = data.errors;
	if (errors && typeof errors === 'object') {
		for (const value of Object.values(errors)) if (typeof value === 'string') out.push(value);
	}
	for (const key of ['fileError', 'originProblem', 'message']) {
		if (typeof data[key] === 'string') out.push(data[key]);
	}
	const report = data.report as { errors?: { message?: unknown }[] } | null | undefined;
	for (const e of report?.errors ?? []) if (typeof e.message === 'string') out.push(e.message);
	return out;
}

/** The text of a page's alerts and field messages (the layout marks them role="alert"). */
function pageMessages(html: string): string[] {
	const main = /<main[\s\S]*<\/main>/i.exec(html)?.[0] ?? html;
	const text = main
		.replace(/<script[\s\S]*?<\/script>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&[a-z#0-9]+;/gi, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text ? [text] : [];
}

/** A form action's answer judged as a refusal, with the status the client acts on. */
export function refusal(answer: Answer, enhanced: boolean) {
	const outcome = readForm(answer, enhanced);
	return { answer, status: outcome.status, problems: refusedForm(outcome) };
}

/** Problems with the answer to input that must be refused; empty when it is right. */
export function refusedForm(outcome: FormOutcome): string[] {
	const problems: string[] = [];
	if (outcome.status < 400 || outcome.status > 499) {
		problems.push(`expected a 4xx, got ${outcome.status} (${outcome.kind})`);
		return problems;
	}
	if (outcome.messages.length === 0 || outcome.messages.every((m) => m.trim() === '')) {
		problems.push(`${outcome.status} with no message naming the problem`);
	} else if (outcome.kind !== 'page' && outcome.messages.some((m) => GENERIC.test(m))) {
		problems.push(`${outcome.status} with a generic message`);
	} else if (
		outcome.kind === 'page' &&
		/something went wrong on our side/i.test(outcome.messages[0]!)
	) {
		problems.push(`${outcome.status} page says "Something went wrong on our side"`);
	}
	return problems;
}

/** A redirect must stay on this site and carry no header-splitting characters. */
export function unsafeLocation(location: string | null, origin: string): string | null {
	if (location === null) return 'a redirect without a location';
	if (/[\r\n\0]/.test(location)) return 'a redirect location with CR, LF or NUL';
	let target: URL;
	try {
		target = new URL(location, origin + '/');
	} catch {
		return 'a redirect location that is not a URL';
	}
	if (target.origin !== origin) return `a redirect off the site (${target.origin})`;
	if (/^[/\\]{2}/.test(location)) return 'a protocol-relative redirect location';
	return null;
}

/** The JSON API's one error shape: `{ error: { code, message, fields? } }` and nothing else. */
export function apiErrorProblems(answer: Answer, expected?: number | number[]): string[] {
	const problems: string[] = [];
	const allowed = expected === undefined ? null : [expected].flat();
	if (allowed ? !allowed.includes(answer.status) : answer.status < 400 || answer.status > 499) {
		problems.push(`expected ${allowed ? allowed.join(' or ') : 'a 4xx'}, got ${answer.status}`);
	}
	if (answer.status >= 200 && answer.status < 400 && !allowed) return problems;
	const type = answer.headers.get('content-type') ?? '';
	if (!type.startsWith('application/json')) {
		problems.push(`error answer is ${type || 'without a content type'}, not JSON`);
		return problems;
	}
	let body: unknown;
	try {
		body = JSON.parse(answer.text);
	} catch {
		problems.push('error answer is not valid JSON');
		return problems;
	}
	if (!isErrorShape(body))
		problems.push('error answer is not { error: { code, message, fields? } }');
	else if (GENERIC.test(body.error.message) && answer.status < 500)
		problems.push('error answer has a generic message');
	return problems;
}

function isErrorShape(
	body: unknown
): body is { error: { code: string; message: string; fields?: Record<string, string> } } {
	if (!isPlainObject(body) || Object.keys(body).join() !== 'error') return false;
	const error = body.error;
	if (!isPlainObject(error)) return false;
	const keys = Object.keys(error);
	if (keys.some((k) => !['code', 'message', 'fields'].includes(k))) return false;
	if (typeof error.code !== 'string' || error.code === '') return false;
	if (typeof error.message !== 'string' || error.message.trim() === '') return false;
	if ('fields' in error) {
		if (!isPlainObject(error.fields)) return false;
		if (Object.values(error.fields).some((v) => typeof v !== 'string')) return false;
	}
	return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A human page's error: 4xx, and never the "our side" page for a problem on the client's. */
export function pageProblems(answer: Answer, allowed: (status: number) => boolean): string[] {
	// Node refuses a request line and headers past 16 kB itself, with a bare 431.
	if (answer.status === 431 && answer.sent.path.length > 8000) return [];
	if (!allowed(answer.status)) return [`unexpected status ${answer.status}`];
	if (answer.status >= 400 && /something went wrong on our side/i.test(answer.text)) {
		return [`${answer.status} page says "Something went wrong on our side"`];
	}
	return [];
}

export function excerpt(answer: Answer): string {
	return answer.text.replace(/\s+/g, ' ').slice(0, 200);
}

import { plainPage } from './plain-page';
import { stringify } from 'devalue';
import { formValues } from '../form-values';

/**
 * SvelteKit's cross-site form check, made readable. The rule is SvelteKit's own (a POST, PUT, PATCH
 * or DELETE with a form content type is refused unless its Origin header is the site's origin),
 * but instead of a bare "Cross-site POST form submissions are forbidden" the person sees what went
 * wrong and, if they run the site, what to set; a form sent by JavaScript keeps what was typed.
 * SvelteKit's own check is switched off in svelte.config.js so that this one answers
 * (docs/decisions/011-serving-the-build.md).
 */

const FORM_TYPES = [
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
];
const UNSAFE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** The key a refused enhanced form finds in `page.form` (shown by the root layout). */
export const ORIGIN_PROBLEM = 'originProblem';

/** The Origin the request came from when it must be refused, else null ("" when it sent none). */
export function refusedOrigin(request: Request, siteOrigin: string): string | null {
	if (!UNSAFE_METHODS.includes(request.method)) return null;
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	if (!FORM_TYPES.includes(type)) return null;
	const origin = request.headers.get('origin');
	return origin === siteOrigin ? null : (origin ?? '');
}

export function originMessage(from: string, siteOrigin: string): string {
	const sent = from ? `from ${from}` : 'without saying which site it came from';
	return `This form was sent ${sent}, but this server only accepts forms from ${siteOrigin}. Nothing was saved.`;
}

/** Never echoes the sender's origin as the thing to set: the sender may be a hostile page. */
export const ADMIN_HINT =
	'If you run this directory: set ORIGIN to the address people use to reach it (as shown in the browser, e.g. ORIGIN=https://directory.example.org), or behind a proxy set PROTOCOL_HEADER and HOST_HEADER. See the README’s Configuration.';

/** The refusal, in the form the client can read: an enhanced form, the JSON API, or a page. */
export async function refusal(
	request: Request,
	from: string,
	siteOrigin: string
): Promise<Response> {
	const message = originMessage(from, siteOrigin);
	const hint = ADMIN_HINT;
	const status = 403;
	if (request.headers.get('x-sveltekit-action') === 'true') {
		// An ActionResult of type "failure", shaped as the actions' own: the page re-renders the
		// form with what was sent, and the root layout shows the message.
		const values = await request
			.formData()
			.then(formValues)
			.catch(() => ({}));
		const action = new URL(request.url).search.match(/^\?\/([\w-]+)/)?.[1];
		const data = stringify({ [ORIGIN_PROBLEM]: `${message} ${hint}`, values, action });
		return Response.json({ type: 'failure', status, data }, { status });
	}
	const path = new URL(request.url).pathname;
	if (path.startsWith('/api/') || request.headers.get('accept')?.includes('application/json')) {
		// The API's one error shape; the hint for whoever runs the site goes in the message.
		return Response.json(
			{ error: { code: 'cross_origin', message: `${message} ${hint}` } },
			{ status }
		);
	}
	return plainPage(status, {
		title: 'This form could not be sent',
		paragraphs: [
			message,
			'Go back with your browser’s Back button: the form still holds what you typed.'
		],
		hint
	});
}

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
	if (request.headers.get('accept')?.includes('application/json')) {
		return Response.json({ error: { code: 'cross_origin', message, hint } }, { status });
	}
	return new Response(page(message, hint), {
		status,
		headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }
	});
}

const escape = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

function page(message: string, hint: string): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>This form could not be sent — Ketamine Provider Directory</title>
<style>
body{font-family:system-ui,sans-serif;line-height:1.55;color:#1d282c;background:#fbfaf7;margin:0}
main{max-width:40rem;margin:0 auto;padding:2rem 1rem}
a{color:#1f5f5a}
.hint{border-left:4px solid #d9a520;background:#fff6e0;padding:.5rem 1rem}
</style>
</head>
<body>
<main>
<h1>This form could not be sent</h1>
<p>${escape(message)}</p>
<p>Go back with your browser's Back button: the form still holds what you typed.</p>
<p class="hint">${escape(hint)}</p>
<p><a href="/">Go to the directory's home page</a></p>
</main>
</body>
</html>`;
}

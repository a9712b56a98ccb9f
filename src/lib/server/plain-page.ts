/**
 * A small page of its own for the few answers given before SvelteKit renders anything (a form
 * from another origin, a body the app cannot read, a database that cannot be opened): the site's
 * colours, a heading, what happened and what to do, a way back.
 */

import { createHash } from 'node:crypto';

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.55;color:#1d282c;background:#fbfaf7;margin:0}
main{max-width:40rem;margin:0 auto;padding:2rem 1rem}
a{color:#1f5f5a}
.hint{border-left:4px solid #d9a520;background:#fff6e0;padding:.5rem 1rem}`;

/** Nothing runs on these pages; their one style element is allowed by its hash. */
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

const escape = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

export interface PlainPage {
	title: string;
	paragraphs: string[];
	/** Shown in a highlighted box under the paragraphs. */
	hint?: string;
}

export function plainPageHtml({ title, paragraphs, hint }: PlainPage): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Ketamine Provider Directory</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escape(title)}</h1>
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
${hint ? `<p class="hint">${escape(hint)}</p>\n` : ''}<p><a href="/">Go to the directory’s home page</a></p>
</main>
</body>
</html>`;
}

export function plainPage(
	status: number,
	page: PlainPage,
	headers: Record<string, string> = {}
): Response {
	return new Response(plainPageHtml(page), {
		status,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'content-security-policy': CSP,
			...headers
		}
	});
}

import { gzipSync } from 'node:zlib';

/** Issue 12: the JavaScript a page loads before the map chunk, gzipped. */
export const HOME_JS_BUDGET = 60_000;

export interface JsFile {
	url: string;
	bytes: number;
	gzip: number;
}

export interface JsWeight {
	path: string;
	/** Sum of `gzip` over `files`: each file gzipped on its own at node:zlib's default level. */
	gzip: number;
	bytes: number;
	files: JsFile[];
	/** Static imports of the files above that neither the Link header nor the page names. */
	unlisted: string[];
}

const MODULEPRELOAD = /<([^>]+)>\s*;[^,]*\brel="?modulepreload"?/g;
const SCRIPT_IMPORT = /\bimport\(\s*["']([^"']+\.js)["']\s*\)/g;
/**
 * The static imports of a built chunk: bundlers put them all at the top, after Vite's list of
 * lazy dependencies, so reading stops at the first statement that is not one.
 */
const PROLOGUE =
	/^(?:\s*(?:const __vite__mapDeps=[^\n]*\n|import\s*(?:[\w$*{}\s,]+?from\s*)?["'][^"']+["'];?))*/;
const STATIC_IMPORT = /\bimport\s*(?:[\w$*{}\s,]+?from\s*)?["']([^"']+)["']/g;

function staticImports(code: string): string[] {
	const prologue = PROLOGUE.exec(code)?.[0] ?? '';
	return [...prologue.matchAll(STATIC_IMPORT)].map(([, specifier]) => specifier!);
}

/**
 * The JavaScript `GET path` makes the browser load at start: every `modulepreload` in the Link
 * header (SvelteKit lists the entry, the route's nodes and all their static imports there) and
 * every module the page's inline script imports. Lazy chunks (`import()` inside a module, like the
 * map's Leaflet) are not counted. Each file is fetched from the server and gzipped here, so the
 * figure does not depend on the server's own compression.
 */
export async function measureJsWeight(baseUrl: string, path = '/'): Promise<JsWeight> {
	const page = new URL(path, baseUrl);
	const response = await fetch(page);
	if (!response.ok) throw new Error(`GET ${page.href}: ${response.status}`);
	const html = await response.text();
	const listed = new Set<string>();
	for (const [, href] of (response.headers.get('link') ?? '').matchAll(MODULEPRELOAD))
		listed.add(new URL(href!, page).href);
	for (const [, src] of html.matchAll(SCRIPT_IMPORT)) listed.add(new URL(src!, page).href);

	const files: JsFile[] = [];
	const unlisted = new Set<string>();
	for (const url of listed) {
		const res = await fetch(url);
		if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
		const body = Buffer.from(await res.arrayBuffer());
		files.push({ url, bytes: body.length, gzip: gzipSync(body).length });
		for (const specifier of staticImports(body.toString('utf8'))) {
			const target = new URL(specifier, url).href;
			if (!listed.has(target)) unlisted.add(target);
		}
	}
	files.sort((a, b) => b.gzip - a.gzip);
	return {
		path,
		gzip: files.reduce((sum, f) => sum + f.gzip, 0),
		bytes: files.reduce((sum, f) => sum + f.bytes, 0),
		files,
		unlisted: [...unlisted]
	};
}

/** One line per file, biggest first, for a test's or a script's output. */
export function describeJsWeight(weight: JsWeight): string {
	const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
	return [
		`${weight.path}: ${weight.gzip} bytes gzip (${kb(weight.gzip)}) in ${weight.files.length} files, ${kb(weight.bytes)} raw`,
		...weight.files.map(
			(f) =>
				`  ${kb(f.gzip).padStart(9)}  ${new URL(f.url).pathname.replace('/_app/immutable/', '')}`
		)
	].join('\n');
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What `/` makes a browser download before the map: the JavaScript modules it preloads (the Link
 * header's and the HTML's modulepreload entries) and imports from its inline script, each at its
 * gzip size (the build's precompressed .gz when there is one). Leaflet is imported lazily by the
 * map once it mounts, so it is not among them.
 */
export async function homeWeight(baseUrl: string, clientDir = 'build/client') {
	const response = await fetch(`${baseUrl}/`, { headers: { 'accept-encoding': 'gzip, br' } });
	const encoding = response.headers.get('content-encoding');
	const html = await response.text();
	const urls = new Set<string>();
	for (const m of (response.headers.get('link') ?? '').matchAll(
		/<([^>]+)>;[^,]*rel="?modulepreload/g
	))
		if (m[1]) urls.add(m[1]);
	for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g))
		if (m[1]) urls.add(m[1]);
	for (const m of html.matchAll(/<link[^>]+href="([^"]+)"[^>]*rel="modulepreload"/g))
		if (m[1]) urls.add(m[1]);
	for (const m of html.matchAll(/import\(\s*"([^"]+\.js)"\s*\)/g)) if (m[1]) urls.add(m[1]);
	for (const m of html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g))
		if (m[1]) urls.add(m[1]);
	const modules: { path: string; bytes: number; gzip: number }[] = [];
	for (const url of urls) {
		const path = new URL(url, `${baseUrl}/`).pathname;
		const file = join(clientDir, path);
		if (!existsSync(file)) {
			modules.push({ path, bytes: 0, gzip: 0 });
			continue;
		}
		const raw = readFileSync(file);
		const gzip = existsSync(`${file}.gz`)
			? readFileSync(`${file}.gz`).length
			: gzipSync(raw).length;
		modules.push({ path, bytes: raw.length, gzip });
	}
	const missing = modules.filter((m) => m.bytes === 0).map((m) => m.path);
	return {
		htmlEncoding: encoding,
		htmlCompressed: encoding === 'gzip' || encoding === 'br',
		modules: modules.length,
		missing,
		jsBytes: modules.reduce((s, m) => s + m.bytes, 0),
		jsGzip: modules.reduce((s, m) => s + m.gzip, 0)
	};
}

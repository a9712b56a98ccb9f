import { measureJsWeight } from '../../tests/helpers/js-weight';

/**
 * What `/` makes a browser download before the map (tests/helpers/js-weight.ts, the same measure
 * as the browser suite's budget test), and whether its HTML travels compressed.
 */
export async function homeWeight(baseUrl: string) {
	const response = await fetch(`${baseUrl}/`, { headers: { 'accept-encoding': 'gzip, br' } });
	await response.arrayBuffer();
	const encoding = response.headers.get('content-encoding');
	const js = await measureJsWeight(baseUrl, '/');
	return {
		htmlEncoding: encoding,
		htmlCompressed: encoding === 'gzip' || encoding === 'br',
		modules: js.files.length,
		/** Modules imported at start that the page does not announce (counted as a miss). */
		missing: js.unlisted,
		jsBytes: js.bytes,
		jsGzip: js.gzip
	};
}

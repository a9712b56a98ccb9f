/**
 * gzip for the app's own text answers (pages, JSON, CSV), when the client accepts it: a state
 * page or the states matrix is a quarter of its size on the wire. Static files are compressed at
 * build time instead (adapter-node's `precompress`, served by its static handler).
 */

const COMPRESSIBLE = /^(text\/(html|csv|plain)|application\/json)\b/;

/** Below this, the gzip header and a round of the compressor cost more than they save. */
const MIN_BYTES = 1024;

function acceptsGzip(request: Request): boolean {
	const header = request.headers.get('accept-encoding') ?? '';
	return header
		.split(',')
		.map((part) => part.trim().toLowerCase())
		.some((part) => (part === 'gzip' || part.startsWith('gzip;')) && !/;\s*q=0(\.0*)?$/.test(part));
}

export function compressed(request: Request, response: Response): Response {
	if (request.method === 'HEAD' || !response.body) return response;
	if (!acceptsGzip(request) || response.headers.has('content-encoding')) return response;
	if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return response;
	const length = Number(response.headers.get('content-length') ?? Number.NaN);
	if (length < MIN_BYTES) return response;
	const headers = new Headers(response.headers);
	headers.set('content-encoding', 'gzip');
	headers.delete('content-length');
	headers.append('vary', 'Accept-Encoding');
	return new Response(response.body.pipeThrough(new CompressionStream('gzip')), {
		status: response.status,
		headers
	});
}

import http from 'node:http';

/**
 * GET over raw HTTP from the test server: the bytes and headers as sent, with nothing cached or
 * decompressed on the test's behalf.
 */

const PORT = Number(process.env.E2E_PORT ?? 4173);

export interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

export function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
	return new Promise((done, fail) => {
		http
			.get({ host: '127.0.0.1', port: PORT, path, headers }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
				);
			})
			.on('error', fail);
	});
}

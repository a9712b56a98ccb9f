// The response headers every answer carries: pages, the API, static files, and the replies
// SvelteKit and the server give on their own (403, 404, 413, 431). Plain JavaScript, because
// two places use it: src/hooks.server.ts, and scripts/server-entry.js, which sets them before
// adapter-node serves a static file (svelte.config.js copies this file beside it in build/).
// Pages replace the Content-Security-Policy below with SvelteKit's own, which adds nonces.

/** Browser features the site never uses are switched off; location is asked for on its own pages only. */
const PERMISSIONS = [
	'geolocation=(self)',
	'camera=()',
	'microphone=()',
	'payment=()',
	'usb=()',
	'serial=()',
	'hid=()',
	'midi=()',
	'accelerometer=()',
	'gyroscope=()',
	'magnetometer=()',
	'display-capture=()',
	'screen-wake-lock=()',
	'publickey-credentials-get=()',
	'xr-spatial-tracking=()',
	'browsing-topics=()'
].join(', ');

/** For answers that are not pages (static files, JSON, plain replies): nothing may run. */
const NON_PAGE_CSP =
	"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * @param {{ https: boolean }} served whether the request reached the site over HTTPS
 * @returns {Record<string, string>}
 */
export function securityHeaders({ https }) {
	/** @type {Record<string, string>} */
	const headers = {
		// Keep searches (state, route, ZIP codes) out of Referer headers sent to provider sites.
		'referrer-policy': 'same-origin',
		'x-content-type-options': 'nosniff',
		'permissions-policy': PERMISSIONS,
		'cross-origin-opener-policy': 'same-origin',
		'x-frame-options': 'DENY',
		'content-security-policy': NON_PAGE_CSP
	};
	// Over plain HTTP (`npm start` on localhost) HSTS would be ignored at best.
	if (https) headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
	return headers;
}

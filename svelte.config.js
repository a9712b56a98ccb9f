import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';

/**
 * adapter-node, with scripts/server-entry.js as build/index.js: the same request handler, served
 * over plain HTTP when no ORIGIN or PROTOCOL_HEADER says otherwise, drained on SIGTERM
 * (docs/decisions/011-serving-the-build.md).
 */
function nodeServer() {
	// precompress: .gz and .br beside every static file, served when the client accepts them.
	const node = adapter({ precompress: true });
	return {
		...node,
		name: 'adapter-node (directory server entry)',
		/** @param {import('@sveltejs/kit').Builder} builder */
		async adapt(builder) {
			await node.adapt(builder);
			copyFileSync('scripts/server-entry.js', 'build/index.js');
			copyFileSync('src/lib/server/security-headers.js', 'build/security-headers.js');
			copyFileSync('src/lib/server/page-cache.js', 'build/page-cache.js');
			copyFileSync('src/lib/server/in-flight.js', 'build/in-flight.js');
			rmSync('build/index.js.map', { force: true });
		}
	};
}

/**
 * The CSP source for the one inline script in src/app.html (it must run before the app's own
 * scripts): its hash, so the policy allows exactly that script and the page needs no nonce.
 * @returns {`sha256-${string}`}
 */
function appTemplateScriptHash() {
	const template = readFileSync('src/app.html', 'utf8');
	const script = /<script>([\s\S]*?)<\/script>/.exec(template);
	if (!script?.[1]) throw new Error('src/app.html: the inline <script> was not found');
	return `sha256-${createHash('sha256').update(script[1]).digest('base64')}`;
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: nodeServer(),
		// The origin check runs in src/hooks.server.ts (src/lib/server/same-origin.ts): the same
		// rule, with an answer people can read.
		csrf: { trustedOrigins: ['*'] },
		typescript: {
			config: (tsconfig) => {
				tsconfig.include.push(
					'../scripts/**/*.ts',
					'../scripts/**/*.js',
					'../drizzle.config.ts',
					'../playwright.config.ts'
				);
			}
		},
		// Hashes, not nonces: a page's policy is then part of its content, the same for every copy
		// of it, so a kept page can be sent again and its entity tag means something
		// (docs/decisions/021-rendered-page-cache.md).
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', appTemplateScriptHash()],
				'img-src': ['self', 'data:', 'https:'],
				// Style elements only from the site's own files; style attributes stay allowed, because
				// Svelte writes computed values into them (bar and star widths, map swatches) and a
				// hash cannot cover a value computed per page (docs/decisions/017-security-headers.md).
				'style-src': ['self', 'unsafe-inline'],
				'style-src-elem': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;

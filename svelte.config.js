import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { copyFileSync, rmSync } from 'node:fs';

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
			rmSync('build/index.js.map', { force: true });
		}
	};
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
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
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

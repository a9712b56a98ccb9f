import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }
			],
			'@typescript-eslint/no-misused-promises': 'error',
			'no-undef': 'off',
			// The app is served at the domain root (no kit.paths.base), so plain hrefs are correct.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// Code the browser loads never imports zod, not even through a schema module: zod would
		// add ~25 kB gzip to every page that uses it (issue 12, decision 022). Types are free.
		files: [
			'src/**/*.svelte',
			'src/hooks.client.ts',
			'src/routes/**/+page.ts',
			'src/routes/**/+layout.ts',
			'src/lib/components/**/*.ts',
			'src/lib/domain/**/*.ts',
			'src/lib/forms/**/*.ts',
			'src/lib/map/**/*.ts',
			'src/lib/*.ts'
		],
		ignores: ['**/*.test.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [
						{
							name: 'zod',
							allowTypeImports: true,
							message: 'The browser loads no zod; validate on the server with the shared schema.'
						}
					],
					patterns: [
						{
							group: [
								'$lib/schemas/*',
								'!$lib/schemas/limits',
								'**/schemas/*',
								'!**/schemas/limits'
							],
							allowTypeImports: true,
							message:
								'Schema modules build zod schemas when loaded: import limits from $lib/schemas/limits (types are fine).'
						}
					]
				}
			]
		}
	},
	{
		// JS config and script files have no type information.
		files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
		...ts.configs.disableTypeChecked
	},
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'drizzle/',
			'test-results/',
			'playwright-report/',
			'data/',
			'static/'
		]
	}
);

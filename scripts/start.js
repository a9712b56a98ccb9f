// `npm start`: build the app if its sources changed since the last build, then serve it.
// `node scripts/start.js --build-only` does the first half (the test script uses it).
// The build is skipped when a hash of everything it is made from matches the one stored with it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

/** What the build is made of: sources, static files, configuration and the installed versions. */
const INPUTS = [
	'src',
	'static',
	'package.json',
	'package-lock.json',
	'svelte.config.js',
	// Copied over adapter-node's build/index.js by svelte.config.js.
	'scripts/server-entry.js',
	'vite.config.ts',
	'tsconfig.json'
];
const STAMP = join('build', '.source-hash');

/** @param {string} path */
function filesUnder(path) {
	if (!existsSync(path)) return [];
	if (!statSync(path).isDirectory()) return [path];
	return readdirSync(path, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => join(entry.parentPath, entry.name));
}

function sourceHash() {
	const hash = createHash('sha256');
	for (const file of INPUTS.flatMap(filesUnder).sort()) {
		hash.update(file).update('\0').update(readFileSync(file)).update('\0');
	}
	return hash.digest('hex');
}

const wanted = sourceHash();
const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
if (built === wanted && existsSync(join('build', 'handler.js'))) {
	console.log('The build matches the sources: no need to rebuild.');
} else {
	console.log('Building the app (first start, or its sources changed)…');
	const vite = join('node_modules', '.bin', 'vite');
	const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('The build failed; see above.');
		process.exit(result.status ?? 1);
	}
	writeFileSync(STAMP, wanted);
}

if (!process.argv.includes('--build-only')) {
	// CSV imports (up to 5 MB) need more than adapter-node's 512K default.
	process.env.BODY_SIZE_LIMIT ??= '6M';
	await import(pathToFileURL(join(process.cwd(), 'build', 'index.js')).href);
}

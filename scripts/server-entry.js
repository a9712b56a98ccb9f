// The production server: svelte.config.js copies this file over adapter-node's build/index.js, so
// `node build` (and `npm start`, which builds first when needed) runs it.
//
// adapter-node's own entry assumes it sits behind an HTTPS proxy: with no ORIGIN
// it takes every request's origin to be https://<Host>, so on plain http://localhost every form
// post fails SvelteKit's origin check (docs/decisions/011-serving-the-build.md). This entry uses
// adapter-node's request handler unchanged, but when neither ORIGIN nor PROTOCOL_HEADER is set it
// tells the handler the truth — this server speaks plain HTTP — through a header it sets itself
// on every request. It also drains in-flight requests on SIGTERM/SIGINT before the app closes
// its database, and exits.
import http from 'node:http';
import process from 'node:process';

const env = process.env;
/** Set by this server on every request (any value a client sent is overwritten). */
const SERVED_PROTOCOL = 'x-directory-served-protocol';
const plainHttp = !env.ORIGIN && !env.PROTOCOL_HEADER;
if (plainHttp) env.PROTOCOL_HEADER = SERVED_PROTOCOL;

const port = Number(env.PORT || 3000);
const host = env.HOST || '0.0.0.0';
/** Seconds to let in-flight requests finish after SIGTERM before their connections are cut. */
const drainSeconds = Number(env.SHUTDOWN_TIMEOUT || 10);
/** adapter-node's, in seconds. */
const keepAliveTimeout = Number(env.KEEP_ALIVE_TIMEOUT || 0);
const headersTimeout = Number(env.HEADERS_TIMEOUT || 0);

/** @type {(req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => unknown} */
let handler;
try {
	// Beside this file in build/. Importing it starts the app (SvelteKit's init hook: database,
	// migrations, demo data).
	const handlerFile = './handler.js';
	({ handler } = await import(handlerFile));
} catch (err) {
	console.error(
		`The directory could not start: ${err instanceof Error ? err.message : String(err)}`
	);
	process.exit(1);
}

/**
 * adapter-node's event: the app closes its database and timers on it (src/hooks.server.ts).
 * @param {string} reason
 */
const shutdownApp = (reason) =>
	/** @type {(event: string, reason: string) => boolean} */ (process.emit).call(
		process,
		'sveltekit:shutdown',
		reason
	);

let inFlight = 0;
let stopping = false;

const server = http.createServer((req, res) => {
	if (plainHttp) req.headers[SERVED_PROTOCOL] = 'http';
	inFlight++;
	res.on('close', () => {
		inFlight--;
		if (stopping) server.closeIdleConnections();
	});
	if (stopping) res.setHeader('connection', 'close');
	void handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});

if (keepAliveTimeout > 0) server.keepAliveTimeout = keepAliveTimeout * 1000;
if (headersTimeout > 0) server.headersTimeout = headersTimeout * 1000;

server.on('error', (err) => {
	const code = /** @type {NodeJS.ErrnoException} */ (err).code;
	console.error(
		code === 'EADDRINUSE'
			? `Port ${port} is already in use: stop the other server or set PORT to a free port.`
			: `The server could not listen on ${host}:${port}: ${err.message}`
	);
	process.exitCode = 1;
	shutdownApp('listen-error');
});

server.listen(port, host, () => {
	const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	const scheme = env.ORIGIN ? new URL(env.ORIGIN).protocol.slice(0, -1) : 'http';
	console.log(`Listening on ${scheme}://${shown}:${port}`);
});

/** @param {NodeJS.Signals} signal */
function stop(signal) {
	if (stopping) return;
	stopping = true;
	console.log(
		`${signal}: finishing ${inFlight} request${inFlight === 1 ? '' : 's'}, then stopping.`
	);
	server.close(() => {
		clearTimeout(cut);
		// With its database closed and nothing else open, the process ends by itself.
		shutdownApp(signal);
	});
	server.closeIdleConnections();
	const cut = setTimeout(() => server.closeAllConnections(), drainSeconds * 1000);
	// A last resort, should something still hold the process open long after the drain.
	setTimeout(
		() => {
			console.error('Still running 15 s after the drain: exiting.');
			process.exit(1);
		},
		(drainSeconds + 15) * 1000
	).unref();
}

process.once('SIGTERM', stop);
process.once('SIGINT', stop);

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
import net from 'node:net';
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
/** @type {(served: { https: boolean }) => Record<string, string>} */
let securityHeaders;
/** @type {typeof import('../src/lib/server/page-cache.js')} */
let pageCache;
/** @type {typeof import('../src/lib/server/in-flight.js')} */
let inFlightWork;
try {
	// Beside this file in build/. Importing the handler starts the app (SvelteKit's init hook:
	// database, migrations, demo data); the headers module is src/lib/server/security-headers.js,
	// the kept pages src/lib/server/page-cache.js.
	const handlerFile = './handler.js';
	const headersFile = './security-headers.js';
	const pageCacheFile = './page-cache.js';
	({ handler } = await import(handlerFile));
	({ securityHeaders } = await import(headersFile));
	pageCache = await import(pageCacheFile);
	const inFlightFile = './in-flight.js';
	inFlightWork = await import(inFlightFile);
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
/** Set once the listener has closed: from then on, connections are closed as they fall idle. */
let closingIdle = false;
/** Set when SHUTDOWN_TIMEOUT has run out and every connection has been cut. */
let cutting = false;

/**
 * Runs `then` once the event loop has gone round `turns` times. Each turn accepts the connections
 * waiting in the listen backlog and reads the bytes that have arrived on open connections.
 * @param {number} turns
 * @param {() => void} then
 */
function afterTurns(turns, then) {
	if (turns === 0) then();
	else setImmediate(() => afterTurns(turns - 1, then));
}

/**
 * Whether a request reached the site over HTTPS: ORIGIN says so, or the proxy's PROTOCOL_HEADER
 * does. @param {http.IncomingMessage} req
 */
function servedOverHttps(req) {
	if (env.ORIGIN) return env.ORIGIN.startsWith('https:');
	if (plainHttp || !env.PROTOCOL_HEADER) return false;
	return req.headers[env.PROTOCOL_HEADER.toLowerCase()] === 'https';
}

/**
 * The origin the app sees for a request, as adapter-node derives it (ORIGIN, else the protocol
 * and host headers): kept pages are keyed by it, since a page may print it.
 * @param {http.IncomingMessage} req
 */
function originOf(req) {
	if (env.ORIGIN) return env.ORIGIN;
	const protocol =
		(env.PROTOCOL_HEADER && req.headers[env.PROTOCOL_HEADER.toLowerCase()]) || 'https';
	const host = (env.HOST_HEADER && req.headers[env.HOST_HEADER.toLowerCase()]) || req.headers.host;
	return `${String(protocol)}://${String(host)}`;
}

/**
 * Answers a repeat request for a public page or list from the copy the app kept, without
 * SvelteKit; false when there is none. Logged like the app's own requests, never by URL.
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
function answeredFromCache(req, res) {
	const method = req.method ?? 'GET';
	const path = req.url ?? '/';
	if (!pageCache.cacheableRequest(method, path, req.headers.cookie)) return false;
	const entry = pageCache.lookup(pageCache.keyOf(originOf(req), path));
	if (!entry) return false;
	const requestId = pageCache.requestIdFrom(
		/** @type {string | undefined} */ (req.headers['x-request-id'])
	);
	const { status, headers, body } = pageCache.answerFor(entry, {
		method,
		ifNoneMatch: req.headers['if-none-match'],
		acceptEncoding: req.headers['accept-encoding']
	});
	res.statusCode = status;
	for (const [name, value] of headers) res.setHeader(name, value);
	res.setHeader('x-request-id', requestId);
	res.end(body);
	process.stdout.write(
		`${JSON.stringify({ level: 'info', time: new Date().toISOString(), reqId: requestId, method, route: entry.route, status, ms: 0, cache: 'hit', msg: 'request' })}\n`
	);
	return true;
}

/** @param {boolean} https */
const headerLines = (https) =>
	Object.entries(securityHeaders({ https }))
		.map(([name, value]) => `${name}: ${value}\r\n`)
		.join('');

const server = http.createServer((req, res) => {
	if (plainHttp) req.headers[SERVED_PROTOCOL] = 'http';
	// Every answer starts with the security headers: static files and adapter-node's own replies
	// keep them; pages and the API set their own values over these (src/hooks.server.ts).
	for (const [name, value] of Object.entries(securityHeaders({ https: servedOverHttps(req) }))) {
		res.setHeader(name, value);
	}
	inFlight++;
	res.on('close', () => {
		inFlight--;
		// Its connection may be idle now; whatever the client sent on it meanwhile is read first.
		if (closingIdle) afterTurns(2, () => server.closeIdleConnections());
	});
	if (stopping) res.setHeader('connection', 'close');
	if (answeredFromCache(req, res)) return;
	void handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});

/** Called once the app has finished the work of every request, or the drain has run out. */
const shutdownWaiting = /** @type {(() => void)[]} */ ([]);

if (keepAliveTimeout > 0) server.keepAliveTimeout = keepAliveTimeout * 1000;
if (headersTimeout > 0) server.headersTimeout = headersTimeout * 1000;

/**
 * Requests Node refuses before the app sees them: a request line or headers over Node's 16 KB
 * (an oversized query) is 431, anything else unparseable 400 — in the API's error shape, with the
 * security headers, instead of Node's bare status line.
 */
server.on('clientError', (err, socket) => {
	const code = /** @type {NodeJS.ErrnoException} */ (err).code;
	if (!socket.writable || code === 'ECONNRESET') {
		socket.destroy();
		return;
	}
	const tooLarge = code === 'HPE_HEADER_OVERFLOW';
	const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
	const body = JSON.stringify({
		error: tooLarge
			? {
					code: 'headers_too_large',
					message: 'That address or its headers are too long for us to read.'
				}
			: { code: 'bad_request', message: 'We could not read that request.' }
	});
	socket.end(
		`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
			`${headerLines(Boolean(env.ORIGIN?.startsWith('https:')))}connection: close\r\n\r\n${body}`
	);
});

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

/** Connections accepted so far. */
let accepted = 0;
server.on('connection', () => accepted++);

/**
 * Calls `then` once a turn of the event loop has accepted no connection, twice running. The
 * kernel completes connections while this process is busy and keeps them in the listen backlog,
 * where closing the listener would reset them; the event loop takes them in about one per turn.
 * @param {() => void} then
 */
function whenBacklogEmpty(then) {
	let seen = accepted;
	let quiet = 0;
	const turn = () => {
		quiet = accepted === seen ? quiet + 1 : 0;
		seen = accepted;
		if (quiet < 2 && !cutting) setImmediate(turn);
		else then();
	};
	setImmediate(turn);
}

/** @param {NodeJS.Signals} signal */
function stop(signal) {
	if (stopping) return;
	stopping = true;
	console.log(
		`${signal}: finishing ${inFlight} request${inFlight === 1 ? '' : 's'}, then stopping.`
	);
	const cut = setTimeout(() => {
		cutting = true;
		server.closeAllConnections();
		// Whatever is still running is given up: the database closes under it.
		for (const shutdown of shutdownWaiting.splice(0)) shutdown();
	}, drainSeconds * 1000);
	// A last resort, should something still hold the process open long after the drain.
	setTimeout(
		() => {
			console.error('Still running 15 s after the drain: exiting.');
			process.exit(1);
		},
		(drainSeconds + 15) * 1000
	).unref();
	whenBacklogEmpty(() => {
		// net.Server's close, not http.Server's: that one would also close "idle" connections at
		// once, among them those just accepted whose request has not been read yet.
		net.Server.prototype.close.call(server, () => {
			// Every connection is closed; the app may still be finishing requests whose clients
			// left (src/lib/server/in-flight.js).
			let done = false;
			const shutdown = () => {
				if (done) return;
				done = true;
				clearTimeout(cut);
				// With its database closed and nothing else open, the process ends by itself.
				shutdownApp(signal);
			};
			if (cutting) shutdown();
			else {
				shutdownWaiting.push(shutdown);
				inFlightWork.whenIdle(shutdown);
			}
		});
		// Requests that have arrived on open connections are read within two turns; the
		// connections still idle after that are closed.
		afterTurns(2, () => {
			closingIdle = true;
			server.closeIdleConnections();
		});
	});
}

process.once('SIGTERM', stop);
process.once('SIGINT', stop);

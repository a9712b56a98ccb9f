/**
 * Telling "the database is not reachable" apart from every other failure, so that an outage
 * answers 503 (a calm page, `database_unavailable` on the API, a form kept as typed) and not 500.
 */

/** Socket-level failures Node reports while connecting to or talking with PostgreSQL. */
const NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN'
]);

/** postgres.js's own codes for a connection that could not be made or was lost. */
const DRIVER_CODES = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'DATABASE_UNAVAILABLE'
]);

/**
 * The database could not be opened for this request (PostgreSQL down at start, say): what
 * `locals.db` throws then, wrapping the reason.
 */
export class DatabaseUnavailableError extends Error {
	readonly code = 'DATABASE_UNAVAILABLE';
	constructor(cause: unknown) {
		super('The database could not be opened.', { cause });
		this.name = 'DatabaseUnavailableError';
	}
}

/**
 * SQLSTATEs of a server that is going away or not there yet: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections.
 */
const unavailableState = (code: string) =>
	/^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code);

/**
 * The code that marks `err`, or an error it wraps (drizzle wraps the driver's in `cause`), as an
 * outage — e.g. `ECONNREFUSED`, `57P01` — or null. Safe to log: it never carries query parameters.
 */
export function unavailableCode(err: unknown): string | null {
	for (let current = err, depth = 0; current && depth < 5; depth++) {
		if (typeof current !== 'object') return null;
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string') {
			if (NETWORK_CODES.has(code) || DRIVER_CODES.has(code) || unavailableState(code)) {
				return code;
			}
		}
		current = (current as { cause?: unknown }).cause;
	}
	return null;
}

/** True when `err`, or an error it wraps, is an outage. */
export function isDatabaseUnavailable(err: unknown): boolean {
	return unavailableCode(err) !== null;
}

/** What a person is told on a page that could not be read. */
export const UNAVAILABLE_MESSAGE =
	'The directory’s database is not reachable right now. Please try again in a minute.';

/** What a person is told beside a form kept as typed. */
export const UNAVAILABLE_FORM_MESSAGE =
	'We could not save this: the directory’s database is not reachable right now. What you typed is still here — please try again in a minute.';

/** Seconds sent in Retry-After with every 503. */
export const RETRY_AFTER_SECONDS = 30;

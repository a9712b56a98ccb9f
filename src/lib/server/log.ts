import pino from 'pino';

/**
 * The server's one logger: a JSON line per event on standard output (docs/operations.md says
 * what the lines hold). What it must never carry: SQL parameters, IP addresses, emails, searched
 * places, comment text, form values. So requests are logged by route id (`/providers/[slug=slug]`),
 * never by URL or query string, and errors only through `describeError`.
 */
export const log = pino({
	level: 'info',
	base: undefined,
	timestamp: pino.stdTimeFunctions.isoTime,
	formatters: { level: (label) => ({ level: label }) }
});

/** PostgreSQL's SQLSTATE: five characters, digits and capitals. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

interface ErrorLike {
	name?: unknown;
	message?: unknown;
	stack?: unknown;
	code?: unknown;
	cause?: unknown;
	constraint?: unknown;
	constraint_name?: unknown;
	table?: unknown;
	table_name?: unknown;
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value !== '' ? value : undefined;

/** The call frames of a stack, without the message lines above them (they repeat the message). */
function frames(stack: unknown): string | undefined {
	if (typeof stack !== 'string') return undefined;
	const lines = stack.split('\n').filter((line) => /^\s+at /.test(line));
	return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * What may be logged of an error, and its causes:
 * - its type and the first line of its message — drizzle puts the SQL text there and the
 *   parameters on the next line;
 * - for a database error (one with a SQLSTATE), the code, the constraint and the table, but no
 *   message at all: PostgreSQL quotes the offending value in some ("invalid input syntax for
 *   type integer: …");
 * - nor for a SyntaxError, whose message quotes the text that failed to parse;
 * - the call frames.
 */
export function describeError(err: unknown): Record<string, unknown> {
	if (!err || typeof err !== 'object') return { type: typeof err };
	const e = err as ErrorLike;
	const code = text(e.code);
	const fromDatabase = code !== undefined && SQLSTATE.test(code);
	const type = text(e.name) ?? err.constructor?.name ?? 'Error';
	const described: Record<string, unknown> = { type };
	if (fromDatabase) {
		described.code = code;
		const constraint = text(e.constraint_name) ?? text(e.constraint);
		const table = text(e.table_name) ?? text(e.table);
		if (constraint) described.constraint = constraint;
		if (table) described.table = table;
	} else {
		const message = type === 'SyntaxError' ? undefined : text(e.message)?.split('\n')[0];
		if (message) described.message = message;
		if (code) described.code = code;
	}
	const stack = frames(e.stack);
	if (stack) described.stack = stack;
	if (e.cause !== undefined && e.cause !== err) described.cause = describeError(e.cause);
	return described;
}

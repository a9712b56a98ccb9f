/**
 * npm run admin:create -- --email you@example.org [--role moderator]
 * The password is read from standard input (piped), or asked for at a prompt without echo.
 */
import { createInterface } from 'node:readline';
import { createUser, ROLES, type Role } from '../src/lib/server/auth';
import { openConfiguredDatabase } from './database';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

async function readPassword(): Promise<string> {
	if (!process.stdin.isTTY) {
		let input = '';
		for await (const chunk of process.stdin) input += chunk;
		return input.replace(/\r?\n$/, '');
	}
	const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
	const output = rl as unknown as {
		_writeToOutput: (s: string) => void;
		output: NodeJS.WriteStream;
	};
	process.stdout.write('Password: ');
	output._writeToOutput = () => {};
	const password = await new Promise<string>((resolve) => rl.question('', resolve));
	rl.close();
	process.stdout.write('\n');
	return password;
}

const email = arg('email');
const role = (arg('role') ?? 'admin') as Role;
if (!email || !ROLES.includes(role)) {
	console.error('Usage: npm run admin:create -- --email <email> [--role admin|moderator]');
	process.exit(2);
}
const password = await readPassword();
const handle = await openConfiguredDatabase();
try {
	const user = await createUser(handle.db, { email, password, role });
	console.log(`Created ${user.role} ${user.email}.`);
} catch (err) {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
} finally {
	await handle.close();
}

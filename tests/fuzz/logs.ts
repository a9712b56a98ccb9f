import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import { ADMIN, recordAdded } from './server';
import { postForm, readForm, send } from './http';
import { currentServer } from './run';
import { validListing } from './state';

/**
 * The server's log after the whole fuzz run (refusals, 500s, sign-ins) carries none of the
 * personal data that was sent: emails, client addresses, searched places, comments, form values.
 * A few requests with marked values go first, among them ones that fail today (a NUL byte in a
 * slug or a listing field), whose errors carry the SQL parameters when logged whole.
 */

const MARK = {
	email: 'marker.person@fuzz-mail.example',
	place: 'Markerton, TX',
	comment: 'Marker: my own treatment story',
	address: '203.0.113.77',
	name: 'Markerclinic of Austin'
};

export async function logProperty(): Promise<void> {
	const server = currentServer();
	const origin = server.origin;
	const from = { 'x-forwarded-for': MARK.address };
	await send(origin, `/api/providers?near=${encodeURIComponent(MARK.place)}`, { headers: from });
	await send(origin, `/?near=${encodeURIComponent(MARK.place)}`, { headers: from });
	await send(origin, `/api/providers/a%00b/ratings`, {
		method: 'POST',
		headers: { ...from, 'content-type': 'application/json' },
		body: JSON.stringify({ overall: 4, ownExperience: true, comment: MARK.comment })
	});
	await send(origin, `/api/providers/${server.ids.slug}/ratings`, {
		method: 'POST',
		headers: { ...from, 'content-type': 'application/json' },
		body: JSON.stringify({ overall: 9, comment: MARK.comment })
	});
	for (const name of [`${MARK.name}\u0000`, MARK.name]) {
		const answer = await postForm(origin, {
			path: '/list-your-practice',
			action: null,
			// A NUL in the name, then (still refused: not authorised) a clean one.
			fields: Object.entries({
				...validListing(),
				name,
				contactEmail: MARK.email,
				authorised: name === MARK.name ? '' : 'on'
			}).flatMap(([k, v]) => [v].flat().map((x) => [k, x] as [string, string])),
			encoding: 'urlencoded',
			enhanced: true,
			headers: from
		});
		if (readForm(answer, true).kind === 'redirect') {
			recordAdded(server.kind, 'listing_requests', 'pending');
		}
	}
	await postForm(origin, {
		path: '/admin/sign-in',
		action: null,
		fields: [
			['email', MARK.email],
			['password', 'wrong password']
		],
		encoding: 'urlencoded',
		enhanced: false,
		headers: from
	});

	const log = readFileSync(server.logFile, 'utf8');
	const found: string[] = [];
	const look = (what: string, pattern: RegExp) => {
		const match = pattern.exec(log);
		if (match) {
			const at = match.index;
			found.push(`${what}: …${log.slice(Math.max(0, at - 80), at + 80).replace(/\s+/g, ' ')}…`);
		}
	};
	const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
	look('an email', literal(MARK.email));
	look('an email', /fuzz-(tester|nobody|limit)@[a-z.]+/i);
	look('an email', literal(ADMIN.email));
	look(
		'a client address',
		/\b(?:10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.0\.2\.\d{1,3}|203\.0\.113\.77)\b/
	);
	look('a searched place', /Markerton/i);
	look('a comment', /Marker: my own treatment story/i);
	look(
		'a form value',
		/Markerclinic|The number rings a different office|Fuzz Fixture Ketamine Clinic/i
	);
	expect(
		found,
		`The server log (${server.logFile}) carries personal data:\n${found.join('\n')}`
	).toEqual([]);
}

import fc from 'fast-check';
import { controlText } from './arbitraries';
import { apiErrorProblems, postForm, readForm, refusal, send, unsafeLocation } from './http';
import { currentServer, fuzz, runs, type Verdict } from './run';
import { recordAdded } from './server';
import { validListing, validRating, validReport } from './state';

/**
 * Limits still answer (429 with a message) under the raised test limits, and valid forms with
 * hostile characters in a field are either refused by name or saved: never a 5xx. What these
 * save is counted, so the final check knows exactly which rows may have been added.
 */

const flat = (values: Record<string, string | string[]>): [string, string][] =>
	Object.entries(values).flatMap(([k, v]) => [v].flat().map((x) => [k, x] as [string, string]));

/** Sends `n` posts from one address and expects the last to be refused with 429. */
async function untilLimited(
	n: number,
	post: (address: string, i: number) => Promise<Verdict & { accepted: boolean }>,
	onAccepted: () => void
): Promise<Verdict[]> {
	const address = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
	const verdicts: Verdict[] = [];
	let limited = false;
	for (let i = 0; i < n && !limited; i++) {
		const verdict = await post(address, i);
		if (verdict.accepted) onAccepted();
		if ((verdict.status ?? verdict.answer.status) === 429) limited = true;
		verdicts.push(verdict);
	}
	if (!limited) verdicts.at(-1)!.problems.push(`no 429 after ${n} posts from one address`);
	return verdicts;
}

export async function limitProperty(): Promise<void> {
	const server = currentServer();
	const origin = server.origin;
	await fuzz('limits answer 429', fc.constant(null), 1, async () => [
		// Failed sign-ins for one (unknown) account from one address.
		...(await untilLimited(
			12,
			async (address) => {
				const answer = await postForm(origin, {
					path: '/admin/sign-in',
					action: null,
					fields: [
						['email', 'fuzz-limit@unknown.example'],
						['password', 'wrong password']
					],
					encoding: 'urlencoded',
					enhanced: true,
					headers: { 'x-forwarded-for': address }
				});
				return { ...refusal(answer, true), accepted: false };
			},
			() => {}
		)),
		// Listing requests: five an hour per address.
		...(await untilLimited(
			8,
			async (address) => {
				const answer = await postForm(origin, {
					path: '/list-your-practice',
					action: null,
					fields: flat(validListing()),
					encoding: 'urlencoded',
					enhanced: true,
					headers: { 'x-forwarded-for': address }
				});
				const outcome = readForm(answer, true);
				if (outcome.kind === 'redirect') {
					const unsafe = unsafeLocation(outcome.location, origin);
					return { answer, accepted: true, status: 303, problems: unsafe ? [unsafe] : [] };
				}
				return { ...refusal(answer, true), accepted: false };
			},
			() => recordAdded(server.kind, 'listing_requests', 'pending')
		)),
		// Problem reports: ten an hour per address.
		...(await untilLimited(
			13,
			async (address) => {
				const answer = await postForm(origin, {
					path: `/providers/${server.ids.slug}/report`,
					action: null,
					fields: flat(validReport()),
					encoding: 'urlencoded',
					enhanced: true,
					headers: { 'x-forwarded-for': address }
				});
				const outcome = readForm(answer, true);
				if (outcome.kind === 'redirect')
					return { answer, accepted: true, status: 303, problems: [] };
				return { ...refusal(answer, true), accepted: false };
			},
			() => recordAdded(server.kind, 'problem_reports', 'open')
		))
	]);
}

const LISTING_TEXT = [
	'name',
	'city',
	'street',
	'description',
	'contactName',
	'message',
	'website',
	'phone',
	'insuranceNotes',
	'routes.iv.notes'
];

/** Valid listing requests but for control characters (NUL included) in one or two text fields. */
export async function nearValidListingProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc.record({
		fields: fc.uniqueArray(fc.constantFrom(...LISTING_TEXT), { minLength: 1, maxLength: 2 }),
		text: controlText,
		at: fc.constantFrom('start', 'middle', 'end', 'only'),
		enhanced: fc.boolean(),
		encoding: fc.constantFrom('urlencoded' as const, 'multipart' as const)
	});
	await fuzz('listing request with control characters', arbitrary, runs(40), async (c) => {
		const values = validListing();
		for (const field of c.fields) {
			const current = values[field];
			const base = typeof current === 'string' ? current : 'Some text';
			values[field] =
				c.at === 'only'
					? c.text
					: c.at === 'start'
						? c.text + base
						: c.at === 'end'
							? base + c.text
							: base.slice(0, 3) + c.text + base.slice(3);
		}
		const answer = await postForm(server.origin, {
			path: '/list-your-practice',
			action: null,
			fields: flat(values),
			encoding: c.encoding,
			enhanced: c.enhanced
		});
		const outcome = readForm(answer, c.enhanced);
		if (outcome.status === 303) {
			recordAdded(server.kind, 'listing_requests', 'pending');
			const unsafe = unsafeLocation(outcome.location, server.origin);
			return { answer, status: 303, problems: unsafe ? [unsafe] : [] };
		}
		return refusal(answer, c.enhanced);
	});
}

/** Valid ratings (JSON API) but for control characters in the comment or the route. */
export async function nearValidRatingProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc.record({
		comment: fc.oneof(
			controlText,
			controlText.map((t) => `Helpful${t}staff`)
		),
		key: fc.uuid()
	});
	await fuzz('rating with control characters (JSON API)', arbitrary, runs(30), async (c) => {
		const answer = await send(server.origin, `/api/providers/${server.ids.slug}/ratings`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({ ...validRatingJson(), comment: c.comment, idempotencyKey: c.key })
		});
		if (answer.status === 201) {
			const status = (JSON.parse(answer.text) as { status?: string }).status ?? 'published';
			recordAdded(server.kind, 'ratings', status);
			return { answer, problems: [] };
		}
		return { answer, problems: apiErrorProblems(answer) };
	});
}

function validRatingJson() {
	const form = validRating();
	return { overall: Number(form.overall), ownExperience: true };
}

import fc from 'fast-check';
import { HONEYPOT } from '../../src/lib/forms/honeypot';
import { withoutControlCharacters } from '../../src/lib/forms/text';
import { hostileQuery, hostileSegment, hostileText } from './arbitraries';
import {
	apiErrorProblems,
	pageProblems,
	postForm,
	readForm,
	refusedForm,
	send,
	unsafeLocation,
	type Answer
} from './http';
import { currentServer, fuzz, runs, type Verdict } from './run';
import { ADMIN } from './server';
import { validListing, validRating, validReport, type ServerState } from './state';

/** Odd slugs and ids in every route that takes one, honeypot and sign-in redirects, GET pages. */

const flat = (values: Record<string, string | string[]>): [string, string][] =>
	Object.entries(values).flatMap(([k, v]) => [v].flat().map((x) => [k, x] as [string, string]));

/** 4xx (not the "our side" page), or a redirect that stays on the site. */
function pageOrRedirect(answer: Answer, origin: string): string[] {
	if (answer.status >= 300 && answer.status < 400) {
		const unsafe = unsafeLocation(answer.headers.get('location'), origin);
		return unsafe ? [unsafe] : [];
	}
	return pageProblems(answer, (s) => s >= 400 && s < 500);
}

type SlugRoute = {
	name: string;
	/** A segment that names a real row: a valid request there is not this property's business. */
	real?: (segment: string, s: ServerState) => boolean;
	send: (s: ServerState, slug: string) => Promise<Answer>;
	judge: (a: Answer, s: ServerState) => string[];
};

const page =
	(path: (slug: string) => string, admin = false): SlugRoute['send'] =>
	(s, slug) =>
		send(s.origin, path(slug), {
			headers: { accept: 'text/html', ...(admin ? { cookie: s.cookie } : {}) }
		});

const form =
	(
		path: (slug: string, s: ServerState) => string,
		fields: () => Record<string, string | string[]>
	): SlugRoute['send'] =>
	(s, slug) =>
		postForm(s.origin, {
			path: path(slug, s),
			action: null,
			fields: flat(fields()),
			encoding: 'urlencoded',
			enhanced: false
		});

/** Whether a path segment reads as the id of a row that may exist (1 … max). */
function isRowId(segment: string, max: number): boolean {
	let text = segment;
	try {
		text = decodeURIComponent(segment);
	} catch {
		return false;
	}
	return /^\s*\d{1,10}\s*$/.test(text) && Number(text) >= 1 && Number(text) <= max;
}

const pageJudge = (a: Answer, s: ServerState) => pageOrRedirect(a, s.origin);
const formJudge = (a: Answer, s: ServerState) =>
	a.status >= 300 && a.status < 400 ? pageOrRedirect(a, s.origin) : refusedForm(readForm(a, false));

const SLUG_ROUTES: SlugRoute[] = [
	{ name: 'GET /providers/[slug]', send: page((x) => `/providers/${x}`), judge: pageJudge },
	{
		name: 'GET /providers/[slug]/rate',
		send: page((x) => `/providers/${x}/rate`),
		judge: pageJudge
	},
	{
		name: 'GET /providers/[slug]/report',
		send: page((x) => `/providers/${x}/report`),
		judge: pageJudge
	},
	{
		name: 'GET /providers/[slug]/update',
		send: page((x) => `/providers/${x}/update`),
		judge: pageJudge
	},
	{
		name: 'GET /providers/[slug]/ratings/[id]/report',
		send: page((x) => `/providers/${x}/ratings/${x}/report`),
		judge: pageJudge
	},
	{ name: 'GET /states/[code]', send: page((x) => `/states/${x}`), judge: pageJudge },
	{
		name: 'GET /api/providers/[slug]',
		send: (s, x) => send(s.origin, `/api/providers/${x}`),
		judge: (a) => apiErrorProblems(a)
	},
	{
		name: 'POST /api/providers/[slug]/ratings',
		send: (s, x) =>
			send(s.origin, `/api/providers/${x}/ratings`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					overall: 4,
					ownExperience: true,
					idempotencyKey: 'fuzz-slug-key-01'
				})
			}),
		judge: (a) => apiErrorProblems(a)
	},
	{
		name: 'POST /providers/[slug]/rate',
		send: form((x) => `/providers/${x}/rate`, validRating),
		judge: formJudge
	},
	{
		name: 'POST /providers/[slug]/report',
		send: form((x) => `/providers/${x}/report`, validReport),
		judge: formJudge
	},
	{
		name: 'POST /providers/[slug]/update',
		// Valid but for one field, so nothing can be saved whatever the slug.
		send: form(
			(x) => `/providers/${x}/update`,
			() => ({ ...validListing(), authorised: '' })
		),
		judge: formJudge
	},
	{
		name: 'POST /providers/[slug]/ratings/[id]/report',
		send: form(
			(x, s) => `/providers/${x}/ratings/${s.ids.ratingId}/report`,
			() => ({ reason: 'spam' })
		),
		judge: formJudge
	},
	{
		name: 'POST /providers/[slug]/ratings/[id]/report (odd id)',
		send: form(
			(x, s) => `/providers/${s.ids.ratingSlug}/ratings/${x}/report`,
			() => ({ reason: 'spam' })
		),
		judge: formJudge,
		real: (x, s) => isRowId(x, s.ids.maxRatingId)
	},
	{
		name: 'GET /admin/providers/[id]',
		send: page((x) => `/admin/providers/${x}`, true),
		judge: pageJudge,
		real: (x, s) => isRowId(x, s.ids.maxProviderId)
	},
	{
		name: 'GET /admin/requests/[id]',
		send: page((x) => `/admin/requests/${x}`, true),
		judge: pageJudge,
		real: (x) => isRowId(x, 1_000_000)
	}
];

export async function hostileSlugProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc
		.record({ route: fc.constantFrom(...SLUG_ROUTES), slug: hostileSegment })
		.filter((c) => !c.route.real?.(c.slug, server));
	await fuzz('odd slugs and ids in paths', arbitrary, runs(220), async (c) => {
		const answer = await c.route.send(server, c.slug);
		return { answer, problems: c.route.judge(answer, server).map((p) => `${c.route.name}: ${p}`) };
	});
}

/** A filled honeypot is thanked with a redirect (documented): it must stay on the site. */
export async function honeypotProperty(): Promise<void> {
	const server = currentServer();
	const forms = [
		{ path: (x: string) => `/providers/${x}/rate`, fields: validRating, trap: HONEYPOT.feedback },
		{ path: (x: string) => `/providers/${x}/report`, fields: validReport, trap: HONEYPOT.feedback },
		{
			path: (x: string) => `/providers/${x}/ratings/${server.ids.ratingId}/report`,
			fields: () => ({ reason: 'spam' }),
			trap: HONEYPOT.feedback
		},
		{ path: () => '/list-your-practice', fields: validListing, trap: HONEYPOT.listingRequest },
		{
			path: (x: string) => `/providers/${x}/update`,
			fields: validListing,
			trap: HONEYPOT.listingRequest
		}
	];
	const arbitrary = fc.record({
		form: fc.constantFrom(...forms),
		slug: fc.oneof(fc.constant(server.ids.slug), hostileSegment),
		// Filled with something visible: the app removes control characters before it looks, so
		// a honeypot holding only those is empty and the submission would be real.
		trap: hostileText.filter((t) => withoutControlCharacters(t).trim() !== ''),
		enhanced: fc.boolean()
	});
	await fuzz('honeypot redirects', arbitrary, runs(80), async (c) => {
		const answer = await postForm(server.origin, {
			path: c.form.path(c.slug),
			action: null,
			fields: [...flat(c.form.fields()), [c.form.trap, c.trap]],
			encoding: 'urlencoded',
			enhanced: c.enhanced
		});
		const outcome = readForm(answer, c.enhanced);
		if (outcome.status === 303) {
			const unsafe = unsafeLocation(outcome.location, server.origin);
			return { answer, status: 303, problems: unsafe ? [unsafe] : [] };
		}
		// An odd slug may be refused before the honeypot is looked at.
		return {
			answer,
			status: outcome.status,
			problems: refusedForm(outcome).map((p) => `not a 303: ${p}`)
		};
	});
}

export const HOSTILE_NEXT = [
	'/admin/%0d%0aX:1',
	'/admin/%0aSet-Cookie:%20x=1',
	'/admin/%00',
	'/admin%0d%0a',
	'/admin?x=%0d%0aY:1',
	'//evil.example',
	'https://evil.example',
	'/admin//evil.example',
	'/admin/..//evil.example',
	'/\\evil.example',
	'/admin/\\evil',
	'%2F%2Fevil.example',
	'/%2F%2Fevil.example',
	'javascript:alert(1)',
	'/admin/%zz',
	'/admin/%',
	'/admin/%c0%ae%c0%ae/',
	'/admin/users?next=https://evil.example'
];

export async function redirectProperty(): Promise<void> {
	const server = currentServer();
	const next = fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NEXT) },
		{
			weight: 1,
			arbitrary: hostileText.map(
				(t) => `/admin/${encodeURIComponent(t.slice(0, 200).replace(/[\ud800-\udfff]/g, ''))}`
			)
		}
	);
	const arbitrary = fc.record({
		how: fc.constantFrom('signed-in GET', 'anonymous GET /admin/…', 'anonymous POST /admin/…'),
		next
	});
	const verdict = async (c: { how: string; next: string }): Promise<Verdict> => {
		let answer: Answer;
		if (c.how === 'signed-in GET') {
			answer = await send(server.origin, `/admin/sign-in?next=${c.next}`, {
				headers: { cookie: server.cookie, accept: 'text/html' }
			});
		} else if (c.how === 'anonymous GET /admin/…') {
			answer = await send(
				server.origin,
				c.next.startsWith('/admin') ? c.next : `/admin/${c.next}`,
				{
					headers: { accept: 'text/html' }
				}
			);
		} else {
			answer = await postForm(server.origin, {
				path: c.next.startsWith('/admin') ? c.next : `/admin/${c.next}`,
				action: null,
				fields: [['reason', 'x']],
				encoding: 'urlencoded',
				enhanced: false
			});
		}
		if (answer.status >= 300 && answer.status < 400) {
			const unsafe = unsafeLocation(answer.headers.get('location'), server.origin);
			return { answer, problems: unsafe ? [`${c.how}: ${unsafe}`] : [] };
		}
		return {
			answer,
			problems: pageProblems(answer, (s) => s >= 400 && s < 500).map((p) => `${c.how}: ${p}`)
		};
	};
	await fuzz('redirect targets (next=, /admin paths)', arbitrary, runs(100), verdict);
}

/** Signing the admin in with a hostile `next`: the redirect after a real sign-in. */
export async function signInNextProperty(): Promise<void> {
	const server = currentServer();
	await fuzz(
		'POST /admin/sign-in with next=',
		fc.constantFrom(...HOSTILE_NEXT),
		runs(10),
		async (next) => {
			let raw = next;
			try {
				raw = decodeURIComponent(next);
			} catch {
				// sent as typed
			}
			const answer = await postForm(server.origin, {
				path: '/admin/sign-in',
				action: null,
				fields: [
					['email', ADMIN.email],
					['password', ADMIN.password],
					['next', raw]
				],
				encoding: 'urlencoded',
				enhanced: false
			});
			const problems =
				answer.status === 303
					? [unsafeLocation(answer.headers.get('location'), server.origin)].filter(
							(p) => p !== null
						)
					: [`expected the admin's sign-in to redirect (303), got ${answer.status}`];
			return { answer, problems };
		}
	);
}

// GET pages with query parameters -------------------------------------------------------------

const PAGES: {
	name: string;
	path: (s: ServerState) => string;
	names: string[];
	admin?: boolean;
	ok: number[];
}[] = [
	{
		name: 'GET /?…',
		path: () => '/',
		names: [
			'state',
			'route',
			'kind',
			'telehealth',
			'accepting',
			'sort',
			'page',
			'near',
			'lat',
			'lng',
			'from',
			'radius'
		],
		ok: [200]
	},
	{
		name: 'GET /states/tx?…',
		path: () => '/states/tx',
		names: ['route', 'kind', 'page', 'tpage', 'sort', 'telehealth'],
		ok: [200, 400]
	},
	{ name: 'GET /states?…', path: () => '/states', names: ['route', 'x'], ok: [200] },
	{
		name: 'GET /providers/[slug]?…',
		path: (s) => `/providers/${s.ids.slug}`,
		names: ['comments', 'rated', 'reported'],
		ok: [200]
	},
	{
		name: 'GET /admin/providers?…',
		path: () => '/admin/providers',
		names: ['q', 'state', 'status', 'demo', 'page'],
		admin: true,
		ok: [200]
	},
	{
		name: 'GET /admin/audit?…',
		path: () => '/admin/audit',
		names: ['actor', 'action', 'entityType', 'entityId', 'from', 'to', 'page'],
		admin: true,
		ok: [200]
	},
	{
		name: 'GET /admin/requests?…',
		path: () => '/admin/requests',
		names: ['decided'],
		admin: true,
		ok: [200]
	},
	{
		name: 'GET /admin/ratings?…',
		path: () => '/admin/ratings',
		names: ['page'],
		admin: true,
		ok: [200]
	},
	{
		name: 'GET /admin/export/providers.json?…',
		path: () => '/admin/export/providers.json',
		names: ['format'],
		admin: true,
		ok: [200]
	}
];

export async function pageQueryProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc
		.constantFrom(...PAGES)
		.chain((p) => fc.record({ page: fc.constant(p), query: hostileQuery(p.names) }));
	await fuzz('GET pages with odd queries', arbitrary, runs(80), async (c) => {
		const answer = await send(server.origin, `${c.page.path(server)}?${c.query}`, {
			headers: { accept: 'text/html', ...(c.page.admin ? { cookie: server.cookie } : {}) }
		});
		const problems = pageProblems(
			answer,
			(s) => c.page.ok.includes(s) || (s >= 400 && s < 500 && c.page.ok.includes(400))
		);
		return { answer, problems: problems.map((p) => `${c.page.name}: ${p}`) };
	});
}

import fc from 'fast-check';
import { ratingSchema } from '../../src/lib/schemas/rating';
import { hostileJsonValue, hostileQuery, hostileSegment, noiseName } from './arbitraries';
import { apiErrorProblems, pageProblems, send, unsafeLocation, type Answer } from './http';
import { currentServer, fuzz, runs, type Verdict } from './run';
import { BODY_SIZE_LIMIT } from './server';

/** The JSON API: every refusal is `{ error: { code, message, fields? } }` with a 4xx. */

const PROVIDER_QUERY = [
	'state',
	'route',
	'kind',
	'telehealth',
	'psychotherapy',
	'accepting',
	'sort',
	'page',
	'pageSize',
	'near',
	'lat',
	'lng',
	'from',
	'radius'
] as const;

const MAP_QUERY = ['bbox', 'zoom', 'lat', 'lng', 'radius', 'state', 'route', 'kind', 'telehealth'];

/** A 200 with a JSON body, or a refusal in the API's error shape. */
function okOrRefused(answer: Answer, okBody: (body: unknown) => boolean): string[] {
	if (answer.status === 200) {
		try {
			return okBody(JSON.parse(answer.text)) ? [] : ['200 with an unexpected body'];
		} catch {
			return ['200 that is not JSON'];
		}
	}
	return apiErrorProblems(answer);
}

export async function providersQueryProperty(): Promise<void> {
	const server = currentServer();
	await fuzz('GET /api/providers?…', hostileQuery(PROVIDER_QUERY), runs(200), async (query) => {
		const answer = await send(server.origin, `/api/providers?${query}`);
		return {
			answer,
			problems: okOrRefused(answer, (b) => Array.isArray((b as { results?: unknown }).results))
		};
	});
}

export async function mapQueryProperty(): Promise<void> {
	const server = currentServer();
	const query = fc.oneof(
		hostileQuery(MAP_QUERY),
		fc
			.tuple(
				fc.array(fc.oneof(fc.double(), fc.integer({ min: -200, max: 200 })), {
					minLength: 3,
					maxLength: 5
				}),
				fc.oneof(fc.integer({ min: -5, max: 40 }), fc.double())
			)
			.map(([box, zoom]) => `bbox=${box.join(',')}&zoom=${zoom}`)
	);
	await fuzz('GET /api/map?…', query, runs(120), async (q) => {
		const answer = await send(server.origin, `/api/map?${q}`);
		return { answer, problems: okOrRefused(answer, (b) => typeof b === 'object' && b !== null) };
	});
}

export async function slugProperty(): Promise<void> {
	const server = currentServer();
	await fuzz('GET /api/providers/[slug]', hostileSegment, runs(80), async (slug) => {
		const answer = await send(server.origin, `/api/providers/${slug}`);
		// The client folds `%2e%2e` into `..`; SvelteKit then redirects /api/ to /api.
		if (answer.status >= 300 && answer.status < 400) {
			const unsafe = unsafeLocation(answer.headers.get('location'), server.origin);
			return { answer, problems: unsafe ? [unsafe] : [] };
		}
		return { answer, problems: apiErrorProblems(answer) };
	});
}

const RATING_KEYS = [
	'overall',
	'effectiveness',
	'support',
	'value',
	'education',
	'setting',
	'recommend',
	'route',
	'conditions',
	'monthsInTreatment',
	'pricePaid',
	'comment',
	'ownExperience',
	'idempotencyKey'
];

export async function ratingJsonProperty(): Promise<void> {
	const server = currentServer();
	const body = fc.oneof(
		{
			weight: 6,
			arbitrary: fc
				.record({
					base: fc.constant({
						overall: 4,
						ownExperience: true,
						idempotencyKey: 'fuzz-json-key-0001'
					}),
					changes: fc.dictionary(
						fc.oneof(fc.constantFrom(...RATING_KEYS), noiseName),
						hostileJsonValue,
						{ minKeys: 1, maxKeys: 4 }
					),
					drop: fc.subarray(['overall', 'ownExperience', 'idempotencyKey'])
				})
				.map(({ base, changes, drop }) => {
					const out: Record<string, unknown> = { ...base };
					for (const key of drop) delete out[key];
					for (const [k, v] of Object.entries(changes)) {
						Object.defineProperty(out, k, {
							value: v,
							enumerable: true,
							configurable: true,
							writable: true
						});
					}
					return JSON.stringify(out);
				})
		},
		{ weight: 1, arbitrary: hostileJsonValue.map((v) => JSON.stringify(v) ?? 'null') },
		{
			weight: 1,
			arbitrary: fc.constantFrom(
				'',
				'{',
				'{"overall":',
				'[]',
				'null',
				'"overall"',
				'{"overall":5,"overall":"x"}',
				'{"__proto__":{"overall":5,"ownExperience":true}}',
				'{"constructor":{"prototype":{"overall":5}}}',
				'\u0000',
				'{"overall":1e999}',
				'\ufeff{"overall":5}'
			)
		}
	);
	const arbitrary = fc
		.record({
			slug: fc.oneof(fc.constant(server.ids.slug), hostileSegment),
			body,
			type: fc.constantFrom(
				'application/json',
				'application/json; charset=utf-8',
				'application/vnd.api+json'
			)
		})
		// A body the schema accepts, for a real provider, is a rating: not this property's business.
		.filter((c) => {
			if (c.slug !== server.ids.slug) return true;
			try {
				return !ratingSchema.safeParse(JSON.parse(c.body)).success;
			} catch {
				return true;
			}
		});
	await fuzz('POST /api/providers/[slug]/ratings', arbitrary, runs(200), async (c) => {
		const answer = await send(server.origin, `/api/providers/${c.slug}/ratings`, {
			method: 'POST',
			headers: { 'content-type': c.type, accept: 'application/json' },
			body: c.body
		});
		return { answer, problems: apiErrorProblems(answer) };
	});
}

export async function ratingBodyTypesProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc.record({
		type: fc.constantFrom(
			null,
			'text/plain',
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=X',
			'application/xml',
			'application/octet-stream'
		),
		body: fc.constantFrom('overall=5', '<rating/>', '{"overall":"five"}', '--X\r\n\r\n'),
		withOrigin: fc.boolean(),
		acceptJson: fc.boolean()
	});
	await fuzz('POST /api/providers/[slug]/ratings (not JSON)', arbitrary, runs(40), async (c) => {
		const headers: Record<string, string> = {};
		if (c.type) headers['content-type'] = c.type;
		if (c.withOrigin) headers.origin = server.origin;
		if (c.acceptJson) headers.accept = 'application/json';
		const answer = await send(server.origin, `/api/providers/${server.ids.slug}/ratings`, {
			method: 'POST',
			headers,
			body: c.body
		});
		return { answer, problems: apiErrorProblems(answer) };
	});
}

export async function unknownApiProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc.record({
		path: fc
			.array(hostileSegment, { minLength: 1, maxLength: 3 })
			.map((s) => `/api/${s.join('/')}`),
		method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
	});
	await fuzz('any method /api/<unknown>', arbitrary, runs(60), async (c) => {
		const answer = await send(server.origin, c.path, {
			method: c.method,
			...(c.method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' })
		});
		// /api/providers/<x> is a real route: 404 (no such provider) or 405 (wrong method).
		return { answer, problems: apiErrorProblems(answer, [400, 404, 405]) };
	});
}

const API_ROUTES: { path: (slug: string) => string; allowed: string[]; admin?: boolean }[] = [
	{ path: () => '/api/providers', allowed: ['GET'] },
	{ path: (s) => `/api/providers/${s}`, allowed: ['GET'] },
	{ path: (s) => `/api/providers/${s}/ratings`, allowed: ['POST'] },
	{ path: () => '/api/map', allowed: ['GET'] },
	{ path: () => '/api/states', allowed: ['GET'] },
	{ path: () => '/healthz', allowed: ['GET'] },
	{ path: () => '/admin/export/providers.json', allowed: ['GET'], admin: true },
	{ path: () => '/admin/export/providers.csv', allowed: ['GET'], admin: true }
];

export async function wrongMethodProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc
		.record({
			route: fc.constantFrom(...API_ROUTES),
			method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
		})
		.filter((c) => !c.route.allowed.includes(c.method));
	await fuzz('wrong method on an API route', arbitrary, runs(50), async (c) => {
		const path = c.route.path(server.ids.slug);
		const answer = await send(server.origin, path, {
			method: c.method,
			headers: {
				...(c.route.admin ? { cookie: server.cookie } : {}),
				...(c.method === 'GET' ? {} : { 'content-type': 'application/json' })
			},
			...(c.method === 'GET' ? {} : { body: '{}' })
		});
		const problems: string[] = [];
		if (answer.status !== 405) problems.push(`expected 405, got ${answer.status}`);
		const allow = answer.headers.get('allow');
		if (!allow || !c.route.allowed.every((m) => allow.toUpperCase().includes(m))) {
			problems.push(`405 without an Allow header naming ${c.route.allowed.join(', ')}`);
		}
		if (path.startsWith('/api/') || path === '/healthz') {
			problems.push(...apiErrorProblems(answer, 405).filter((p) => !p.startsWith('expected')));
		}
		return { answer, problems };
	});
}

export async function badEncodingProperty(): Promise<void> {
	const server = currentServer();
	const bad = fc.constantFrom('%', '%zz', '%c0%ae', '%ff', '%e2%82', '%00', '%0d%0a', '%%', '%2');
	const arbitrary = fc.record({
		bad,
		where: fc.constantFrom('slug', 'ratings', 'rest', 'query-name', 'query-value', 'map')
	});
	await fuzz('API paths and queries with bad percent-encoding', arbitrary, runs(60), async (c) => {
		const path = {
			slug: `/api/providers/${c.bad}`,
			ratings: `/api/providers/${c.bad}/ratings`,
			rest: `/api/${c.bad}x`,
			'query-name': `/api/providers?${c.bad}=1`,
			'query-value': `/api/providers?state=${c.bad}&near=${c.bad}`,
			map: `/api/map?bbox=${c.bad}`
		}[c.where];
		const answer =
			c.where === 'ratings'
				? await send(server.origin, path, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: '{}'
					})
				: await send(server.origin, path);
		// An unknown name is ignored, and a well-formed value that trims to nothing means "any".
		const wellFormed = (() => {
			try {
				decodeURIComponent(c.bad);
				return true;
			} catch {
				return false;
			}
		})();
		const ignorable = c.where === 'query-name' || (c.where === 'query-value' && wellFormed);
		const problems = answer.status === 200 && ignorable ? [] : apiErrorProblems(answer);
		return { answer, problems };
	});
}

export async function quietEndpointsProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc.record({
		path: fc.constantFrom('/api/states', '/healthz'),
		query: hostileQuery(['x', 'state', 'format'])
	});
	await fuzz('GET /api/states, /healthz with any query', arbitrary, runs(30), async (c) => {
		const answer = await send(server.origin, `${c.path}?${c.query}`);
		return { answer, problems: okOrRefused(answer, (b) => typeof b === 'object' && b !== null) };
	});
}

/** Sizes past the server's limits: 431 for a query, 413 for a body, each in the error shape. */
export async function oversizedProperty(): Promise<void> {
	const server = currentServer();
	const big = 'x'.repeat(BODY_SIZE_LIMIT + 64 * 1024);
	const cases: (() => Promise<Verdict>)[] = [
		async () => {
			const answer = await send(server.origin, `/api/providers?near=${'a'.repeat(20_000)}`);
			return { answer, problems: apiErrorProblems(answer, 431) };
		},
		async () => {
			const answer = await send(server.origin, `/api/map?${'bbox=1,2,3,4&'.repeat(2000)}`);
			return { answer, problems: apiErrorProblems(answer, 431) };
		},
		async () => {
			const answer = await send(server.origin, `/?near=${'a'.repeat(20_000)}`, {
				headers: { accept: 'text/html' }
			});
			return { answer, problems: pageProblems(answer, (s) => s === 431) };
		},
		async () => {
			const answer = await send(server.origin, `/api/providers/${server.ids.slug}/ratings`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify({ overall: 4, comment: big })
			});
			return { answer, problems: apiErrorProblems(answer, 413) };
		},
		async () => {
			const answer = await send(server.origin, '/list-your-practice', {
				method: 'POST',
				headers: {
					origin: server.origin,
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'text/html'
				},
				body: `name=${big}`
			});
			return { answer, problems: pageProblems(answer, (s) => s === 413) };
		},
		async () => {
			const answer = await send(server.origin, `/providers/${server.ids.slug}/rate`, {
				method: 'POST',
				headers: {
					origin: server.origin,
					'content-type': 'application/x-www-form-urlencoded',
					'x-sveltekit-action': 'true',
					accept: 'application/json'
				},
				body: `comment=${big}`
			});
			const problems = answer.status === 413 ? [] : [`expected 413, got ${answer.status}`];
			if (/something went wrong/i.test(answer.text))
				problems.push('413 answered with a generic message');
			return { answer, problems };
		}
	];
	await fuzz('oversized queries and bodies', fc.constantFrom(...cases.keys()), runs(12), (i) =>
		cases[i]!()
	);
}

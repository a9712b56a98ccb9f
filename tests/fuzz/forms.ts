import fc from 'fast-check';
import { ratingFormValues, ratingSchema } from '../../src/lib/schemas/rating';
import { ratingReportSchema, reportFormValues, reportSchema } from '../../src/lib/schemas/report';
import {
	adminListingSchema,
	listingFormValues,
	listingRequestSchema
} from '../../src/lib/schemas/listing';
import { moderationSchema } from '../../src/lib/schemas/admin';
import {
	closeReportSchema,
	editorialNoteSchema,
	suspendSchema,
	verifySchema
} from '../../src/lib/schemas/provider-admin';
import { approveSchema, choicesOf, rejectSchema } from '../../src/lib/schemas/requests';
import {
	changeRoleSchema,
	createUserSchema,
	setPasswordSchema,
	userIdSchema
} from '../../src/lib/schemas/users';
import {
	formCase,
	formDataOf,
	hostileText,
	hostileValue,
	longText,
	nasty,
	type FormCase,
	type FormValue
} from './arbitraries';
import { withoutControlCharacters } from '../../src/lib/forms/text';
import { multipartWithFile, postForm, refusal, send, type Answer, type Fields } from './http';
import { currentServer, fuzz, runs, type Verdict } from './run';
import { validListing, validRating, validReport, type ServerState } from './state';

/**
 * Form actions given invalid input: always a 4xx that names the problem, never a write. Each
 * case starts from a valid form and breaks at least one field; the app's own zod schema is the
 * oracle that throws away any case that happens to be valid (it would rightly be saved).
 */

type Oracle = (c: FormCase, server: ServerState) => boolean;

interface FormSpec {
	endpoint: string;
	path: (s: ServerState) => string;
	action?: string | null;
	admin?: boolean;
	valid: (s: ServerState) => Record<string, string | string[]>;
	breakers: Record<string, fc.Arbitrary<FormValue>>;
	/** True when the schema would accept the case: it is then not an invalid-input case. */
	accepts: Oracle;
	runs: number;
}

const blankish = fc.constantFrom<FormValue>(null, '', ' ', '\u0000', '\r\n', '\t');
const orHostile = (...values: FormValue[]) =>
	fc.oneof(fc.constantFrom(...values), hostileValue, blankish);
const notInteger = fc.oneof(
	nasty.filter((v) => !/^\s*\d+\s*$/.test(v)),
	fc.constantFrom('1.5', 'abc', '1e3', '0x1', '-5', '٣'),
	blankish
);
const outOfRangeId = fc.oneof(
	fc.constantFrom('0', '-1', '2147483648', '4294967296', '9007199254740993', '99999999999'),
	fc.bigInt({ min: 2147483648n, max: 10n ** 20n }).map(String)
);

/** Longer than `n` characters even after the schema's trimming and NUL-stripping. */
const longerThan = (n: number): fc.Arbitrary<FormValue> =>
	longText.filter((t) => t.replaceAll('\u0000', '').replace(/\s+/g, ' ').trim().length > n);

function parses(schema: { safeParse(v: unknown): { success: boolean } }, value: unknown): boolean {
	return schema.safeParse(value).success;
}

const listingBreakers: Record<string, fc.Arbitrary<FormValue>> = {
	name: fc.oneof(orHostile(''), longerThan(200)),
	kinds: orHostile('hospital', 'CLINIC ', '__proto__'),
	city: fc.oneof(blankish, longText),
	state: orHostile('ZZ', 'Texas', 'tx ', '__proto__', '00'),
	zip: orHostile('7870', 'abcde', '787011', '78701-', '\u000078701'),
	phone: orHostile('555', '+44 20 7946 0958', '(012) 555-0100'),
	website: orHostile('javascript:alert(1)', 'ftp://x.example', 'http://localhost', 'x'.repeat(400)),
	'routes.iv.priceMin': orHostile('-5', '1e9', 'free', '700'),
	'routes.iv.priceMax': orHostile('-1', '100001', 'lots'),
	'routes.im.priceMin': orHostile('300'),
	acceptingNewPatients: orHostile('maybe', 'YESS'),
	acceptingConfirmedOn: orHostile('2099-01-01', '1999-12-31', '2026-02-30', 'yesterday'),
	telehealthStates: orHostile('TX', 'ZZ'),
	contactName: fc.oneof(blankish, longText),
	contactEmail: orHostile('not-an-email', 'a@b', '@example.org', 'x'.repeat(300) + '@example.org'),
	authorised: orHostile('off', 'no', 'false', 'ON '),
	idempotencyKey: orHostile('short', 'has space in it', '../../../etc', 'x'.repeat(101))
};

const listingAccepts: Oracle = (c) =>
	parses(listingRequestSchema, listingFormValues(formDataOf(c.fields)).nested);

const ratingBreakers: Record<string, fc.Arbitrary<FormValue>> = {
	overall: fc.oneof(notInteger, fc.constantFrom('0', '6', '-1', '2147483648', '5.0')),
	effectiveness: orHostile('0', '6', 'five'),
	recommend: orHostile('11', '-1', '10.5'),
	route: orHostile('iv ', 'IVV', '__proto__'),
	conditions: orHostile('cancer', '__proto__', 'constructor'),
	monthsInTreatment: orHostile('241', '-1', '1e6'),
	pricePaid: orHostile('-1', '20001', '$$', '1,000,000'),
	comment: longerThan(2000),
	ownExperience: orHostile('off', 'no', '0', 'On'),
	idempotencyKey: orHostile('short', 'has space in it', 'x'.repeat(101))
};

const reportBreakers: Record<string, fc.Arbitrary<FormValue>> = {
	reason: orHostile('closed ', 'CLOSED', 'rude', '__proto__', 'constructor', 'toString'),
	note: longerThan(1000)
};

const ratingReportBreakers: Record<string, fc.Arbitrary<FormValue>> = {
	reason: orHostile('spam ', 'SPAM', 'closed', '__proto__', 'constructor'),
	note: longerThan(1000)
};

const SIGN_IN_UNKNOWN = 'fuzz-nobody@unknown.example';

const publicForms: FormSpec[] = [
	{
		endpoint: 'POST /list-your-practice',
		path: () => '/list-your-practice',
		valid: () => validListing(),
		breakers: listingBreakers,
		accepts: listingAccepts,
		runs: 120
	},
	{
		endpoint: 'POST /providers/[slug]/update',
		path: (s) => `/providers/${s.ids.slug}/update`,
		valid: () => validListing(),
		breakers: listingBreakers,
		accepts: listingAccepts,
		runs: 80
	},
	{
		endpoint: 'POST /providers/[slug]/rate',
		path: (s) => `/providers/${s.ids.slug}/rate`,
		valid: () => validRating(),
		breakers: ratingBreakers,
		accepts: (c) => parses(ratingSchema, ratingFormValues(formDataOf(c.fields))),
		runs: 120
	},
	{
		endpoint: 'POST /providers/[slug]/report',
		path: (s) => `/providers/${s.ids.slug}/report`,
		valid: () => validReport(),
		breakers: reportBreakers,
		accepts: (c) => parses(reportSchema, reportFormValues(formDataOf(c.fields))),
		runs: 100
	},
	{
		endpoint: 'POST /providers/[slug]/ratings/[id]/report',
		path: (s) => `/providers/${s.ids.ratingSlug}/ratings/${s.ids.ratingId}/report`,
		valid: () => ({ reason: 'spam', note: '' }),
		breakers: ratingReportBreakers,
		accepts: (c) => parses(ratingReportSchema, reportFormValues(formDataOf(c.fields))),
		runs: 80
	},
	{
		endpoint: 'POST /admin/sign-in',
		path: () => '/admin/sign-in',
		valid: () => ({ email: SIGN_IN_UNKNOWN, password: 'not the password' }),
		breakers: {
			email: orHostile('not-an-email', '@', 'a@', SIGN_IN_UNKNOWN + '\u0000'),
			password: fc.constantFrom<FormValue>(null, '')
		},
		// Any email here is unknown, so even a well-formed case is refused (and writes nothing).
		accepts: () => false,
		runs: 60
	}
];

async function judgeForm(
	spec: FormSpec,
	server: ServerState,
	c: FormCase,
	path = spec.path(server)
): Promise<Verdict> {
	const answer = await postForm(server.origin, {
		path,
		action: spec.action ?? null,
		fields: c.fields,
		encoding: c.encoding,
		enhanced: c.enhanced,
		cookie: spec.admin ? server.cookie : undefined
	});
	return refusal(answer, c.enhanced);
}

/** Field names the app's form gate drops (src/lib/server/request-guard.ts). */
const DROPPED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The case as the app's actions read it: the form gate removes control characters from every
 * name and value and drops fields named after Object's keys, so the oracle judges that form.
 */
function asTheActionReadsIt(c: FormCase): FormCase {
	const clean = (text: string) => withoutControlCharacters(text);
	const values: Record<string, FormValue> = {};
	for (const [key, value] of Object.entries(c.values)) {
		const name = clean(key);
		if (DROPPED_NAMES.has(name)) continue;
		values[name] = value === null ? null : Array.isArray(value) ? value.map(clean) : clean(value);
	}
	return {
		...c,
		fields: c.fields
			.map(([key, value]): [string, string] => [clean(key), clean(value)])
			.filter(([key]) => !DROPPED_NAMES.has(key)),
		values
	};
}

function formProperty(spec: FormSpec) {
	return async () => {
		const server = currentServer();
		const arbitrary = formCase(spec.valid(server), spec.breakers).filter(
			(c) => !spec.accepts(asTheActionReadsIt(c), server)
		);
		await fuzz(spec.endpoint, arbitrary, runs(spec.runs), (c) => judgeForm(spec, server, c));
	};
}

export const publicFormProperties = publicForms.map((spec) => ({
	name: spec.endpoint,
	run: formProperty(spec)
}));

// ---------------------------------------------------------------------------------------------
// Staff forms (signed in as the admin)

const isExisting = (raw: unknown, max: number) => {
	const n = Number(typeof raw === 'string' ? raw.trim() : raw);
	return Number.isInteger(n) && n >= 1 && n <= max;
};

const lastValue = (c: FormCase, name: string) => {
	const value = c.values[name];
	return Array.isArray(value) ? value.at(-1) : (value ?? undefined);
};

/** Object.fromEntries(formData), as most staff actions read their form. */
const entries = (c: FormCase) => Object.fromEntries(formDataOf(c.fields));

function adminListingAccepts(c: FormCase): boolean {
	const { flat, nested } = listingFormValues(formDataOf(c.fields));
	const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
	const useZip = blank(flat.lat) && blank(flat.lng);
	return parses(adminListingSchema, useZip ? { ...nested, lat: '0', lng: '0' } : nested);
}

const providerPath = (s: ServerState) => `/admin/providers/${s.ids.providerId}`;

const staffForms: FormSpec[] = [
	{
		endpoint: 'POST /admin/providers/[id]?/save',
		path: providerPath,
		action: 'save',
		admin: true,
		valid: (s) => {
			const {
				contactName: _n,
				contactEmail: _e,
				authorised: _a,
				idempotencyKey: _k,
				...listing
			} = validListing();
			return { ...listing, slug: s.ids.slug, lat: '30.27', lng: '-97.74', reason: 'fuzz' };
		},
		breakers: {
			...Object.fromEntries(
				Object.entries(listingBreakers).filter(
					([k]) => !['contactName', 'contactEmail', 'authorised', 'idempotencyKey'].includes(k)
				)
			),
			slug: orHostile('Not A Slug', '-x-', 'a--b', 'x'.repeat(81), '__proto__'),
			lat: orHostile('91', '-90.5', 'north', '1e3'),
			lng: orHostile('181', 'east', '-1e3')
		},
		accepts: adminListingAccepts,
		runs: 60
	},
	{
		endpoint: 'POST /admin/providers/[id]?/suspend',
		path: providerPath,
		action: 'suspend',
		admin: true,
		valid: () => ({ reason: 'fuzz' }),
		breakers: { reason: fc.oneof(blankish, longerThan(500)) },
		accepts: (c) => parses(suspendSchema, entries(c)),
		runs: 25
	},
	{
		// Already published: valid or not, nothing changes (409 or 400).
		endpoint: 'POST /admin/providers/[id]?/unsuspend',
		path: providerPath,
		action: 'unsuspend',
		admin: true,
		valid: () => ({ reason: 'fuzz' }),
		breakers: { reason: hostileValue },
		accepts: () => false,
		runs: 25
	},
	{
		endpoint: 'POST /admin/providers/[id]?/verify',
		path: providerPath,
		action: 'verify',
		admin: true,
		valid: () => ({ reason: 'fuzz' }),
		breakers: { reason: longerThan(500) },
		accepts: (c) => parses(verifySchema, entries(c)),
		runs: 20
	},
	{
		endpoint: 'POST /admin/providers/[id]?/annotate',
		path: providerPath,
		action: 'annotate',
		admin: true,
		valid: () => ({ title: 'Fuzz note', body: 'A note.' }),
		breakers: {
			title: fc.oneof(blankish, longText),
			body: fc.oneof(blankish, longerThan(2000))
		},
		accepts: (c) => parses(editorialNoteSchema, entries(c)),
		runs: 25
	},
	{
		endpoint: 'POST /admin/providers/[id]?/editAnnotation',
		path: providerPath,
		action: 'editAnnotation',
		admin: true,
		valid: () => ({ annotationId: '999999', title: 'Fuzz note', body: 'A note.' }),
		breakers: {
			annotationId: fc.oneof(notInteger, outOfRangeId),
			title: fc.oneof(blankish, longText)
		},
		accepts: (c, s) => isExisting(lastValue(c, 'annotationId'), s.ids.maxAnnotationId),
		runs: 25
	},
	{
		endpoint: 'POST /admin/providers/[id]?/retireAnnotation',
		path: providerPath,
		action: 'retireAnnotation',
		admin: true,
		valid: () => ({ annotationId: '999999', reason: '' }),
		breakers: { annotationId: fc.oneof(notInteger, outOfRangeId), reason: hostileValue },
		accepts: (c, s) => isExisting(lastValue(c, 'annotationId'), s.ids.maxAnnotationId),
		runs: 25
	},
	...(['publish', 'hide'] as const).map((action): FormSpec => ({
		endpoint: `POST /admin/ratings?/${action}`,
		path: () => '/admin/ratings',
		action,
		admin: true,
		valid: (s) => ({ ratingId: String(s.ids.ratingId), reason: '' }),
		breakers: {
			ratingId: fc.oneof(notInteger, outOfRangeId),
			reason: fc.oneof(blankish, longText)
		},
		accepts: (c, s) => {
			const parsed = moderationSchema.safeParse(entries(c));
			if (!parsed.success || parsed.data.ratingId > s.ids.maxRatingId) return false;
			return action === 'publish' || parsed.data.reason !== null;
		},
		runs: 30
	})),
	...(['resolve', 'dismiss'] as const).map((action): FormSpec => ({
		endpoint: `POST /admin/reports?/${action}`,
		path: () => '/admin/reports',
		action,
		admin: true,
		valid: (s) => ({ reportId: String(s.ids.reportId), resolution: 'fuzz', markVerified: 'on' }),
		breakers: {
			reportId: fc.oneof(notInteger, outOfRangeId),
			resolution: fc.oneof(blankish, longerThan(500)),
			suspend: fc.constantFrom<FormValue>('on')
		},
		accepts: (c) =>
			parses(closeReportSchema, {
				...entries(c),
				decision: action === 'resolve' ? 'resolved' : 'dismissed'
			}),
		runs: 30
	})),
	{
		endpoint: 'POST /admin/requests/[id]?/approve',
		path: (s) => `/admin/requests/${s.ids.requestId}`,
		action: 'approve',
		admin: true,
		valid: () => ({ slug: 'fuzz-fixture-approved', reason: '' }),
		breakers: {
			slug: orHostile('Bad Slug', '-a', 'a--b', 'x'.repeat(81)),
			lat: orHostile('91', 'north', '45'),
			lng: orHostile('181', 'east'),
			publish: orHostile('yes', 'PUBLISH', '1'),
			'choice.name': orHostile('mine', 'REQUESTED', '__proto__'),
			version: hostileValue
		},
		accepts: (c) => {
			const values = entries(c) as Record<string, string>;
			return parses(approveSchema, { ...values, choices: choicesOf(values) });
		},
		runs: 30
	},
	{
		endpoint: 'POST /admin/requests/[id]?/reject',
		path: (s) => `/admin/requests/${s.ids.requestId}`,
		action: 'reject',
		admin: true,
		valid: () => ({ reason: 'fuzz' }),
		breakers: { reason: fc.oneof(blankish, longerThan(500)) },
		accepts: (c) => parses(rejectSchema, entries(c)),
		runs: 25
	},
	{
		endpoint: 'POST /admin/users?/create',
		path: () => '/admin/users',
		action: 'create',
		admin: true,
		valid: () => ({
			email: 'fuzz-new@example.org',
			role: 'moderator',
			password: 'a long enough password'
		}),
		breakers: {
			email: orHostile('nobody', 'a@b', 'x'.repeat(260) + '@example.org'),
			role: orHostile('provider', 'ADMIN', 'owner', '__proto__'),
			password: orHostile('short', 'x'.repeat(201), '           ')
		},
		accepts: (c) => parses(createUserSchema, entries(c)),
		runs: 30
	},
	...(
		[
			['role', changeRoleSchema, { userId: '1', role: 'admin' }],
			['disable', userIdSchema, { userId: '1' }],
			['enable', userIdSchema, { userId: '1' }],
			['resetSecondFactor', userIdSchema, { userId: '1' }],
			['password', setPasswordSchema, { userId: '1', password: 'another long password' }]
		] as const
	).map(([action, schema, valid]): FormSpec => ({
		endpoint: `POST /admin/users?/${action}`,
		path: () => '/admin/users',
		action,
		admin: true,
		valid: () => ({ ...valid }),
		breakers: {
			userId: fc.oneof(notInteger, outOfRangeId),
			...(action === 'role' ? { role: orHostile('provider', 'root') } : {}),
			...(action === 'password' ? { password: orHostile('short', 'x'.repeat(201)) } : {})
		},
		accepts: (c, s) => {
			const parsed = schema.safeParse(entries(c));
			return parsed.success && parsed.data.userId <= s.ids.maxUserId;
		},
		runs: 20
	}))
];

export const staffFormProperties = staffForms.map((spec) => ({
	name: spec.endpoint,
	run: formProperty(spec)
}));

/** The CSV import: no file, a text field, empty, garbage or header-less files. */
export async function importProperty(): Promise<void> {
	const server = currentServer();
	const file = fc.oneof(
		fc.constant(null),
		fc
			.uint8Array({ maxLength: 2000 })
			.map((bytes) => Buffer.concat([Buffer.from('\u0000garbage,'), Buffer.from(bytes)])),
		hostileText.map((t) => Buffer.from(`not,the,columns\n${t}\n`)),
		fc.constant(Buffer.alloc(0))
	);
	const arbitrary = fc.record({
		action: fc.constantFrom('check', 'import'),
		file,
		asText: fc.boolean(),
		name: fc.oneof(fc.constant('providers.csv'), hostileText),
		enhanced: fc.boolean()
	});
	await fuzz('POST /admin/import', arbitrary, runs(40), async (c) => {
		const boundary = `----fuzz${Math.random().toString(36).slice(2)}`;
		const fields: Fields = c.file && c.asText ? [['file', c.file.toString('latin1')]] : [];
		const body = multipartWithFile(
			fields,
			c.file && !c.asText ? { field: 'file', name: c.name, bytes: c.file } : null,
			boundary
		);
		const headers: Record<string, string> = {
			origin: server.origin,
			cookie: server.cookie,
			'content-type': `multipart/form-data; boundary=${boundary}`,
			...(c.enhanced
				? { 'x-sveltekit-action': 'true', accept: 'application/json' }
				: { accept: 'text/html' })
		};
		const answer = await send(server.origin, `/admin/import?/${c.action}`, {
			method: 'POST',
			headers,
			body,
			describe: `file=${c.file ? `<${c.file.length} bytes${c.asText ? ' as a text field' : ''}>` : '(none)'}`
		});
		return refusal(answer, c.enhanced);
	});
}

// ---------------------------------------------------------------------------------------------
// Form posts the server cannot even read: odd content types, broken multipart, odd action names

const FORM_ROUTES: {
	path: (s: ServerState) => string;
	actions: string[] | null;
	admin?: boolean;
}[] = [
	{ path: () => '/list-your-practice', actions: null },
	{ path: (s) => `/providers/${s.ids.slug}/update`, actions: null },
	{ path: (s) => `/providers/${s.ids.slug}/rate`, actions: null },
	{ path: (s) => `/providers/${s.ids.slug}/report`, actions: null },
	{ path: (s) => `/providers/${s.ids.ratingSlug}/ratings/${s.ids.ratingId}/report`, actions: null },
	{ path: () => '/admin/sign-in', actions: null },
	{
		path: (s) => `/admin/providers/${s.ids.providerId}`,
		actions: [
			'save',
			'suspend',
			'unsuspend',
			'verify',
			'annotate',
			'editAnnotation',
			'retireAnnotation'
		],
		admin: true
	},
	{ path: () => '/admin/ratings', actions: ['publish', 'hide'], admin: true },
	{ path: () => '/admin/reports', actions: ['resolve', 'dismiss'], admin: true },
	{
		path: (s) => `/admin/requests/${s.ids.requestId}`,
		actions: ['approve', 'reject'],
		admin: true
	},
	{
		path: () => '/admin/users',
		actions: ['create', 'role', 'disable', 'enable', 'password'],
		admin: true
	},
	{ path: () => '/admin/import', actions: ['check', 'import'], admin: true }
];

const BODIES: { name: string; type: string | null; body: (b: string) => string | Buffer }[] = [
	{ name: 'text/plain', type: 'text/plain', body: () => 'name=x&overall=5' },
	{ name: 'text/plain;charset=utf-8', type: 'text/plain;charset=UTF-8', body: () => 'reason=spam' },
	{ name: 'application/json', type: 'application/json', body: () => '{"overall":5,"name":"x"}' },
	{
		name: 'multipart, wrong boundary',
		type: 'multipart/form-data; boundary=AAA',
		body: (b) => `--${b}\r\ncontent-disposition: form-data; name="x"\r\n\r\n1\r\n--${b}--\r\n`
	},
	{ name: 'multipart, no boundary', type: 'multipart/form-data', body: () => '--x\r\n\r\n' },
	{
		name: 'multipart, truncated',
		type: 'multipart/form-data; boundary=BBB',
		body: () => '--BBB\r\ncontent-disposition: form-data; name="note"\r\n\r\nhalf a val'
	},
	{
		name: 'multipart, garbage',
		type: 'multipart/form-data; boundary=CCC',
		body: () => Buffer.from([0, 1, 2, 255, 254, 13, 10, 45, 45])
	},
	{ name: 'multipart, empty body', type: 'multipart/form-data; boundary=DDD', body: () => '' },
	{
		name: 'urlencoded, bad percent-encoding',
		type: 'application/x-www-form-urlencoded',
		body: () => 'reason=%zz&note=%&name=%c0%ae&overall=%FF'
	},
	{ name: 'urlencoded, empty body', type: 'application/x-www-form-urlencoded', body: () => '' },
	{
		name: 'urlencoded, charset utf-16',
		type: 'application/x-www-form-urlencoded; charset=utf-16',
		body: () => Buffer.from('n\u0000a\u0000=\u0000x\u0000')
	},
	{
		name: 'octet-stream',
		type: 'application/octet-stream',
		body: () => Buffer.from([0, 159, 146, 150])
	},
	{ name: 'no content type', type: null, body: () => 'reason=spam' },
	{
		name: 'sveltekit formdata, garbage',
		type: 'application/x-sveltekit-formdata',
		body: () => 'not devalue'
	}
];

export async function contentTypeProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc.record({
		route: fc.constantFrom(...FORM_ROUTES),
		body: fc.constantFrom(...BODIES),
		enhanced: fc.boolean(),
		pick: fc.nat()
	});
	await fuzz('form posts with unreadable bodies', arbitrary, runs(90), async (c) => {
		const action = c.route.actions ? c.route.actions[c.pick % c.route.actions.length]! : null;
		const path = c.route.path(server) + (action ? `?/${action}` : '');
		const headers: Record<string, string> = {
			origin: server.origin,
			...(c.body.type ? { 'content-type': c.body.type } : {}),
			...(c.route.admin ? { cookie: server.cookie } : {}),
			...(c.enhanced
				? { 'x-sveltekit-action': 'true', accept: 'application/json' }
				: { accept: 'text/html' })
		};
		const answer = await send(server.origin, path, {
			method: 'POST',
			headers,
			body: c.body.body('ZZZ'),
			describe: c.body.name
		});
		return refusal(answer, c.enhanced);
	});
}

const ODD_ACTIONS = [
	'default',
	'__proto__',
	'constructor',
	'toString',
	'valueOf',
	'hasOwnProperty',
	'nope',
	'',
	'%00',
	'save%0d%0aX:1',
	'__defineGetter__',
	'then'
];

export async function actionNameProperty(): Promise<void> {
	const server = currentServer();
	const arbitrary = fc
		.record({
			route: fc.constantFrom(...FORM_ROUTES),
			name: fc.oneof(
				{ weight: 4, arbitrary: fc.constantFrom(...ODD_ACTIONS) },
				{ weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent) }
			),
			enhanced: fc.boolean(),
			encoding: fc.constantFrom('urlencoded' as const, 'multipart' as const)
		})
		.filter((c) => !(c.route.actions ?? []).includes(decodeURIComponent(c.name)));
	await fuzz('form posts to odd action names', arbitrary, runs(90), async (c) => {
		const answer = await postForm(server.origin, {
			path: c.route.path(server),
			action: c.name,
			fields: [['reason', '']],
			encoding: c.encoding,
			enhanced: c.enhanced,
			cookie: c.route.admin ? server.cookie : undefined
		});
		return refusal(answer, c.enhanced);
	});
}

export type { Answer };

import { z } from 'zod';
import { CONDITION_CODES } from '../domain/conditions';
import { PROVIDER_KIND_CODES } from '../domain/kinds';
import { NEW_PATIENTS_CODES, settleNewPatients } from '../domain/new-patients';
import type { Listing } from '../domain/provider';
import { listingToFlat } from '../domain/provider-fields';
import { ROUTE_CODES, ROUTES } from '../domain/routes';
import { SLUG_PATTERN } from '../domain/slug';
import { STATE_CODES } from '../domain/states';
import { DESCRIPTION_MAX, MESSAGE_MAX } from './limits';
import {
	blankToUndefined,
	checkbox,
	choice,
	codeList,
	dollars,
	idempotencyKey,
	mustTick,
	optionalText,
	pastDay,
	requiredText
} from './fields';

/**
 * What a listing holds, as providers submit it (/list-your-practice), as admins edit it and as
 * CSV rows are imported: one schema for all three, so the rules cannot drift apart.
 *
 * Form field names are the schema's paths: `name`, `kinds` (repeated), `routes.iv` (the tick),
 * `routes.iv.priceMin`, …; `listingFormValues` turns a FormData into that shape.
 */

export { DESCRIPTION_MAX, MESSAGE_MAX };

const phone = z.preprocess(
	blankToUndefined,
	z
		.string({ error: 'Enter the phone number as text.' })
		.transform((value, ctx) => {
			const digits = value.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
			if (digits.length !== 10 || /^[01]/.test(digits)) {
				ctx.addIssue({
					code: 'custom',
					message: 'Enter a 10-digit US phone number, e.g. (512) 555-0123.'
				});
				return z.NEVER;
			}
			return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
		})
		.optional()
);

const website = z.preprocess(
	(value) => {
		const v = blankToUndefined(value);
		if (typeof v !== 'string') return v;
		const trimmed = v.trim();
		return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
	},
	z
		.string({ error: 'Enter the website address as text.' })
		.max(300, 'Keep the website address to 300 characters or fewer.')
		.refine((value) => {
			try {
				const url = new URL(value);
				return (
					(url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.')
				);
			} catch {
				return false;
			}
		}, 'Enter the website address, e.g. https://example.com.')
		.optional()
);

const emailAddress = (missing: string) =>
	z
		.string({ error: missing })
		.trim()
		.toLowerCase()
		.min(1, missing)
		.max(200, 'Keep the email address to 200 characters or fewer.')
		.pipe(z.email('Enter an email address like name@example.com.'));

const routeOffer = z
	.object({
		priceMin: dollars('the lowest price per session', 100_000),
		priceMax: dollars('the highest price per session', 100_000),
		seriesPrice: dollars('the series price', 1_000_000),
		notes: optionalText(300, 'the notes'),
		/** Set by nestListing when prices were typed for a route left unticked. */
		unticked: z.literal(true).optional()
	})
	.superRefine((r, ctx) => {
		if (r.unticked) {
			ctx.addIssue({
				code: 'custom',
				message: 'Tick this treatment if you offer it, or clear its prices and notes.'
			});
		}
		if (r.priceMin !== undefined && r.priceMax !== undefined && r.priceMin > r.priceMax) {
			ctx.addIssue({
				code: 'custom',
				path: ['priceMax'],
				message: 'The highest price must be at least the lowest price.'
			});
		}
	});

export type RouteOfferInput = z.output<typeof routeOffer>;

const routeOffers = z
	.partialRecord(z.enum(ROUTE_CODES, { error: 'Choose treatments from the list.' }), routeOffer, {
		error: 'Choose the treatments you offer.'
	})
	.transform((record) =>
		ROUTES.filter((r) => record[r.code] !== undefined).map((r) => {
			const { unticked: _, ...offer } = record[r.code] as RouteOfferInput;
			return { code: r.code, ...offer };
		})
	)
	.refine((list) => list.length > 0, 'Choose at least one treatment you offer.');

const listingFields = z.object({
	name: requiredText(200, 'Enter the name of the practice.', 'the name'),
	kinds: codeList(PROVIDER_KIND_CODES, 'Choose kinds of practice from the list.').refine(
		(list) => list.length > 0,
		'Choose at least one kind of practice.'
	),
	description: z.preprocess(
		(value) => value ?? '',
		optionalText(DESCRIPTION_MAX, 'the description').transform((v) => v ?? '')
	),
	street: optionalText(200, 'the street address'),
	city: requiredText(100, 'Enter the city.', 'the city'),
	state: z.preprocess(
		(value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
		z.enum(STATE_CODES, { error: 'Choose the state.' })
	),
	zip: z
		.string({ error: 'Enter the 5-digit ZIP code.' })
		.trim()
		.regex(/^\d{5}(-\d{4})?$/, 'Enter the 5-digit ZIP code, e.g. 78701.')
		.transform((zip) => zip.slice(0, 5)),
	phone,
	website,
	email: z.preprocess(
		blankToUndefined,
		emailAddress('Enter the email address as text.').optional()
	),
	routes: routeOffers,
	consultFee: dollars('the consultation fee', 100_000),
	acceptsInsurance: checkbox,
	insuranceNotes: optionalText(500, 'the insurance notes'),
	offersPsychotherapy: checkbox,
	acceptingNewPatients: choice(
		NEW_PATIENTS_CODES,
		'unknown',
		'Choose whether you accept new patients: yes, no or not saying.'
	),
	acceptingConfirmedOn: pastDay('the day new patients were last confirmed'),
	telehealthStates: codeList(STATE_CODES, 'Choose states from the list.'),
	conditions: codeList(CONDITION_CODES, 'Choose conditions from the list.')
});

export const listingSchema = listingFields
	.superRefine((l, ctx) => {
		const telehealth = l.kinds.includes('telehealth');
		if (telehealth && l.telehealthStates.length === 0) {
			ctx.addIssue({
				code: 'custom',
				path: ['telehealthStates'],
				message: 'Choose the states your clinicians are licensed to treat patients in.'
			});
		}
		if (!telehealth && l.telehealthStates.length > 0) {
			ctx.addIssue({
				code: 'custom',
				path: ['telehealthStates'],
				message: 'Tick “Telehealth” under kinds of practice, or clear the telehealth states.'
			});
		}
		if (l.kinds.includes('spravato') && !l.routes.some((r) => r.code === 'esketamine')) {
			ctx.addIssue({
				code: 'custom',
				path: ['routes'],
				message: 'A Spravato center offers Spravato: tick it under treatments.'
			});
		}
		if (l.acceptingNewPatients === 'unknown' && l.acceptingConfirmedOn !== undefined) {
			ctx.addIssue({
				code: 'custom',
				path: ['acceptingConfirmedOn'],
				message: 'Say whether you accept new patients, or clear this date.'
			});
		}
	})
	.transform((l) => settleNewPatients(l));

export type { Listing };
export { listingToFlat };

/** The schema parses into the domain's record type, exactly (a compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const parsesIntoListing: Same<z.output<typeof listingSchema>, Listing> = true;
void parsesIntoListing;

/** A listing's version as the form saw it (a hidden field); anything else reads as "not given". */
const formVersion = z.preprocess((value) => {
	const v = typeof value === 'string' ? value.trim() : value;
	if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 1 ? v : undefined;
	return typeof v === 'string' && /^\d{1,9}$/.test(v) && Number(v) >= 1 ? Number(v) : undefined;
}, z.number().int().optional());

/**
 * The listing as the update form showed it, carried in a hidden field as JSON of the form's flat
 * values. Only the provider's own starting point: never an error (the provider cannot fix a hidden
 * field), just undefined when it does not read as a valid listing.
 */
const formBase = z.preprocess((value) => {
	if (typeof value !== 'string' || value.length > 50_000) return undefined;
	try {
		const flat = JSON.parse(value) as unknown;
		if (typeof flat !== 'object' || flat === null || Array.isArray(flat)) return undefined;
		const clean: Record<string, string | string[]> = {};
		for (const [key, v] of Object.entries(flat as Record<string, unknown>)) {
			if (typeof v === 'string') clean[key] = v;
			else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) clean[key] = v;
		}
		const parsed = listingSchema.safeParse(nestListing(clean).listing);
		return parsed.success ? parsed.data : undefined;
	} catch {
		return undefined;
	}
}, z.custom<Listing>().optional());

/** The public request: the listing plus who is asking, privately. */
export const listingRequestSchema = z.object({
	listing: listingSchema,
	/** Private: only moderators read it, on the request's review page. */
	message: optionalText(MESSAGE_MAX, 'the message'),
	contactName: requiredText(100, 'Enter your name.', 'your name'),
	contactEmail: emailAddress('Enter your email address, so we can reach you about the listing.'),
	authorised: mustTick(
		'Please confirm you are authorised to list this practice and it holds the licences it needs.'
	),
	idempotencyKey,
	/** Update requests: the listing's version and content when the form was opened. */
	baseVersion: formVersion,
	base: formBase
});

export type ListingRequestInput = z.output<typeof listingRequestSchema>;

/** What an admin may set beyond the provider's own request: the slug and the map point. */
export const adminListingSchema = z.object({
	listing: listingSchema,
	slug: z
		.string({ error: 'Enter the slug.' })
		.trim()
		.toLowerCase()
		.max(80, 'Keep the slug to 80 characters or fewer.')
		.regex(
			SLUG_PATTERN,
			'Use lower-case letters, digits and single hyphens, e.g. calm-mind-austin.'
		),
	lat: z.coerce
		.number({ error: 'Enter the latitude in degrees, e.g. 30.27.' })
		.min(-90, 'The latitude must be between -90 and 90.')
		.max(90, 'The latitude must be between -90 and 90.'),
	lng: z.coerce
		.number({ error: 'Enter the longitude in degrees, e.g. -97.74.' })
		.min(-180, 'The longitude must be between -180 and 180.')
		.max(180, 'The longitude must be between -180 and 180.'),
	reason: optionalText(500, 'the reason'),
	/** The version, listing and slug the editor started from: saving over a newer change is refused. */
	version: formVersion,
	base: formBase,
	baseSlug: z.string().trim().max(80).optional().catch(undefined)
});

export type AdminListingInput = z.output<typeof adminListingSchema>;

const REPEATED = new Set(['kinds', 'telehealthStates', 'conditions']);
const LISTING_KEYS = new Set(Object.keys(listingFields.shape));

/**
 * A FormData as flat values (for re-showing the form) and as the nested object the schemas
 * read: listing fields under `listing`, each ticked route under `listing.routes.<code>`.
 */
export function listingFormValues(form: FormData): {
	flat: Record<string, string | string[]>;
	nested: Record<string, unknown>;
} {
	const flat: Record<string, string | string[]> = {};
	for (const [key, value] of form) {
		if (typeof value !== 'string') continue;
		if (REPEATED.has(key)) flat[key] = [...((flat[key] as string[] | undefined) ?? []), value];
		else flat[key] = value;
	}
	return { flat, nested: nestListing(flat) };
}

/** Flat form values → `{ listing: {…, routes: {iv: {…}}}, …rest }`. */
export function nestListing(flat: Record<string, string | string[]>): Record<string, unknown> {
	const listing: Record<string, unknown> = {};
	const rest: Record<string, unknown> = {};
	const routes: Record<string, Record<string, unknown>> = {};
	for (const code of ROUTE_CODES) {
		const offer: Record<string, unknown> = {};
		for (const field of ['priceMin', 'priceMax', 'seriesPrice', 'notes']) {
			const value = flat[`routes.${code}.${field}`];
			if (typeof value === 'string' && value.trim() !== '') offer[field] = value;
		}
		if (flat[`routes.${code}`] !== undefined) routes[code] = offer;
		else if (Object.keys(offer).length) routes[code] = { ...offer, unticked: true };
	}
	for (const [key, value] of Object.entries(flat)) {
		if (key.startsWith('routes.')) continue;
		if (LISTING_KEYS.has(key)) listing[key] = value;
		else rest[key] = value;
	}
	listing.routes = routes;
	return { ...rest, listing };
}

/**
 * A stored (or merged) listing checked against the listing rules again, as if typed into the form:
 * a merge of two valid listings can still break a rule that spans fields.
 */
export function recheckListing(listing: Listing) {
	return listingSchema.safeParse(nestListing(listingToFlat(listing)).listing);
}

/** Zod paths under `listing.` are the form's field names. */
export function listingFieldErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const path = issue.path.map(String);
		if (path[0] === 'listing') path.shift();
		// A bad entry in a repeated field (kinds.2) belongs to the field.
		if (path.length > 1 && /^\d+$/.test(path.at(-1) ?? '')) path.pop();
		out[path.join('.') || 'form'] ??= issue.message;
	}
	return out;
}

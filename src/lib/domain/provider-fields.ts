import { conditionLabel } from './conditions';
import { kindLabel } from './kinds';
import { formatPriceRange, formatUsd } from './money';
import { formatDay, NEW_PATIENTS } from './new-patients';
import type { Listing, RouteOffer } from './provider';
import { ROUTE_CODES, ROUTES, type RouteCode } from './routes';

/**
 * The provider record's one field table. Every shape a record takes — review and audit lines,
 * form values, the CSV columns and cells, the JSON export, the API — is generated from these rows,
 * so a new field is a database column, one row here and one form control.
 */

/** How a value is written and read back in each shape. */
export type FieldType =
	| 'text'
	| 'usd'
	| 'yesNo'
	| 'choice'
	| 'date'
	| 'kinds'
	| 'state'
	| 'states'
	| 'conditions'
	| 'routes';

/** The answers a `choice` field takes: codes in files and the API, labels for people. */
export type Choices = readonly { code: string; label: string }[];

export interface ListingField {
	key: keyof Listing;
	label: string;
	/** The CSV column (and the JSON export's key); the API uses `key`. */
	csv: string;
	type: FieldType;
	/** Free text a spreadsheet could take for a formula: escaped on export. */
	freeText?: boolean;
	/** Shown on cards and in list entries of the API, not only on the profile. */
	summary?: boolean;
	/** For `choice` fields. */
	choices?: Choices;
}

/** In the order forms, review pages and files show them. */
export const LISTING_FIELDS = [
	{ key: 'name', label: 'Name', csv: 'name', type: 'text', freeText: true, summary: true },
	{ key: 'kinds', label: 'Kinds', csv: 'kinds', type: 'kinds', summary: true },
	{ key: 'description', label: 'Description', csv: 'description', type: 'text', freeText: true },
	{ key: 'street', label: 'Street', csv: 'street', type: 'text', freeText: true },
	{ key: 'city', label: 'City', csv: 'city', type: 'text', freeText: true, summary: true },
	{ key: 'state', label: 'State', csv: 'state', type: 'state', summary: true },
	{ key: 'zip', label: 'ZIP', csv: 'zip', type: 'text', summary: true },
	{ key: 'phone', label: 'Phone', csv: 'phone', type: 'text', freeText: true },
	{ key: 'website', label: 'Website', csv: 'website', type: 'text', freeText: true },
	{ key: 'email', label: 'Public email', csv: 'email', type: 'text', freeText: true },
	{ key: 'routes', label: 'Treatments', csv: 'routes', type: 'routes', summary: true },
	{ key: 'consultFee', label: 'Consultation fee', csv: 'consult_fee', type: 'usd' },
	{
		key: 'acceptsInsurance',
		label: 'Accepts insurance',
		csv: 'accepts_insurance',
		type: 'yesNo',
		summary: true
	},
	{
		key: 'insuranceNotes',
		label: 'Insurance notes',
		csv: 'insurance_notes',
		type: 'text',
		freeText: true
	},
	{
		key: 'offersPsychotherapy',
		label: 'Psychotherapy / integration',
		csv: 'offers_psychotherapy',
		type: 'yesNo',
		summary: true
	},
	{
		key: 'acceptingNewPatients',
		label: 'Accepting new patients',
		csv: 'accepting_new_patients',
		type: 'choice',
		choices: NEW_PATIENTS,
		summary: true
	},
	{
		key: 'acceptingConfirmedOn',
		label: 'New patients: confirmed on',
		csv: 'accepting_confirmed_on',
		type: 'date',
		summary: true
	},
	{
		key: 'telehealthStates',
		label: 'Telehealth licences',
		csv: 'telehealth_states',
		type: 'states',
		summary: true
	},
	{ key: 'conditions', label: 'Conditions treated', csv: 'conditions', type: 'conditions' }
] as const satisfies readonly ListingField[];

/** The listing fields a card (and an API list entry) carries. */
export type SummaryKey = Extract<(typeof LISTING_FIELDS)[number], { summary: true }>['key'];

export interface RouteOfferField {
	key: Exclude<keyof RouteOffer, 'code'>;
	/** The CSV column is `<route code>_<suffix>`. */
	suffix: string;
	type: 'usd' | 'text';
	freeText?: boolean;
	/** Shown on cards (the price range), not only on the profile. */
	summary?: boolean;
}

export const ROUTE_OFFER_FIELDS = [
	{ key: 'priceMin', suffix: 'price_min', type: 'usd', summary: true },
	{ key: 'priceMax', suffix: 'price_max', type: 'usd', summary: true },
	{ key: 'seriesPrice', suffix: 'series_price', type: 'usd' },
	{ key: 'notes', suffix: 'notes', type: 'text', freeText: true }
] as const satisfies readonly RouteOfferField[];

export type OfferSummaryKey = Extract<
	(typeof ROUTE_OFFER_FIELDS)[number],
	{ summary: true }
>['key'];

/** Iterable as the general row types, whatever the constant's literal types. */
export const FIELDS: readonly ListingField[] = LISTING_FIELDS;
export const OFFER_FIELDS: readonly RouteOfferField[] = ROUTE_OFFER_FIELDS;

export const routeColumn = (code: RouteCode, suffix: string) => `${code}_${suffix}`;

/** The fields a record's placement adds to the files, around the listing's. */
const PLACEMENT_BEFORE = ['slug'];
const PLACEMENT_AFTER_ZIP = ['lat', 'lng'];
const PLACEMENT_AFTER = ['status', 'last_verified'];

/** Every CSV column (and JSON export key), in file order. */
export const PROVIDER_CSV_COLUMNS: readonly string[] = [
	...PLACEMENT_BEFORE,
	...FIELDS.flatMap((f) => [
		f.csv,
		...(f.key === 'zip' ? PLACEMENT_AFTER_ZIP : []),
		...(f.type === 'routes'
			? ROUTE_CODES.flatMap((code) => OFFER_FIELDS.map((r) => routeColumn(code, r.suffix)))
			: [])
	]),
	...PLACEMENT_AFTER
];

/** Columns whose cells are free text, escaped against spreadsheet formulas on export. */
export const FREE_TEXT_COLUMNS: ReadonlySet<string> = new Set([
	...FIELDS.filter((f) => f.freeText).map((f) => f.csv),
	...ROUTE_CODES.flatMap((code) =>
		OFFER_FIELDS.filter((r) => r.freeText).map((r) => routeColumn(code, r.suffix))
	)
]);

/** The CSV column a listing-schema path belongs to: `routes.iv.priceMin` → `iv_price_min`. */
export function columnForPath(path: readonly PropertyKey[]): string {
	const [head, code, key] = path.map(String);
	const offerField = OFFER_FIELDS.find((r) => r.key === key);
	if (head === 'routes' && code && offerField)
		return routeColumn(code as RouteCode, offerField.suffix);
	return FIELDS.find((f) => f.key === head)?.csv ?? head ?? '';
}

export type Value = Listing[keyof Listing];
const list = (value: Value) => value as readonly string[];
export const offerOf = (listing: Listing, code: RouteCode) =>
	listing.routes.find((r) => r.code === code);

// Review lines ----------------------------------------------------------------------------------

export interface ListingLine {
	key: string;
	label: string;
	value: string;
}

const NONE = '—';

function lineValue({ type, choices }: ListingField, value: Value): string {
	switch (type) {
		case 'usd':
			return value === undefined ? NONE : formatUsd(value as number);
		case 'yesNo':
			return value ? 'Yes' : 'No';
		case 'choice':
			return choices?.find((c) => c.code === value)?.label ?? NONE;
		case 'date':
			return value ? formatDay(value as string) : NONE;
		case 'kinds':
			return list(value)
				.map((k) => kindLabel(k as Listing['kinds'][number]))
				.join(', ');
		case 'states':
			return list(value).join(', ') || NONE;
		case 'conditions':
			return (
				list(value)
					.map((c) => conditionLabel(c as Listing['conditions'][number]))
					.join(', ') || NONE
			);
		default:
			return (value as string | undefined) || NONE;
	}
}

function offerLine(offer: RouteOffer | undefined): string {
	if (!offer) return 'not offered';
	return [
		formatPriceRange(offer.priceMin ?? null, offer.priceMax ?? null) ?? 'price not given',
		offer.seriesPrice !== undefined ? `series ${formatUsd(offer.seriesPrice)}` : null,
		offer.notes ?? null
	]
		.filter(Boolean)
		.join('; ');
}

/** A listing as label/value lines, one per field and one per route, for review and comparison. */
export function listingLines(listing: Listing): ListingLine[] {
	return FIELDS.flatMap((f): ListingLine[] =>
		f.type === 'routes'
			? ROUTES.map((r) => ({
					key: `routes.${r.code}`,
					label: r.label,
					value: offerLine(offerOf(listing, r.code))
				}))
			: [{ key: f.key, label: f.label, value: lineValue(f, listing[f.key]) }]
	);
}

// Form values -----------------------------------------------------------------------------------

export type FlatValues = Record<string, string | string[]>;

export const text = (value: string | number | undefined | null) =>
	value === undefined || value === null ? '' : String(value);

/** A listing as the form's fields (names are schema paths): to prefill an update or an edit. */
export function listingToFlat(listing: Listing): FlatValues {
	const flat: FlatValues = {};
	for (const f of FIELDS) {
		const value = listing[f.key];
		if (f.type === 'routes') {
			for (const offer of listing.routes) {
				flat[`routes.${offer.code}`] = 'on';
				for (const r of OFFER_FIELDS) flat[`routes.${offer.code}.${r.key}`] = text(offer[r.key]);
			}
		} else if (f.type === 'yesNo') {
			if (value) flat[f.key] = 'on';
		} else if (Array.isArray(value)) {
			flat[f.key] = [...(value as string[])];
		} else {
			flat[f.key] = text(value as string | number | undefined);
		}
	}
	return flat;
}

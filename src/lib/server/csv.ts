import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { asc, eq, inArray, type SQL } from 'drizzle-orm';
import { CONDITION_CODES, type ConditionCode } from '../domain/conditions';
import { PROVIDER_KIND_CODES, PROVIDER_STATUSES, type ProviderStatus } from '../domain/kinds';
import { ROUTE_CODES, type RouteCode } from '../domain/routes';
import { slugify, SLUG_PATTERN } from '../domain/slug';
import { STATE_CODES, type StateCode } from '../domain/states';
import { listingSchema, type Listing } from '../schemas/listing';
import * as audit from './audit';
import type { Database } from './db';
import {
	providerConditions,
	providerRoutes,
	providers,
	providerSlugHistory,
	providerTelehealthStates
} from './db/schema';
import { geocode } from './geocode';
import {
	auditView,
	locate,
	recordFrom,
	writeListing,
	type ListingRecord,
	type Placement
} from './listings';
import { providersChanged } from './events';

/**
 * Bulk import and export of providers as CSV (docs/csv.md). One column list serves the import,
 * both exports and the docs; every row goes through the listing schema the forms use. A check
 * (dry run) and an import run the same validation; an import writes all rows in one transaction
 * or nothing at all.
 */

const ROUTE_FIELDS = [
	['price_min', 'priceMin'],
	['price_max', 'priceMax'],
	['series_price', 'seriesPrice'],
	['notes', 'notes']
] as const;

type RouteField = (typeof ROUTE_FIELDS)[number][1];

const routeColumn = (code: RouteCode, suffix: string) => `${code}_${suffix}`;

/** Every column, in file order. Only `REQUIRED_CSV_COLUMNS` must appear in an imported file. */
export const PROVIDER_CSV_COLUMNS: readonly string[] = [
	'slug',
	'name',
	'kinds',
	'description',
	'street',
	'city',
	'state',
	'zip',
	'lat',
	'lng',
	'phone',
	'website',
	'email',
	'routes',
	...ROUTE_CODES.flatMap((code) => ROUTE_FIELDS.map(([suffix]) => routeColumn(code, suffix))),
	'consult_fee',
	'accepts_insurance',
	'insurance_notes',
	'offers_psychotherapy',
	'telehealth_states',
	'conditions',
	'status',
	'last_verified'
];

export const REQUIRED_CSV_COLUMNS: readonly string[] = [
	'name',
	'kinds',
	'city',
	'state',
	'zip',
	'routes'
];

export const CSV_MAX_ROWS = 5_000;
export const CSV_MAX_BYTES = 5 * 1024 * 1024;

/** Where a problem is: spreadsheet row (the header is row 1) and column; null for the whole file. */
export interface CsvProblem {
	row: number | null;
	column: string | null;
	message: string;
}

export interface CsvReport {
	ok: boolean;
	/** Provider rows in the file (blank lines are not counted). */
	rows: number;
	/** Rows that add a provider (blank or unknown slug) and rows that rewrite one (known slug). */
	creates: number;
	updates: number;
	errors: CsvProblem[];
}

// Reading the file -----------------------------------------------------------------------------

export interface CsvTable {
	columns: string[];
	/** Non-blank rows with their spreadsheet row number. */
	records: { row: number; cells: string[] }[];
}

const fileProblem = (message: string): { errors: CsvProblem[] } => ({
	errors: [{ row: null, column: null, message }]
});

const TOO_LARGE = `The file is larger than ${CSV_MAX_BYTES / 1024 / 1024} MB; split it into smaller files.`;

/** For callers that can see the size before reading the file. */
export function tooLargeReport(): CsvReport {
	return { ok: false, rows: 0, creates: 0, updates: 0, ...fileProblem(TOO_LARGE) };
}

/**
 * The header and rows of a provider CSV, or why it cannot be read: not text, not CSV, empty,
 * too large, or a header with unknown, repeated or missing columns.
 */
export function readProvidersCsv(text: string): CsvTable | { errors: CsvProblem[] } {
	if (Buffer.byteLength(text, 'utf8') > CSV_MAX_BYTES) return fileProblem(TOO_LARGE);
	if (text.includes('\u0000')) {
		return fileProblem(
			'This is not a CSV text file (it may be an Excel workbook); save it as “CSV UTF-8” and try again.'
		);
	}
	if (text.includes('\uFFFD')) {
		return fileProblem(
			'The file is not UTF-8 text; in your spreadsheet choose “CSV UTF-8” when saving it.'
		);
	}
	if (text.replace(/^\uFEFF/, '').trim() === '') return fileProblem('The file is empty.');

	let table: string[][];
	try {
		table = parse(text, { bom: true, relax_column_count: true });
	} catch (err) {
		const e = err as { message?: string; records?: number };
		const row = typeof e.records === 'number' ? e.records + 1 : null;
		return {
			errors: [
				{
					row,
					column: null,
					message: `The file could not be read as CSV (${(e.message ?? 'unknown error').replace(/\.$/, '')}). Check quotes around cells that contain commas or line breaks.`
				}
			]
		};
	}

	const columns = table[0].map((name) => name.trim().toLowerCase());
	const known = new Set(PROVIDER_CSV_COLUMNS);
	if (!columns.some((c) => known.has(c))) {
		return {
			errors: [
				{
					row: 1,
					column: null,
					message: `The first row must hold the column names (slug, name, kinds, …), separated by commas; it reads “${table[0].join(',').slice(0, 80)}”.`
				}
			]
		};
	}
	const errors: CsvProblem[] = [];
	const seen = new Set<string>();
	columns.forEach((column, i) => {
		if (column === '') {
			if (table.some((r) => (r[i] ?? '').trim() !== '')) {
				errors.push({
					row: 1,
					column: `(column ${i + 1})`,
					message: 'This column has no name; give it one of the documented names or delete it.'
				});
			}
		} else if (!known.has(column)) {
			errors.push({
				row: 1,
				column,
				message: `Unknown column “${column}”; the columns are listed in docs/csv.md.`
			});
		} else if (seen.has(column)) {
			errors.push({ row: 1, column, message: `The column “${column}” appears twice.` });
		}
		seen.add(column);
	});
	for (const column of REQUIRED_CSV_COLUMNS) {
		if (!seen.has(column)) {
			errors.push({ row: 1, column, message: `The required column “${column}” is missing.` });
		}
	}
	if (errors.length) return { errors };

	const records = table
		.map((cells, i) => ({ row: i + 1, cells }))
		.slice(1)
		.filter((r) => r.cells.some((c) => c.trim() !== ''));
	if (records.length === 0) return fileProblem('The file has column names but no providers.');
	if (records.length > CSV_MAX_ROWS) {
		return fileProblem(
			`The file has ${records.length.toLocaleString('en-US')} providers; import at most ${CSV_MAX_ROWS.toLocaleString('en-US')} at a time.`
		);
	}
	return { columns, records };
}

// Cells <-> listings ---------------------------------------------------------------------------

type Cells = Record<string, string>;

/** Free text that a spreadsheet could run as a formula gets a leading apostrophe on export. */
const TEXT_COLUMNS = new Set([
	'name',
	'description',
	'street',
	'city',
	'phone',
	'website',
	'email',
	'insurance_notes',
	...ROUTE_CODES.map((code) => routeColumn(code, 'notes'))
]);
const FORMULA_START = /^[=+\-@\t\r]/;

const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const text = (value: string | number | null | undefined) =>
	value === undefined || value === null ? '' : String(value);
const isoDay = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : '');

/** A stored provider as one CSV row (unescaped), the shape the import reads back. */
export function providerCells(record: Omit<ListingRecord, 'id' | 'updatedAt' | 'isDemo'>): Cells {
	const { listing } = record;
	const cells: Cells = {
		slug: record.slug,
		name: listing.name,
		kinds: listing.kinds.join(';'),
		description: listing.description,
		street: text(listing.street),
		city: listing.city,
		state: listing.state,
		zip: listing.zip,
		lat: String(record.lat),
		lng: String(record.lng),
		phone: text(listing.phone),
		website: text(listing.website),
		email: text(listing.email),
		routes: listing.routes.map((r) => r.code).join(';'),
		consult_fee: text(listing.consultFee),
		accepts_insurance: yesNo(listing.acceptsInsurance),
		insurance_notes: text(listing.insuranceNotes),
		offers_psychotherapy: yesNo(listing.offersPsychotherapy),
		telehealth_states: listing.telehealthStates.join(';'),
		conditions: listing.conditions.join(';'),
		status: record.status,
		last_verified: isoDay(record.lastVerifiedAt)
	};
	for (const code of ROUTE_CODES) {
		const offer = listing.routes.find((r) => r.code === code);
		for (const [suffix, field] of ROUTE_FIELDS) {
			cells[routeColumn(code, suffix)] = text(offer?.[field]);
		}
	}
	return cells;
}

const LISTING_COLUMNS: Record<string, string> = {
	consultFee: 'consult_fee',
	acceptsInsurance: 'accepts_insurance',
	insuranceNotes: 'insurance_notes',
	offersPsychotherapy: 'offers_psychotherapy',
	telehealthStates: 'telehealth_states'
};
const ROUTE_FIELD_SUFFIX = Object.fromEntries(
	ROUTE_FIELDS.map(([suffix, field]) => [field, suffix])
) as Record<RouteField, string>;

/** The CSV column a listing-schema path belongs to: `routes.iv.priceMin` → `iv_price_min`. */
export function columnForPath(path: readonly PropertyKey[]): string {
	const [head, code, field] = path.map(String);
	if (head === 'routes' && code && field && field in ROUTE_FIELD_SUFFIX) {
		return routeColumn(code as RouteCode, ROUTE_FIELD_SUFFIX[field as RouteField]);
	}
	return LISTING_COLUMNS[head] ?? head ?? '';
}

function listCell(value: string): string[] {
	return value
		.split(/[;,]/)
		.map((v) => v.trim())
		.filter((v) => v !== '');
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

const KIND_HELP = PROVIDER_KIND_CODES.join(', ');
const ROUTE_HELP = ROUTE_CODES.join(', ');

interface RowPlan {
	row: number;
	existing: ListingRecord | null;
	listing?: Listing;
	slug?: string;
	point?: { lat: number; lng: number };
	status?: ProviderStatus;
	lastVerifiedAt?: Date | null;
	errors: Map<string, string>;
}

function fail(plan: RowPlan, column: string, message: string) {
	if (!plan.errors.has(column)) plan.errors.set(column, message);
}

/** Unknown codes in a list cell, reported once for the cell; the known codes are kept. */
function codes<T extends string>(
	plan: RowPlan,
	column: string,
	value: string,
	allowed: readonly T[],
	normalise: (v: string) => string,
	help: string
): T[] {
	const list = listCell(value).map(normalise);
	const unknown = list.filter((v) => !(allowed as readonly string[]).includes(v));
	if (unknown.length) {
		fail(
			plan,
			column,
			`Unknown ${unknown.length === 1 ? 'code' : 'codes'} ${unknown.map((u) => `“${u}”`).join(', ')}; ${help}`
		);
	}
	return [...new Set(list.filter((v) => !unknown.includes(v)))] as T[];
}

function yesNoCell(plan: RowPlan, column: string, value: string): boolean {
	const v = value.trim().toLowerCase();
	if (YES.has(v)) return true;
	if (!NO.has(v)) fail(plan, column, `Write yes or no (or leave it blank for no), not “${value}”.`);
	return false;
}

function coordinate(plan: RowPlan, column: 'lat' | 'lng', value: string): number | undefined {
	const limit = column === 'lat' ? 90 : 180;
	const what = column === 'lat' ? 'latitude' : 'longitude';
	if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value)) {
		fail(
			plan,
			column,
			`Write the ${what} as a number in degrees, e.g. ${column === 'lat' ? '30.27' : '-97.74'}.`
		);
		return undefined;
	}
	const n = Number(value);
	if (Math.abs(n) > limit) {
		fail(plan, column, `The ${what} must be between -${limit} and ${limit}.`);
		return undefined;
	}
	return n;
}

function verifiedDay(plan: RowPlan, value: string, existing: ListingRecord | null): Date | null {
	if (value === '') return null;
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : null;
	if (!date || date.toISOString().slice(0, 10) !== value) {
		fail(
			plan,
			'last_verified',
			'Write the date as YYYY-MM-DD, e.g. 2025-03-31, or leave it blank.'
		);
		return null;
	}
	if (date.getTime() > Date.now()) {
		fail(plan, 'last_verified', 'The date last verified cannot be in the future.');
		return null;
	}
	// Same day as stored: keep the stored time, so an export re-imports without changing it.
	if (existing?.lastVerifiedAt && isoDay(existing.lastVerifiedAt) === value) {
		return existing.lastVerifiedAt;
	}
	return date;
}

/** Clearer words than the form's for the schema's cross-field rules. */
function csvMessage(column: string, message: string, kinds: string[]): string {
	if (column === 'state') return 'Use the two-letter state code, e.g. TX.';
	if (column === 'kinds') return `Give at least one kind: ${KIND_HELP}.`;
	if (column === 'routes' && message.startsWith('A Spravato')) {
		return 'A Spravato center offers Spravato: add esketamine to routes.';
	}
	if (column === 'routes') return `Give at least one route code: ${ROUTE_HELP}.`;
	if (column === 'telehealth_states') {
		return kinds.includes('telehealth')
			? 'A telehealth provider needs the states its clinicians are licensed in, e.g. TX;OK.'
			: 'Only telehealth providers have telehealth states: add telehealth to kinds or clear this cell.';
	}
	return message;
}

/** The cell values for one row: the file's, and for an update the stored values of columns the file leaves out. */
function rowCells(columns: string[], cells: string[], existing: ListingRecord | null): Cells {
	const given: Cells = {};
	columns.forEach((column, i) => {
		if (column === '') return;
		let value = (cells[i] ?? '').trim();
		if (TEXT_COLUMNS.has(column) && value.startsWith("'") && FORMULA_START.test(value.slice(1))) {
			value = value.slice(1);
		}
		given[column] = value;
	});
	const stored = existing ? providerCells(existing) : {};
	const offered = new Set(listCell(given.routes ?? '').map((c) => c.toLowerCase()));
	const out: Cells = {};
	for (const column of PROVIDER_CSV_COLUMNS) {
		if (column in given) {
			out[column] = given[column];
			continue;
		}
		const routeCode = ROUTE_CODES.find((code) => column.startsWith(`${code}_`));
		// A route's stored prices only carry over while the file still lists the route.
		out[column] = routeCode && !offered.has(routeCode) ? '' : (stored[column] ?? '');
	}
	// Leaving out lat and lng keeps the stored point unless the file moves the provider.
	if (existing && !('lat' in given) && !('lng' in given)) {
		const moved =
			out.zip.slice(0, 5) !== existing.listing.zip ||
			out.state.toUpperCase() !== existing.listing.state;
		if (moved) out.lat = out.lng = '';
	}
	return out;
}

function planRow(row: number, cells: Cells, existing: ListingRecord | null): RowPlan {
	const plan: RowPlan = { row, existing, errors: new Map() };
	if (cells.slug !== '' && !SLUG_PATTERN.test(cells.slug.toLowerCase())) {
		fail(plan, 'slug', 'Use lower-case letters, digits and single hyphens, e.g. calm-mind-austin.');
	} else if (cells.slug.length > 80) {
		fail(plan, 'slug', 'Keep the slug to 80 characters or fewer.');
	}

	const kinds = codes(
		plan,
		'kinds',
		cells.kinds,
		PROVIDER_KIND_CODES,
		(v) => v.toLowerCase(),
		`use ${KIND_HELP}.`
	);
	const routeCodes = codes(
		plan,
		'routes',
		cells.routes,
		ROUTE_CODES,
		(v) => v.toLowerCase(),
		`use ${ROUTE_HELP}.`
	);
	const telehealthStates = codes<StateCode>(
		plan,
		'telehealth_states',
		cells.telehealth_states,
		STATE_CODES,
		(v) => v.toUpperCase(),
		'use two-letter state codes, e.g. TX;OK.'
	);
	const conditions = codes<ConditionCode>(
		plan,
		'conditions',
		cells.conditions,
		CONDITION_CODES,
		(v) => v.toLowerCase(),
		'see docs/csv.md for the condition codes.'
	);

	const routes: Record<string, Record<string, string>> = {};
	for (const code of ROUTE_CODES) {
		const offered = routeCodes.includes(code);
		if (offered) routes[code] = {};
		for (const [suffix, field] of ROUTE_FIELDS) {
			const column = routeColumn(code, suffix);
			const value = cells[column];
			if (value === '') continue;
			if (offered) routes[code][field] = value;
			else {
				fail(
					plan,
					column,
					`${column} is filled in but routes does not list ${code}; add ${code} to routes or clear this cell.`
				);
			}
		}
	}

	const parsed = listingSchema.safeParse({
		name: cells.name,
		kinds,
		description: cells.description,
		street: cells.street,
		city: cells.city,
		state: cells.state,
		zip: cells.zip,
		phone: cells.phone,
		website: cells.website,
		email: cells.email,
		routes,
		consultFee: cells.consult_fee,
		acceptsInsurance: yesNoCell(plan, 'accepts_insurance', cells.accepts_insurance),
		insuranceNotes: cells.insurance_notes,
		offersPsychotherapy: yesNoCell(plan, 'offers_psychotherapy', cells.offers_psychotherapy),
		telehealthStates,
		conditions
	});
	if (parsed.success) plan.listing = parsed.data;
	else {
		for (const issue of parsed.error.issues) {
			const column = columnForPath(issue.path);
			fail(plan, column, csvMessage(column, issue.message, kinds));
		}
	}

	// The ZIP is checked against the state even when other cells fail, so one check lists it all.
	const place = zipAndState(cells.zip, cells.state);
	if (cells.lat === '' && cells.lng === '') {
		if (place) {
			const located = locate(place);
			if (located.ok) plan.point = { lat: located.lat, lng: located.lng };
			else fail(plan, 'zip', located.message);
		}
	} else if (cells.lat === '' || cells.lng === '') {
		const blank = cells.lat === '' ? 'lat' : 'lng';
		fail(
			plan,
			blank,
			'Give both lat and lng, or leave both blank to place the provider at its ZIP code.'
		);
	} else {
		const lat = coordinate(plan, 'lat', cells.lat);
		const lng = coordinate(plan, 'lng', cells.lng);
		if (lat !== undefined && lng !== undefined) plan.point = { lat, lng };
		// A ZIP missing from the offline list is fine with an explicit point; one in another state is not.
		if (place && geocode(place.zip).ok) {
			const located = locate(place);
			if (!located.ok) fail(plan, 'zip', located.message);
		}
	}

	const status = cells.status.toLowerCase() || 'published';
	if ((PROVIDER_STATUSES as readonly string[]).includes(status)) {
		plan.status = status as ProviderStatus;
	} else {
		fail(
			plan,
			'status',
			`Write published, pending or suspended (blank means published), not “${cells.status}”.`
		);
	}
	plan.lastVerifiedAt = verifiedDay(plan, cells.last_verified, existing);
	return plan;
}

// Loading stored providers ---------------------------------------------------------------------

/** Providers matching `where` with their child rows, ordered by state and name. */
async function loadRecords(
	db: Database,
	where: SQL,
	options: { lock?: boolean } = {}
): Promise<ListingRecord[]> {
	const query = db
		.select()
		.from(providers)
		.where(where)
		.orderBy(asc(providers.state), asc(providers.name), asc(providers.id));
	const rows = options.lock ? await query.for('update') : await query;
	if (rows.length === 0) return [];
	const ids = db.select({ id: providers.id }).from(providers).where(where);
	const [routeRows, stateRows, conditionRows] = await Promise.all([
		db.select().from(providerRoutes).where(inArray(providerRoutes.providerId, ids)),
		db
			.select()
			.from(providerTelehealthStates)
			.where(inArray(providerTelehealthStates.providerId, ids)),
		db.select().from(providerConditions).where(inArray(providerConditions.providerId, ids))
	]);
	const group = <R extends { providerId: number }>(list: R[]) => {
		const map = new Map<number, R[]>();
		for (const r of list) map.set(r.providerId, [...(map.get(r.providerId) ?? []), r]);
		return map;
	};
	const routesBy = group(routeRows);
	const statesBy = group(stateRows);
	const conditionsBy = group(conditionRows);
	return rows.map((row) =>
		recordFrom(
			row,
			routesBy.get(row.id) ?? [],
			(statesBy.get(row.id) ?? []).map((s) => s.state),
			(conditionsBy.get(row.id) ?? []).map((c) => c.condition)
		)
	);
}

// Checking and importing -----------------------------------------------------------------------

interface Planned {
	row: number;
	listing: Listing;
	placement: Placement;
	existing: ListingRecord | null;
}

const sameName = (name: string, city: string, state: string) =>
	[name, city, state].map((v) => v.trim().toLowerCase().replace(/\s+/g, ' ')).join('|');

/**
 * Validates every row against the database as it stands: a slug already in use means "update
 * that provider"; a blank slug means "add one" under a fresh slug made from name and city.
 */
async function planImport(
	db: Database,
	text: string,
	options: { lock?: boolean } = {}
): Promise<{ report: CsvReport; planned: Planned[] }> {
	const table = readProvidersCsv(text);
	if ('errors' in table) {
		return {
			report: { ok: false, rows: 0, creates: 0, updates: 0, errors: table.errors },
			planned: []
		};
	}
	const { columns, records } = table;
	const slugIndex = columns.indexOf('slug');
	const slugOf = (cells: string[]) =>
		slugIndex === -1 ? '' : (cells[slugIndex] ?? '').trim().toLowerCase();

	const fileSlugs = [...new Set(records.map((r) => slugOf(r.cells)).filter((s) => s !== ''))];
	const existing = new Map(
		(fileSlugs.length
			? await loadRecords(db, inArray(providers.slug, fileSlugs), options)
			: []
		).map((r) => [r.slug, r])
	);
	const everyone = await db
		.select({
			slug: providers.slug,
			name: providers.name,
			city: providers.city,
			state: providers.state
		})
		.from(providers);
	// Slugs providers had before a rename still lead to them: never a new provider's.
	const former = new Map(
		(
			await db
				.select({
					slug: providerSlugHistory.slug,
					name: providers.name,
					now: providers.slug
				})
				.from(providerSlugHistory)
				.innerJoin(providers, eq(providers.id, providerSlugHistory.providerId))
		).map((f) => [f.slug, f])
	);

	const plans = records.map(({ row, cells }) => {
		const match = existing.get(slugOf(cells)) ?? null;
		const plan = planRow(row, rowCells(columns, cells, match), match);
		if (cells.length > columns.length && cells.slice(columns.length).some((c) => c.trim() !== '')) {
			fail(
				plan,
				'',
				'This row has more cells than there are column names; check for a stray comma.'
			);
		}
		return plan;
	});

	// Each provider once per file.
	const rowsBySlug = new Map<string, number[]>();
	records.forEach((r) => {
		const slug = slugOf(r.cells);
		if (slug) rowsBySlug.set(slug, [...(rowsBySlug.get(slug) ?? []), r.row]);
	});
	plans.forEach((plan, i) => {
		const slug = slugOf(records[i].cells);
		const moved = existing.has(slug) ? undefined : former.get(slug);
		if (moved) {
			fail(
				plan,
				'slug',
				`“${slug}” is the old address of ${moved.name}, now “${moved.now}”: put “${moved.now}” here to update that listing, or another slug to add a new one.`
			);
		}
		const rows = rowsBySlug.get(slug) ?? [];
		if (rows.length > 1) {
			const others = rows.filter((r) => r !== plan.row);
			fail(
				plan,
				'slug',
				`The slug “${slug}” is also on row${others.length > 1 ? 's' : ''} ${others.join(', ')}; each provider can appear only once.`
			);
		}
	});

	// Blank slugs: new providers under fresh slugs, unless they look like one already listed.
	const taken = new Set([...everyone.map((p) => p.slug), ...former.keys(), ...fileSlugs]);
	const listed = new Map(everyone.map((p) => [sameName(p.name, p.city, p.state), p.slug]));
	const addedBy = new Map<string, number>();
	plans.forEach((plan, i) => {
		const slug = slugOf(records[i].cells);
		if (slug) {
			plan.slug = slug;
			return;
		}
		if (!plan.listing) return;
		const { name, city, state } = plan.listing;
		const key = sameName(name, city, state);
		const already = listed.get(key);
		if (already !== undefined) {
			fail(
				plan,
				'slug',
				`${name} in ${city}, ${state} is already listed as “${already}”: put that slug here to update it, or a new slug to add a second listing.`
			);
			return;
		}
		const earlier = addedBy.get(key);
		if (earlier !== undefined) {
			fail(
				plan,
				'slug',
				`Row ${earlier} already adds ${name} in ${city}, ${state}; give one of them a slug if both are wanted.`
			);
			return;
		}
		addedBy.set(key, plan.row);
		const stem = slugify(`${name}-${city}`) || 'provider';
		let candidate = stem;
		for (let n = 2; taken.has(candidate); n++) candidate = `${stem}-${n}`;
		taken.add(candidate);
		plan.slug = candidate;
	});

	const errors: CsvProblem[] = [];
	const planned: Planned[] = [];
	for (const plan of plans) {
		const columnOrder = (c: string) => {
			const i = PROVIDER_CSV_COLUMNS.indexOf(c);
			return i === -1 ? PROVIDER_CSV_COLUMNS.length : i;
		};
		const problems = [...plan.errors].sort((a, b) => columnOrder(a[0]) - columnOrder(b[0]));
		for (const [column, message] of problems) {
			errors.push({ row: plan.row, column: column || null, message });
		}
		if (problems.length === 0 && plan.listing && plan.slug && plan.point && plan.status) {
			planned.push({
				row: plan.row,
				listing: plan.listing,
				existing: plan.existing,
				placement: {
					slug: plan.slug,
					...plan.point,
					status: plan.status,
					lastVerifiedAt: plan.lastVerifiedAt ?? null
				}
			});
		}
	}
	const updates = plans.filter((p) => p.existing).length;
	return {
		report: {
			ok: errors.length === 0,
			rows: plans.length,
			creates: plans.length - updates,
			updates,
			errors
		},
		planned
	};
}

/** A dry run: what an import of `text` would do, and every problem that would stop it. */
export async function checkProvidersCsv(db: Database, text: string): Promise<CsvReport> {
	return (await planImport(db, text)).report;
}

/**
 * Imports every row in one transaction, validated again inside it with the matched providers
 * locked, with one audit entry per provider; nothing is written unless every row is valid.
 */
export async function importProvidersCsv(
	db: Database,
	text: string,
	actor: { id: number },
	source: string
): Promise<CsvReport> {
	let row: number | null = null;
	let report: CsvReport;
	try {
		report = await db.transaction(async (tx) => {
			const { report: checked, planned } = await planImport(tx, text, { lock: true });
			if (!checked.ok) return checked;
			for (const p of planned) {
				row = p.row;
				const id = await writeListing(tx, p.listing, p.placement, p.existing?.id);
				await audit.record(tx, {
					actorId: actor.id,
					action: p.existing ? 'provider.import.update' : 'provider.import.create',
					entityType: 'provider',
					entityId: id,
					before: p.existing ? auditView(p.existing) : null,
					after: auditView({ ...p.placement, listing: p.listing }),
					reason: `CSV import: ${source}`.slice(0, 500)
				});
			}
			return checked;
		});
	} catch (err) {
		console.error('CSV import failed:', err);
		const cause = (err as { cause?: { message?: string }; message?: string }).cause?.message;
		return {
			ok: false,
			rows: 0,
			creates: 0,
			updates: 0,
			errors: [
				{
					row,
					column: null,
					message: `Saving failed, so nothing was imported${cause ? ` (${cause})` : ''}. Another change may have happened at the same time; check the file again and retry.`
				}
			]
		};
	}
	if (report.ok) providersChanged();
	return report;
}

// Exports -------------------------------------------------------------------------------------

const published = eq(providers.status, 'published');

/** Published providers as CSV with every column, re-importable as updates. */
export async function exportPublishedCsv(db: Database): Promise<string> {
	const records = await loadRecords(db, published);
	const rows = records.map((record) => {
		const cells = providerCells(record);
		return PROVIDER_CSV_COLUMNS.map((column) => {
			const value = cells[column];
			return TEXT_COLUMNS.has(column) && FORMULA_START.test(value) ? `'${value}` : value;
		});
	});
	return stringify([[...PROVIDER_CSV_COLUMNS], ...rows], {
		bom: true,
		record_delimiter: 'windows'
	});
}

export type ProviderJson = Record<string, string | number | boolean | string[] | null>;

/** Published providers with the CSV's fields: prices as numbers, lists as arrays, blanks as null. */
export async function exportPublishedJson(db: Database): Promise<ProviderJson[]> {
	const records = await loadRecords(db, published);
	return records.map((record) => {
		const { listing } = record;
		const out: ProviderJson = {
			slug: record.slug,
			name: listing.name,
			kinds: listing.kinds,
			description: listing.description,
			street: listing.street ?? null,
			city: listing.city,
			state: listing.state,
			zip: listing.zip,
			lat: record.lat,
			lng: record.lng,
			phone: listing.phone ?? null,
			website: listing.website ?? null,
			email: listing.email ?? null,
			routes: listing.routes.map((r) => r.code)
		};
		for (const code of ROUTE_CODES) {
			const offer = listing.routes.find((r) => r.code === code);
			for (const [suffix, field] of ROUTE_FIELDS) {
				out[routeColumn(code, suffix)] = offer?.[field] ?? null;
			}
		}
		Object.assign(out, {
			consult_fee: listing.consultFee ?? null,
			accepts_insurance: listing.acceptsInsurance,
			insurance_notes: listing.insuranceNotes ?? null,
			offers_psychotherapy: listing.offersPsychotherapy,
			telehealth_states: listing.telehealthStates,
			conditions: listing.conditions,
			status: record.status,
			last_verified: isoDay(record.lastVerifiedAt) || null
		});
		return out;
	});
}

/** `providers-2025-03-31.csv`: the date of the export, for Content-Disposition. */
export function exportFilename(extension: 'csv' | 'json', now = new Date()): string {
	return `providers-${isoDay(now)}.${extension}`;
}

/** A row's ZIP and state when both are well-formed on their own, for the ZIP-in-state check. */
function zipAndState(zip: string, state: string): { zip: string; state: StateCode } | null {
	const code = state.trim().toUpperCase();
	if (!/^\d{5}(-\d{4})?$/.test(zip.trim()) || !(STATE_CODES as readonly string[]).includes(code)) {
		return null;
	}
	return { zip: zip.trim().slice(0, 5), state: code as StateCode };
}
